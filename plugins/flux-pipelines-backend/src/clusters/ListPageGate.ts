/**
 * Lets at most `slots` list pages be held at once across the clusters that
 * share it (one gate per backend): a page takes a slot before it is fetched
 * and gives it back once it was handled. Pages all end up in one ingest
 * queue, so more pages in memory would only wait there.
 */
export class ListPageGate {
  private used = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly slots: number) {}

  /** Waits for a slot; returns the function that gives it back (once). */
  async take(signal: AbortSignal): Promise<() => void> {
    if (this.used >= this.slots) await this.turn(signal);
    else this.used += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      // The slot passes straight to the next waiter, if any.
      const next = this.waiting.shift();
      if (next) next();
      else this.used -= 1;
    };
  }

  /** Resolves when a given-back slot passes to this waiter; rejects on abort. */
  private turn(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason ?? new Error('aborted'));
        return;
      }
      const waiter = { resolve: () => {} };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter.resolve), 1);
        reject(signal.reason ?? new Error('aborted'));
      };
      waiter.resolve = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter.resolve);
    });
  }
}
