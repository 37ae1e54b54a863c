/**
 * The store: caches, snapshots, locks and the generation over Upstash Redis or in memory.
 * See docs/cache.md.
 */
import { getConfig } from "../config/index.js";
import { getLogger } from "../log/index.js";
import { createStore } from "./createStore.js";
import type { Store } from "./Store.js";

export { createStore, type CreateStoreOverrides, type StoreSettings } from "./createStore.js";
export { DocumentStore } from "./documents/DocumentStore.js";
export { globMatch } from "./driver/memory/globMatch.js";
export { MemoryDriver } from "./driver/memory/MemoryDriver.js";
export { MemoryKeyspace, type MemoryKeyspaceOptions } from "./driver/memory/MemoryKeyspace.js";
export type { DriverName, PointerSwap, PointerSwapResult, ScanPage, StoreDriver, SwapFence } from "./driver/StoreDriver.js";
export { type UpstashCommands, UpstashDriver, type UpstashDriverOptions } from "./driver/upstash/UpstashDriver.js";
export { isSnapshotError, SnapshotError, type SnapshotErrorReason } from "./errors/SnapshotError.js";
export { isStoreUnavailableError, StoreUnavailableError, type StoreUnavailableReason } from "./errors/StoreUnavailableError.js";
export { Generation } from "./generation/Generation.js";
export { StoreGuard, type StoreGuardOptions } from "./guard/StoreGuard.js";
export type { StoreCounters, StoreState } from "./guard/StoreState.js";
export {
  Cache,
  type CachedOptions,
  type CacheOptions,
  type CacheSetOptions,
  type CacheSetResult,
  type InvalidateResult,
} from "./helpers/Cache.js";
export type { NamespaceStats } from "./helpers/CacheStats.js";
export { escapeGlob } from "./keys/escapeGlob.js";
export { encodeKeyPart, type KeyInput, KeyLayout } from "./keys/KeyLayout.js";
export { Lease, type LeaseCheck } from "./lock/Lease.js";
export { type AcquireLockOptions, LockManager, type LockResult } from "./lock/LockManager.js";
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
} from "./snapshot/SnapshotStore.js";
export { Store, type StoreOptions } from "./Store.js";

let appStore: Store | undefined;

/** The app's store, made on first use from the settings (module scope: one per instance). */
export function getStore(): Store {
  appStore ??= createStore(getConfig(), getLogger());
  return appStore;
}
