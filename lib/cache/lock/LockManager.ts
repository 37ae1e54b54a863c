import { randomUUID } from "node:crypto";

import { isStoreUnavailableError } from "../errors/StoreUnavailableError.js";
import type { StoreGuard } from "../guard/StoreGuard.js";
import type { KeyLayout } from "../keys/KeyLayout.js";
import { Lease } from "./Lease.js";

/** Outcome of {@link LockManager.acquire}: a lease, or why not (`held` by someone else, Redis `unavailable`). */
export type LockResult = { acquired: true; lease: Lease } | { acquired: false; reason: "held" | "unavailable" };

/** Options of {@link LockManager.acquire}. */
export interface AcquireLockOptions {
  /** How long the lease lasts unless renewed. */
  ttlMs: number;
  /**
   * The holder's owner token, when the holder has a name others should see (a discovery run's
   * id, so a refused caller can be told which run holds the scope). @default a random UUID
   */
  owner?: string;
}

/**
 * Distributed locks: SET NX PX with a random owner token, renewal and compare-and-delete release
 * by the owner only, and a fencing token that increases with each acquisition.
 *
 * Warning: a lock is a lease. A holder paused longer than its TTL (GC, a frozen instance) loses it
 * without knowing; guard the protected writes with the fencing token, not with the lock alone.
 */
export class LockManager {
  constructor(
    private readonly guard: StoreGuard,
    private readonly layout: KeyLayout,
    /** Owner tokens. @default crypto.randomUUID */
    private readonly randomId: () => string = randomUUID,
  ) {}

  /** Tries once to take lock `name`; does not wait for a holder to let go. */
  async acquire(name: string, options: AcquireLockOptions): Promise<LockResult> {
    const { ttlMs } = options;
    if (!(ttlMs >= 1)) throw new RangeError(`Expected \`ttlMs\` to be a number from 1 and up, got ${ttlMs}`);
    const key = this.layout.lock(name);
    const owner = options.owner ?? this.randomId();
    if (owner.length === 0) throw new RangeError("Expected a non-empty `owner`");
    try {
      const token = await this.guard.call("lock.acquire", (d) => d.acquireLock(key, this.layout.fence(name), owner, ttlMs));
      if (token === null) return { acquired: false, reason: "held" };
      return { acquired: true, lease: new Lease(this.guard, name, key, owner, token, ttlMs) };
    } catch (e) {
      if (isStoreUnavailableError(e)) return { acquired: false, reason: "unavailable" };
      throw e;
    }
  }

  /**
   * The owner token of whoever holds lock `name` now, or null when it is free.
   * @throws StoreUnavailableError when Redis is unavailable.
   */
  async holder(name: string): Promise<string | null> {
    const key = this.layout.lock(name);
    return this.guard.call("lock.holder", (d) => d.get(key));
  }

  /**
   * The lease of a holder that outlives one process: work that moves between instances (a
   * discovery run's queue messages) keeps the owner token and fencing token it acquired with and
   * resumes the lease to renew or release it. Makes no call; `renew` tells whether it still holds.
   */
  resume(name: string, owner: string, fencingToken: number, ttlMs: number): Lease {
    return new Lease(this.guard, name, this.layout.lock(name), owner, fencingToken, ttlMs);
  }
}
