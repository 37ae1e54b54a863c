import { isStoreUnavailableError } from "../errors/store-unavailable-error.js";
import type { StoreGuard } from "../guard/store-guard.js";

/** What {@link Lease.check} found: still `held` (and renewed), `lost` to expiry or another holder, or the store `unavailable`. */
export type LeaseCheck = "held" | "lost" | "unavailable";

/**
 * A held lock: renew it before `ttlMs` runs out, release it when done. `fencingToken` increases
 * with every acquisition of the same lock name; pass it with writes (a fenced snapshot commit) so
 * the store refuses a holder whose lease expired while it was paused (an older token).
 */
export class Lease {
  constructor(
    private readonly guard: StoreGuard,
    /** The lock's name. */
    readonly name: string,
    private readonly key: string,
    /** This holder's owner token: only it can renew or release. */
    readonly owner: string,
    /** Strictly greater than the token of any earlier holder of this lock. */
    readonly fencingToken: number,
    /** The TTL the lease was taken with; renewals default to it. */
    readonly ttlMs: number,
    /** Longest wait for one renew or release. @default 5_000 */
    private readonly timeoutMs = 5_000,
  ) {}

  /**
   * Renews the lease and says where it stands: `held` (renewed), `lost` (the store answered that
   * this owner no longer holds it: stop the guarded work) or `unavailable` (no answer; it may
   * still be held until its TTL runs out).
   */
  async check(ttlMs = this.ttlMs): Promise<LeaseCheck> {
    try {
      const renewed = await this.guard.call("lock.renew", (d) => d.renewLock(this.key, this.owner, ttlMs), this.timeoutMs);
      return renewed ? "held" : "lost";
    } catch (e) {
      if (isStoreUnavailableError(e)) return "unavailable";
      throw e;
    }
  }

  /**
   * Resets the lease's TTL; false when this holder lost it (it expired and maybe someone else took
   * it) or Redis is unavailable. Stop the guarded work on false; {@link check} tells the two apart.
   */
  async renew(ttlMs = this.ttlMs): Promise<boolean> {
    return (await this.check(ttlMs)) === "held";
  }

  /**
   * Releases the lock if this holder still has it (compare-and-delete); false when it had already
   * expired or passed to someone else, or Redis is unavailable (the lock then expires by its TTL).
   */
  async release(): Promise<boolean> {
    try {
      return await this.guard.call("lock.release", (d) => d.releaseLock(this.key, this.owner), this.timeoutMs);
    } catch (e) {
      if (isStoreUnavailableError(e)) return false;
      throw e;
    }
  }
}
