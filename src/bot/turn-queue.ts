/**
 * Runs the turns of one conversation one after another on this node. Two quick messages from an
 * impatient customer would otherwise read the same state and one answer would be lost; across nodes
 * the eTag check of the state storage refuses the second write instead.
 */
export class TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string, turn: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(turn, turn);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return current;
  }
}
