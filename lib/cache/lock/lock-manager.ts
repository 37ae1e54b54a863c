import { randomUUID } from "node:crypto";

import { isStoreUnavailableError, type StoreUnavailableError } from "../errors/store-unavailable-error.js";
import type { StoreGuard } from "../guard/store-guard.js";
import type { KeyLayout } from "../keys/key-layout.js";
import { Lease } from "./lease.js";

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
 * by the owner only, and a fencing token that increases with each acquisition. Every lock
 * operation runs under its own time limit (`timeoutMs`), longer than a cache read's: a lock
 * command that is slow but applied must not be taken for one that failed.
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
    /** Longest wait for one acquire, renew, release or holder read. @default 5_000 */
    private readonly timeoutMs = 5_000,
  ) {}

  /**
   * Tries once to take lock `name`; does not wait for a holder to let go. When the store fails
   * after the command may have been applied (a timeout, a lost reply), reads the holder back:
   * this owner means acquired (with the fencing token read back), another means `held`; if the
   * readback fails too, releases the lock should this owner hold it, and answers `unavailable`.
   */
  async acquire(name: string, options: AcquireLockOptions): Promise<LockResult> {
    const { ttlMs } = options;
    if (!(ttlMs >= 1)) throw new RangeError(`Expected \`ttlMs\` to be a number from 1 and up, got ${ttlMs}`);
    const key = this.layout.lock(name);
    const owner = options.owner ?? this.randomId();
    if (owner.length === 0) throw new RangeError("Expected a non-empty `owner`");
    const fenceKey = this.layout.fence(name);
    try {
      const token = await this.guard.call("lock.acquire", (d) => d.acquireLock(key, fenceKey, owner, ttlMs), this.timeoutMs);
      if (token === null) return { acquired: false, reason: "held" };
      return { acquired: true, lease: this.lease(name, owner, token, ttlMs) };
    } catch (e) {
      if (!isStoreUnavailableError(e)) throw e;
      return this.readBack(name, owner, ttlMs, e);
    }
  }

  /**
   * The owner token of whoever holds lock `name` now, or null when it is free.
   * @throws StoreUnavailableError when Redis is unavailable.
   */
  async holder(name: string): Promise<string | null> {
    const key = this.layout.lock(name);
    return this.guard.call("lock.holder", (d) => d.get(key), this.timeoutMs);
  }

  /**
   * The lease of a holder that outlives one process: work that moves between instances (a
   * discovery run's queue messages) keeps the owner token and fencing token it acquired with and
   * resumes the lease to renew or release it. Makes no call; `renew` tells whether it still holds.
   */
  resume(name: string, owner: string, fencingToken: number, ttlMs: number): Lease {
    return this.lease(name, owner, fencingToken, ttlMs);
  }

  /** After an acquire with no answer: who holds the lock now, and under which fencing token. */
  private async readBack(name: string, owner: string, ttlMs: number, failure: StoreUnavailableError): Promise<LockResult> {
    // A refusal by the open breaker never reached the store: nothing to read back.
    if (failure.reason === "breaker-open") return { acquired: false, reason: "unavailable" };
    const key = this.layout.lock(name);
    const fenceKey = this.layout.fence(name);
    try {
      // One MGET: the holder and the counter as of the same instant.
      const [holder, token] = await this.guard.call("lock.readback", (d) => d.mget([key, fenceKey]), this.timeoutMs);
      const fencingToken = Number(token ?? Number.NaN);
      if (holder === owner && Number.isSafeInteger(fencingToken) && fencingToken > 0) {
        return { acquired: true, lease: this.lease(name, owner, fencingToken, ttlMs) };
      }
      // Ours but without a usable fencing token (the counter was lost): not a lease to work under.
      if (holder === owner) return this.giveUp(name, owner, ttlMs);
      // Taken by another, or free: the command did not take (or took and already expired).
      return { acquired: false, reason: holder === null || holder === undefined ? "unavailable" : "held" };
    } catch (e) {
      if (!isStoreUnavailableError(e)) throw e;
      return this.giveUp(name, owner, ttlMs);
    }
  }

  /** Releases the lock should `owner` hold it (best effort, so it does not block everyone until its TTL). */
  private async giveUp(name: string, owner: string, ttlMs: number): Promise<LockResult> {
    await this.lease(name, owner, 0, ttlMs).release();
    return { acquired: false, reason: "unavailable" };
  }

  private lease(name: string, owner: string, fencingToken: number, ttlMs: number): Lease {
    return new Lease(this.guard, name, this.layout.lock(name), owner, fencingToken, ttlMs, this.timeoutMs);
  }
}
