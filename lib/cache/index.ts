/**
 * The store: caches, snapshots, locks and the generation over Upstash Redis or in memory.
 * See docs/cache.md.
 */
import { getConfig } from "../config/index.js";
import { getLogger } from "../log/index.js";
import { createStore } from "./create-store.js";
import type { Store } from "./store.js";

export { createStore, type CreateStoreOverrides, type StoreSettings } from "./create-store.js";
export { DocumentStore } from "./documents/document-store.js";
export { globMatch } from "./driver/memory/glob-match.js";
export { MemoryDriver } from "./driver/memory/memory-driver.js";
export { MemoryKeyspace, type MemoryKeyspaceOptions } from "./driver/memory/memory-keyspace.js";
export type { DriverName, PointerSwap, PointerSwapResult, ScanPage, StoreDriver, SwapFence } from "./driver/store-driver.js";
export { type UpstashCommands, UpstashDriver, type UpstashDriverOptions } from "./driver/upstash/upstash-driver.js";
export { isSnapshotError, SnapshotError, type SnapshotErrorReason } from "./errors/snapshot-error.js";
export { isStoreUnavailableError, StoreUnavailableError, type StoreUnavailableReason } from "./errors/store-unavailable-error.js";
export { Generation } from "./generation/generation.js";
export { StoreGuard, type StoreGuardOptions } from "./guard/store-guard.js";
export type { StoreCounters, StoreState } from "./guard/store-state.js";
export { escapeGlob } from "./keys/escape-glob.js";
export { encodeKeyPart, type KeyInput, KeyLayout } from "./keys/key-layout.js";
export { Lease, type LeaseCheck } from "./lock/lease.js";
export { type AcquireLockOptions, LockManager, type LockResult } from "./lock/lock-manager.js";
export type { ExportMeta, GraphIndex, PayloadBlocks } from "./snapshot/graph-index.js";
export type { SnapshotHead, SnapshotManifest } from "./snapshot/manifest.js";
export {
  type CommitOptions,
  type CommittedSnapshot,
  type Fence,
  type SnapshotGraphRead,
  type SnapshotPayloads,
  type SnapshotRead,
  SnapshotStore,
  type SnapshotStoreOptions,
  type StagedSnapshot,
} from "./snapshot/snapshot-store.js";
export { Store, type StoreOptions } from "./store.js";
export {
  Cache,
  type CachedOptions,
  type CacheOptions,
  type CacheSetOptions,
  type CacheSetResult,
  type InvalidateResult,
} from "./values/cache.js";
export type { NamespaceStats } from "./values/cache-stats.js";

let appStore: Store | undefined;

/** The app's store, made on first use from the settings (module scope: one per instance). */
export function getStore(): Store {
  appStore ??= createStore(getConfig(), getLogger());
  return appStore;
}
