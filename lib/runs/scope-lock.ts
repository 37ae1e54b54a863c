import { type Fence, type Lease, type LeaseCheck, type Store, StoreUnavailableError } from "../cache/index.js";
import type { RunRecord } from "./records.js";
import { acquireLock } from "./store-calls.js";

/** Timers the heartbeat runs on; tests pass vi's fake ones (the defaults are the globals). */
export interface HeartbeatTimers {
  setInterval: (fn: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

const globalTimers: HeartbeatTimers = {
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms);
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** Outcome of {@link ScopeLock.take}. */
export type TakeOutcome = { acquired: true; lease: Lease } | { acquired: false; holder: string | null };

/** A running heartbeat: its signal aborts once the lease is lost. */
export interface Heartbeat {
  /** Aborted (reason: an Error saying why) when a check finds the lease lost. */
  readonly signal: AbortSignal;
  /** Stops the checks. */
  stop(): void;
}

/** The lock name of a scope. */
export function scopeLockName(scope: string): string {
  return `discovery:${scope}`;
}

/** The fence a run's commit must pass: its scope lock, its run id, the token it acquired with. */
export function fenceOf(record: RunRecord): Fence {
  return { lock: record.lock.name, owner: record.runId, token: record.lock.fencingToken };
}

/**
 * A scope's discovery lock (owner token: the run id), and the heartbeat that renews it while a
 * subscription is discovered. The lock is a lease: a run that stops renewing it loses it after
 * `ttlMs`, and its commit is then refused by the fence.
 */
export class ScopeLock {
  constructor(
    private readonly store: Store,
    /** The lock's name. */
    readonly name: string,
    /** Lifetime unless renewed (DISCOVERY_LOCK_TTL_MS). */
    readonly ttlMs: number,
    private readonly timers: HeartbeatTimers = globalTimers,
  ) {}

  /**
   * Takes the lock for `runId`, or says who holds it. A lock that expires between the refused take
   * and the holder read is simply taken again.
   * @throws StoreUnavailableError when the store fails (never taken for "held").
   */
  async take(runId: string): Promise<TakeOutcome> {
    let holder: string | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const taken = await acquireLock(this.store, this.name, runId, this.ttlMs);
      if (taken.acquired) return taken;
      holder = await this.store.locks.holder(this.name);
      if (holder !== null) break;
    }
    return { acquired: false, holder };
  }

  /** The lease a run took, resumed from its record (no store call). */
  lease(record: RunRecord): Lease {
    return this.store.locks.resume(record.lock.name, record.runId, record.lock.fencingToken, record.lock.ttlMs);
  }

  /** Renews `lease`: held, lost (expired or taken by another run), or the store unavailable. */
  check(lease: Lease): Promise<LeaseCheck> {
    return lease.check();
  }

  /**
   * True while `lease` holds, false once lost.
   * @throws StoreUnavailableError when the store cannot tell (the delivery is retried, the run is not failed).
   */
  async holds(lease: Lease): Promise<boolean> {
    const state = await this.check(lease);
    if (state === "unavailable") throw new StoreUnavailableError("lock.renew", "failed");
    return state === "held";
  }

  /**
   * Renews `lease` every `intervalMs` (default: a third of its TTL, at least a second) until
   * stopped; the signal aborts when a renewal finds the lease lost. A renewal the store failed
   * is tried again on the next tick: the final check before committing decides.
   */
  heartbeat(lease: Lease, intervalMs = Math.max(1_000, Math.floor(lease.ttlMs / 3))): Heartbeat {
    const controller = new AbortController();
    let checking = false;
    const handle = this.timers.setInterval(() => {
      if (checking || controller.signal.aborted) return;
      checking = true;
      void this.check(lease)
        .then((state) => {
          if (state === "lost") controller.abort(new Error(`the scope lock ${lease.name} was lost (it expired or a newer run took it)`));
        })
        .catch(() => undefined)
        .finally(() => (checking = false));
    }, intervalMs);
    return {
      signal: controller.signal,
      stop: () => this.timers.clearInterval(handle),
    };
  }
}
