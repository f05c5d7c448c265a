/** Runs async critical sections one after another (the index is read-modify-written). */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Waits for earlier holders, then runs fn alone. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
