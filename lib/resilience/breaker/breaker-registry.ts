import { type BreakerSnapshot, parseBreakerSnapshot } from "./breaker-snapshot.js";
import { CircuitBreaker, type CircuitBreakerOptions } from "./circuit-breaker.js";

/**
 * One circuit breaker per key (an ARM provider namespace, a Redis endpoint), made on first use
 * with shared options, with all their states saved and restored together.
 */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly pending = new Map<string, BreakerSnapshot>();

  constructor(private readonly options: CircuitBreakerOptions = {}) {}

  /** The breaker for `key`, created on first use (from a restored snapshot when there is one). */
  get(key: string): CircuitBreaker {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker(key, this.options, this.pending.get(key));
      this.pending.delete(key);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  /** Every breaker's state, keyed, as JSON to store (for example in Redis, per app). */
  toJSON(): Record<string, BreakerSnapshot> {
    return Object.fromEntries([...this.breakers].map(([key, b]) => [key, b.toJSON()]));
  }

  /**
   * Takes states saved by {@link toJSON}, typically read back at a cold start. Entries that do not
   * parse are skipped. Breakers already in use keep their live state: it is newer than any copy.
   * @returns how many entries were accepted.
   */
  restore(saved: unknown): number {
    if (typeof saved !== "object" || saved === null) return 0;
    let accepted = 0;
    for (const [key, value] of Object.entries(saved)) {
      const snapshot = parseBreakerSnapshot(value);
      if (snapshot === undefined || this.breakers.has(key)) continue;
      this.pending.set(key, snapshot);
      accepted++;
    }
    return accepted;
  }
}
