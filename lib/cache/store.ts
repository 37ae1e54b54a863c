import { createLogger, type Logger } from "../log/index.js";
import type { CircuitBreaker } from "../resilience/index.js";
import { DocumentStore } from "./documents/document-store.js";
import type { DriverName, StoreDriver } from "./driver/store-driver.js";
import { Generation } from "./generation/generation.js";
import { StoreGuard } from "./guard/store-guard.js";
import type { StoreState } from "./guard/store-state.js";
import { KeyLayout } from "./keys/key-layout.js";
import { LockManager } from "./lock/lock-manager.js";
import { SnapshotStore, type SnapshotStoreOptions } from "./snapshot/snapshot-store.js";
import { Cache, type CacheOptions } from "./values/cache.js";
import { CacheStats, type NamespaceStats } from "./values/cache-stats.js";

/** Options of {@link Store}. */
export interface StoreOptions {
  driver: StoreDriver;
  /** @default a logger at info level on stdout */
  log?: Logger;
  /** Every key starts with it; give tests and tenants their own. @default "topdeck" */
  prefix?: string;
  /** Longest wait for one cache or generation operation. @default 250 */
  timeoutMs?: number;
  /**
   * Longest wait for one lock operation (acquire, renew, release, holder): longer than a cache
   * read, since a slow lock command may still be applied. @default 5000
   */
  lockTimeoutMs?: number;
  /** The breaker for this Redis. @default opens after 3 consecutive failures, probes after 5 s */
  breaker?: CircuitBreaker;
  /** Snapshot store tuning (chunk size, kept count, timeouts). */
  snapshots?: Omit<SnapshotStoreOptions, "guard" | "layout" | "generation" | "log">;
  /** Wall clock (freshness, timestamps). @default Date.now */
  now?: () => number;
  /** Monotonic clock for latency statistics. @default performance.now */
  elapsed?: () => number;
  /** Lock owner tokens and snapshot write ids. @default crypto.randomUUID */
  randomId?: () => string;
}

/**
 * Everything TopDeck keeps between runs, over one driver: namespaced caches, the snapshot store,
 * distributed locks, documents and the generation, behind one breaker and one set of counters.
 */
export class Store {
  /** Snapshots of discovery runs. */
  readonly snapshots: SnapshotStore;
  /** Distributed locks with fencing tokens. */
  readonly locks: LockManager;
  /** The snapshot generation that generational caches key on. */
  readonly generation: Generation;
  /** JSON documents whose loss is not a cache miss (discovery run state). */
  readonly documents: DocumentStore;
  private readonly guard: StoreGuard;
  private readonly caches = new Map<string, Cache>();
  private readonly cacheStats = new CacheStats();
  private readonly layout: KeyLayout;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly elapsed: () => number;

  constructor(options: StoreOptions) {
    this.log = options.log ?? createLogger();
    this.layout = new KeyLayout(options.prefix);
    this.guard = new StoreGuard({ driver: options.driver, timeoutMs: options.timeoutMs, breaker: options.breaker, log: this.log });
    this.generation = new Generation(this.guard, this.layout);
    this.now = options.now ?? Date.now;
    this.elapsed = options.elapsed ?? (() => performance.now());
    this.locks = new LockManager(this.guard, this.layout, options.randomId, options.lockTimeoutMs);
    this.documents = new DocumentStore(this.guard, this.layout);
    this.snapshots = new SnapshotStore({
      now: this.now,
      randomId: options.randomId,
      ...options.snapshots,
      guard: this.guard,
      layout: this.layout,
      generation: this.generation,
      log: this.log,
    });
  }

  /** Which backend holds the data. */
  get driver(): DriverName {
    return this.guard.driver.name;
  }

  /**
   * The cache of `namespace`, made on first use; later calls return the same instance (so one
   * single-flight table per namespace).
   * @throws TypeError when asked for a namespace again with a different `generational` setting.
   */
  cache(namespace: string, options: CacheOptions = {}): Cache {
    const generational = options.generational ?? false;
    const existing = this.caches.get(namespace);
    if (existing !== undefined) {
      if (existing.generational !== generational) {
        throw new TypeError(`Cache namespace "${namespace}" already exists with generational: ${existing.generational}`);
      }
      return existing;
    }
    const deps = {
      guard: this.guard,
      layout: this.layout,
      generation: this.generation,
      stats: this.cacheStats,
      log: this.log,
      now: this.now,
      elapsed: this.elapsed,
    };
    const cache = new Cache(deps, namespace, {
      generational,
      ...(options.maxValueBytes !== undefined && { maxValueBytes: options.maxValueBytes }),
    });
    this.caches.set(namespace, cache);
    return cache;
  }

  /** Driver, up/degraded/down, breaker state and counters, for the health endpoint. */
  state(): StoreState {
    return this.guard.state();
  }

  /** Hits, misses, errors and latency per cache namespace, counted by this instance. */
  stats(): Record<string, NamespaceStats> {
    return this.cacheStats.snapshot();
  }

  /** Resolves once no cache load or background revalidation is running (for shutdown and tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.caches.values()].map((c) => c.idle()));
  }
}
