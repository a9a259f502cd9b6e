import { extractEntities } from './entities/index.js';
import type { EscalationRiskDetector } from './escalation-risk.js';
import { analyseIntent, type IntentModel } from './intent-analysis.js';
import { MAX_ANALYSED_CHARS } from './model-settings.js';
import { decide, type NoneRule } from './none-rule.js';
import { categoryOf, ESCALATION_RISK, isIntent, type Category, type Intent } from './taxonomy.js';

export interface NluEntity {
  type: string;
  value: string | number;
  text: string;
}

export interface NluResult {
  text: string;
  intent: Intent;
  score: number;
  category: Category;
  entities: NluEntity[];
  flags: 'escalation_risk'[];
}

/** Runner-up intents, best first: the dialog engine offers them when the top answer is uncertain. */
export interface RankedIntent {
  intent: Intent;
  score: number;
}

/** The parse contract plus the ranking, which classify and /api/nlu/parse do not expose. */
export interface NluAnalysis extends NluResult {
  ranking: RankedIntent[];
}

export interface Recognizer {
  parse(text: string): Promise<NluResult>;
  analyse(text: string): Promise<NluAnalysis>;
  readonly corpusHash: string;
}

/** Intent, entities and flags of one customer message, from the trained nlp.js model and the rules. */
export class NluRecognizer implements Recognizer {
  constructor(
    private readonly model: IntentModel,
    private readonly noneRule: NoneRule,
    private readonly risk: EscalationRiskDetector,
    readonly corpusHash: string,
  ) {}

  async parse(text: string): Promise<NluResult> {
    const { ranking: _ranking, ...result } = await this.analyse(text);
    return result;
  }

  async analyse(text: string): Promise<NluAnalysis> {
    const original = typeof text === 'string' ? text : '';
    const analysed = capText(original, MAX_ANALYSED_CHARS);
    // Each part fails on its own: a message one extractor cannot digest still gets the others' answers,
    // and an intent it cannot classify is treated as off-topic rather than failing the conversation.
    const { intent, score, ranking } = await this.intentOf(analysed);
    return {
      ranking,
      text: original,
      intent,
      score,
      category: categoryOf(intent),
      entities: attempt(() => extractEntities(analysed).map(({ type, value, text: span }) => ({ type, value, text: span })), []),
      flags: attempt(() => (this.risk.detect(analysed) ? [ESCALATION_RISK] : []), []),
    };
  }

  private async intentOf(text: string): Promise<{ intent: Intent; score: number; ranking: RankedIntent[] }> {
    try {
      const analysis = await analyseIntent(this.model, text);
      const decision = decide(analysis.classifications, analysis.unknownShare, this.noneRule);
      const ranking = analysis.classifications
        .filter((c): c is { intent: Intent; score: number } => isIntent(c.intent) && c.score > 0)
        .map((c) => ({ intent: c.intent, score: round(c.score) }));
      return isIntent(decision.intent)
        ? { intent: decision.intent, score: round(decision.score), ranking }
        : { intent: 'none', score: 1, ranking };
    } catch {
      return { intent: 'none', score: 1, ranking: [] };
    }
  }
}

/** The first `max` characters, without cutting a surrogate pair in half. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function round(score: number): number {
  return Math.round(score * 10_000) / 10_000;
}
