/**
 * Shares one in-flight promise per key: while a call for `key` runs, further calls for it get the
 * same promise instead of starting their own.
 */
export class SingleFlight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** Calls in flight right now. */
  get size(): number {
    return this.inFlight.size;
  }

  /** Runs `fn` unless a call for `key` is already running, in which case its promise is shared. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running as Promise<T>;
    const started = Promise.resolve()
      .then(fn)
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  /** Resolves once nothing is in flight (failures included), for shutdown and tests. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }
}
