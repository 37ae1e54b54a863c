// The few store calls the run service makes in a shape of its own: a fenced commit whose refusal
// is an outcome, not an error, and a lock acquisition that throws when the store cannot answer
// (so "unavailable" is never taken for "held").
import type { Fence } from "../cache/index.js";
import { isSnapshotError, type Lease, type Store, StoreUnavailableError } from "../cache/index.js";
import type { TopologyExport } from "../topology/export-format.js";

export type { Fence } from "../cache/index.js";

/** Outcome of {@link commitFenced}. */
export type FencedCommit = "committed" | "fenced";

/**
 * Stages and commits `snapshot` as the current one of `scope`; the store refuses it, atomically
 * with the pointer swap, when `fence` no longer holds (a newer run took the scope lock).
 * @throws StoreUnavailableError when the store fails; SnapshotError for the snapshot's own failures.
 */
export async function commitFenced(store: Store, scope: string, snapshot: TopologyExport, fence: Fence): Promise<FencedCommit> {
  try {
    await store.snapshots.write(scope, snapshot, { fence });
    return "committed";
  } catch (error) {
    if (isSnapshotError(error) && error.reason === "fenced") return "fenced";
    throw error;
  }
}

/** Outcome of {@link acquireLock}. */
export type Acquired = { acquired: true; lease: Lease } | { acquired: false; reason: "held" };

/**
 * Takes lock `name` for `owner` (an ambiguous outcome is read back by the store).
 * @throws StoreUnavailableError when the store cannot tell whether the lock was taken.
 */
export async function acquireLock(store: Store, name: string, owner: string, ttlMs: number): Promise<Acquired> {
  const taken = await store.locks.acquire(name, { ttlMs, owner });
  if (taken.acquired) return taken;
  if (taken.reason === "held") return { acquired: false, reason: "held" };
  throw new StoreUnavailableError("lock.acquire", "failed");
}
