// Minimal typings for the parts of nlp.js this product uses (the packages ship none).
declare module '@nlpjs/basic' {
  export interface NlpContainer {
    use(item: unknown, name?: string, isSingleton?: boolean): string;
    register(name: string, instance: unknown, isSingleton?: boolean): void;
    get(name: string, settings?: unknown): unknown;
  }
  export function containerBootstrap(settings?: Record<string, unknown>): Promise<NlpContainer>;
  export interface NlpClassification { intent: string; score: number }
  export interface NlpResult {
    intent: string;
    score: number;
    classifications: NlpClassification[];
  }
  export class Nlp {
    constructor(settings: Record<string, unknown>);
    settings: Record<string, unknown>;
    addLanguage(locale: string | string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    useNlu(className: string, locale: string, domain: string, settings: Record<string, unknown>): void;
    train(): Promise<void>;
    process(locale: string, utterance: string): Promise<NlpResult>;
    classify(locale: string, utterance: string): Promise<NlpResult>;
    export(minified?: boolean): string;
    import(data: string): void;
  }
}
declare module '@nlpjs/lang-zh' {
  export class LangZh {}
}
