import type { Classification } from './intent-model.js';

/**
 * nlp.js's scores are normalised over the intents and saturate near 1, so its own threshold lets a
 * question about the weather through as a complaint. The corpus has a real `none` intent; these
 * thresholds decide when to trust the model's answer. Values are chosen by cross-validation
 * (`npm run evaluate` prints the sweep).
 */
export interface NoneRule {
  /** Below this top score the model is guessing between intents: answer `none`. */
  minScore: number;
  /** Above this share of words never seen in training the message is about something else: `none`. */
  maxUnknownShare: number;
  /**
   * A `none` answer weaker than this gives way to the runner-up complaint intent: the corpus's off-topic
   * examples share much everyday vocabulary with real complaints, so a weak `none` is often a complaint
   * phrased in words the model has rarely seen.
   */
  minNoneScore: number;
}

export interface Decision {
  intent: string;
  score: number;
}

/** The model's answer, or `none` when the rule does not trust it (score = confidence in `none`). */
export function decide(classifications: readonly Classification[], unknownShare: number, rule: NoneRule): Decision {
  const [top, second] = classifications;
  // nlp.js's own "no answer": nothing scored, a tie, or its None output.
  if (!top || top.score <= 0 || (second && second.score === top.score) || top.intent === 'None') {
    return { intent: 'none', score: 1 };
  }
  if (top.intent === 'none') {
    if (top.score < rule.minNoneScore && second && second.score > 0 && second.intent !== 'None') {
      return { intent: second.intent, score: second.score };
    }
    return { intent: 'none', score: top.score };
  }
  if (top.score < rule.minScore || unknownShare > rule.maxUnknownShare) {
    return { intent: 'none', score: 1 - top.score };
  }
  return { intent: top.intent, score: top.score };
}
