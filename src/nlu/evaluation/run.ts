import type { Example } from '../corpus.js';
import type { Answer, System } from './systems.js';

export interface Scored {
  text: string;
  gold: string;
  answer: Answer;
}

/** Stratified k-fold cross-validation: each example is answered by a model that never saw it. */
export async function crossValidate(
  system: System,
  examples: readonly Example[],
  folds: readonly number[],
  onFold?: (fold: number, k: number) => void,
): Promise<Scored[]> {
  const k = Math.max(...folds) + 1;
  const scored: Scored[] = [];
  for (let fold = 0; fold < k; fold++) {
    const predict = await system.train(examples.filter((_, i) => folds[i] !== fold));
    for (let i = 0; i < examples.length; i++) {
      if (folds[i] !== fold) continue;
      const { text, intent } = examples[i]!;
      scored.push({ text, gold: intent, answer: await predict(text) });
    }
    onFold?.(fold + 1, k);
  }
  return scored;
}

/** Trained on the whole corpus, answering messages it was never shown. */
export async function scoreHeldOut(
  system: System,
  examples: readonly Example[],
  messages: readonly { text: string; intent: string }[],
): Promise<Scored[]> {
  const predict = await system.train(examples);
  const scored: Scored[] = [];
  for (const m of messages) scored.push({ text: m.text, gold: m.intent, answer: await predict(m.text) });
  return scored;
}
