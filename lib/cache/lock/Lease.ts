import { isStoreUnavailableError } from "../errors/StoreUnavailableError.js";
import type { StoreGuard } from "../guard/StoreGuard.js";

/**
 * A held lock: renew it before `ttlMs` runs out, release it when done. `fencingToken` increases
 * with every acquisition of the same lock name; pass it with writes so a store can refuse a
 * holder whose lease expired while it was paused (an older token).
 */
export class Lease {
  constructor(
    private readonly guard: StoreGuard,
    /** The lock's name. */
    readonly name: string,
    private readonly key: string,
    /** This holder's random owner token: only it can renew or release. */
    readonly owner: string,
    /** Strictly greater than the token of any earlier holder of this lock. */
    readonly fencingToken: number,
    /** The TTL the lease was taken with; renewals default to it. */
    readonly ttlMs: number,
  ) {}

  /**
   * Resets the lease's TTL; false when this holder lost it (it expired and maybe someone else took
   * it) or Redis is unavailable. Stop the guarded work on false.
   */
  async renew(ttlMs = this.ttlMs): Promise<boolean> {
    try {
      return await this.guard.call("lock.renew", (d) => d.renewLock(this.key, this.owner, ttlMs));
    } catch (e) {
      if (isStoreUnavailableError(e)) return false;
      throw e;
    }
  }

  /**
   * Releases the lock if this holder still has it (compare-and-delete); false when it had already
   * expired or passed to someone else, or Redis is unavailable (the lock then expires by its TTL).
   */
  async release(): Promise<boolean> {
    try {
      return await this.guard.call("lock.release", (d) => d.releaseLock(this.key, this.owner));
    } catch (e) {
      if (isStoreUnavailableError(e)) return false;
      throw e;
    }
  }
}
