import type { Recognizer } from './recognizer.js';

export type NluState = 'loading' | 'ready' | 'failed';

/**
 * Holds the recognizer while it loads in the background. Loading a saved model takes about a
 * second, but a fresh clone must first train (about 13 s); the HTTP service answers meanwhile.
 */
export class RecognizerSlot {
  private recognizer: Recognizer | undefined;
  private failure: unknown;

  private readonly loading: Promise<Recognizer>;

  constructor(loading: Promise<Recognizer>) {
    this.loading = loading;
    loading.then(
      (r) => (this.recognizer = r),
      (err: unknown) => (this.failure = err ?? new Error('NLU failed to load')),
    );
  }

  get state(): NluState {
    if (this.recognizer) return 'ready';
    return this.failure === undefined ? 'loading' : 'failed';
  }

  /** Settles when loading has finished either way (the CLI and tests wait; the server does not). */
  async ready(): Promise<NluState> {
    await this.loading.catch(() => undefined);
    return this.state;
  }

  /** The loaded recognizer, or undefined while loading or after a failure. */
  get current(): Recognizer | undefined {
    return this.recognizer;
  }
}
