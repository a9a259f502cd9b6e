import type { Recognizer } from './recognizer.js';

export type NluState = 'loading' | 'ready' | 'failed';

/**
 * Holds the recognizer while it loads in the background. Loading a saved model takes about a
 * second, but a fresh clone must first train (about 13 s); the HTTP service answers meanwhile.
 */
export class RecognizerSlot {
  private recognizer: Recognizer | undefined;
  private failure: unknown;

  constructor(loading: Promise<Recognizer>) {
    loading.then(
      (r) => (this.recognizer = r),
      (err: unknown) => (this.failure = err ?? new Error('NLU failed to load')),
    );
  }

  get state(): NluState {
    if (this.recognizer) return 'ready';
    return this.failure === undefined ? 'loading' : 'failed';
  }

  /** The loaded recognizer, or undefined while loading or after a failure. */
  get current(): Recognizer | undefined {
    return this.recognizer;
  }
}
