// The store-layer API of issue 13 that branch i-cache is building (compare-and-set documents,
// fenced commits, Lease.check, lock acquisition that reads an ambiguous outcome back), behind one
// small adapter: each function uses the store's own method when it has it, and until then a
// check-then-act fallback over today's API. When i-cache is merged, each body shrinks to the
// direct call and this file can go.
//
// Warning: the fallbacks are not atomic across instances (a read, then a write); they keep the
// outcomes right for one writer at a time, which is what the scope lock already gives.
import type { ZodType } from "zod";

import { isSnapshotError, type Lease, type Store, StoreUnavailableError } from "../cache/index.js";
import type { TopologyExport } from "../topology/export-format.js";

/** What a commit must prove: lock `lock` is held by `owner`, and its fencing counter is `token`. */
export interface Fence {
  lock: string;
  owner: string;
  token: number;
}

/** A document and the version a compare-and-set must name. */
export interface Versioned<T> {
  value: T;
  version: string;
}

interface VersionedDocuments {
  getVersioned<T>(namespace: string, key: readonly string[], schema: ZodType<T>): Promise<Versioned<T> | undefined>;
  setIfVersion(namespace: string, key: readonly string[], value: unknown, ttlMs: number, expected: string | null): Promise<boolean>;
}

const hasVersions = (documents: unknown): documents is VersionedDocuments =>
  typeof (documents as Partial<VersionedDocuments>).getVersioned === "function" && typeof (documents as Partial<VersionedDocuments>).setIfVersion === "function";

/**
 * The document at `key` with its version, or undefined when absent.
 * @throws StoreUnavailableError when the store fails.
 */
export async function getVersioned<T>(store: Store, namespace: string, key: readonly string[], schema: ZodType<T>): Promise<Versioned<T> | undefined> {
  const documents: unknown = store.documents;
  if (hasVersions(documents)) return documents.getVersioned(namespace, key, schema);
  const value = await store.documents.get(namespace, [...key], schema);
  return value === undefined ? undefined : { value, version: JSON.stringify(value) };
}

/**
 * Writes the document only if its version is still `expected` (null: only if absent); false when
 * another writer got there first.
 * @throws StoreUnavailableError when the store fails.
 */
export async function setIfVersion<T>(store: Store, namespace: string, key: readonly string[], value: T, ttlMs: number, expected: string | null, schema: ZodType<T>): Promise<boolean> {
  const documents: unknown = store.documents;
  if (hasVersions(documents)) return documents.setIfVersion(namespace, key, value, ttlMs, expected);
  const current = await store.documents.get(namespace, [...key], schema);
  const version = current === undefined ? null : JSON.stringify(current);
  if (version !== expected) return false;
  await store.documents.set(namespace, [...key], value, ttlMs);
  return true;
}

/** Outcome of {@link commitFenced}. */
export type FencedCommit = "committed" | "fenced";

/**
 * Stages and commits `snapshot` as the current one of `scope`, refused when `fence` no longer
 * holds (a newer run took the scope lock).
 * @throws StoreUnavailableError when the store fails; SnapshotError for the snapshot's own failures.
 */
export async function commitFenced(store: Store, scope: string, snapshot: TopologyExport, fence: Fence): Promise<FencedCommit> {
  try {
    // i-cache: `store.snapshots.write(scope, snapshot, { fence })` checks the fence atomically
    // with the pointer swap. Until it is merged, the holder is checked just before the commit.
    if ((await store.locks.holder(fence.lock)) !== fence.owner) return "fenced";
    await store.snapshots.write(scope, snapshot);
    return "committed";
  } catch (error) {
    if (isFencedError(error)) return "fenced";
    throw error;
  }
}

/** True for the store's refusal of a commit whose fence no longer holds. */
export function isFencedError(error: unknown): boolean {
  if (!isSnapshotError(error)) return false;
  const { reason, code } = error as { reason?: unknown; code?: unknown };
  return reason === "fenced" || code === "fenced";
}

/** What a lease check found: still `held`, `lost` to expiry or another holder, or the store `unavailable`. */
export type LeaseState = "held" | "lost" | "unavailable";

/** Renews `lease` and says whether it still holds, telling a lost lease from a failing store. */
export async function checkLease(store: Store, lease: Lease): Promise<LeaseState> {
  const check = (lease as Partial<{ check(): Promise<LeaseState> }>).check;
  if (typeof check === "function") return check.call(lease);
  if (await lease.renew()) return "held";
  try {
    return (await store.locks.holder(lease.name)) === lease.owner ? "held" : "lost";
  } catch {
    return "unavailable";
  }
}

/** Outcome of {@link acquireLock}. */
export type Acquired = { acquired: true; lease: Lease } | { acquired: false; reason: "held" };

/**
 * Takes lock `name` for `owner`. An ambiguous outcome (the store failed the call) is read back:
 * a lock that did land for `owner` is released again, since its fencing token is unknown, and
 * the call throws, so the caller never holds, nor leaves behind, a lock it cannot account for.
 * @throws StoreUnavailableError when the store fails.
 */
export async function acquireLock(store: Store, name: string, owner: string, ttlMs: number): Promise<Acquired> {
  const taken = await store.locks.acquire(name, { ttlMs, owner });
  if (taken.acquired) return taken;
  if (taken.reason === "held") return { acquired: false, reason: "held" };
  const holder = await store.locks.holder(name);
  if (holder === owner) await store.locks.resume(name, owner, 0, ttlMs).release();
  throw new StoreUnavailableError("lock.acquire", "failed");
}
