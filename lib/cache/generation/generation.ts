import type { StoreGuard } from "../guard/store-guard.js";
import type { KeyLayout } from "../keys/key-layout.js";

/**
 * The snapshot generation: a counter in Redis that every snapshot commit increments. Generational
 * cache keys carry it, so a commit makes every older query result unreachable at once. This
 * instance remembers the last value it saw so a cached read needs no extra round trip.
 */
export class Generation {
  private seen: number | undefined;

  constructor(
    private readonly guard: StoreGuard,
    private readonly layout: KeyLayout,
  ) {}

  /** The generation this instance read last, if any. */
  get known(): number | undefined {
    return this.seen;
  }

  /**
   * Parses a counter value read from Redis (absent means 0) and remembers it. The latest read
   * wins, not the largest: a Redis that restarted empty counts from 0 again, and so must we.
   */
  observe(raw: string | number | null): number {
    const value = raw === null ? 0 : Number(raw);
    const gen = Number.isSafeInteger(value) && value >= 0 ? value : 0;
    this.seen = gen;
    return gen;
  }

  /**
   * Reads the current generation from Redis.
   * @throws StoreUnavailableError when Redis cannot answer.
   */
  async current(): Promise<number> {
    return this.observe(await this.guard.call("generation.get", (d) => d.get(this.layout.generation())));
  }

  /**
   * Increments the generation, invalidating every generational cache entry; a snapshot commit
   * does this itself.
   * @throws StoreUnavailableError when Redis cannot answer.
   */
  async bump(): Promise<number> {
    return this.observe(await this.guard.call("generation.bump", (d) => d.incr(this.layout.generation())));
  }
}
