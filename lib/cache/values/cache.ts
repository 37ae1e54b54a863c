import type { ZodType } from "zod";

import type { Logger } from "../../log/index.js";
import { isStoreUnavailableError } from "../errors/store-unavailable-error.js";
import type { Generation } from "../generation/generation.js";
import type { StoreGuard } from "../guard/store-guard.js";
import type { KeyInput, KeyLayout } from "../keys/key-layout.js";
import type { CacheStats, NamespaceStats } from "./cache-stats.js";
import { unwrap, wrap } from "./envelope.js";
import { scanDelete } from "./scan-delete.js";
import { SingleFlight } from "./single-flight.js";

/** What a cache needs from its store. */
export interface CacheDeps {
  guard: StoreGuard;
  layout: KeyLayout;
  generation: Generation;
  stats: CacheStats;
  log: Logger;
  /** Wall clock for freshness (the store passes Date.now unless told otherwise). */
  now: () => number;
  /** Monotonic clock for latency (the store passes performance.now unless told otherwise). */
  elapsed: () => number;
}

/** Options of one cache namespace. */
export interface CacheOptions {
  /**
   * Keys carry the snapshot generation, so committing a snapshot makes every entry unreachable:
   * for query results computed from a snapshot. @default false
   */
  generational?: boolean;
  /**
   * Largest value (characters of its stored JSON) the namespace writes; a larger one is answered
   * to its caller but never stored, so one huge answer cannot fill the store. @default no limit
   */
  maxValueBytes?: number;
}

/** Options of {@link Cache.set}. */
export interface CacheSetOptions {
  /** How long the value is fresh. */
  ttlMs: number;
  /** How much longer it may be served stale by `cached` while being revalidated. @default 0 */
  staleMs?: number;
}

/** Outcome of a write: stored, or dropped because Redis was unavailable (counted, not thrown). */
export type CacheSetResult = { stored: true } | { stored: false; reason: "unavailable" | "too-large" };

/** Outcome of {@link Cache.invalidate}: how many entries went, and whether the scan finished. */
export interface InvalidateResult {
  deleted: number;
  /** False when Redis became unavailable part-way; what is left expires with its TTL. */
  complete: boolean;
}

/** Options of {@link Cache.cached}. */
export interface CachedOptions<T> {
  key: KeyInput;
  /** How long a loaded value is fresh. */
  ttlMs: number;
  /** Validates what is read back; a value that fails is a logged miss. */
  schema: ZodType<T>;
  /** Store results that `isEmpty` calls empty too (a "nothing there" answer worth remembering). @default false */
  cacheEmpty?: boolean;
  /** What counts as empty. @default null, undefined, or an array of length 0 */
  isEmpty?: (value: T) => boolean;
  /** TTL of an empty result when `cacheEmpty` is on. @default ttlMs */
  emptyTtlMs?: number;
  /**
   * After `ttlMs`, serve the old value for this much longer while one background call refreshes
   * it. @default 0 (off)
   */
  staleWhileRevalidateMs?: number;
  /**
   * For a generational cache: read and write under exactly this generation instead of the
   * current one, i.e. the generation of the snapshot the value is computed from, so an answer
   * from an older snapshot never lands under a newer generation. @default the current generation
   */
  generation?: number;
}

type Read<T> =
  { status: "fresh" | "stale"; value: T; generation?: number } | { status: "miss"; generation?: number; unavailable?: boolean };

const isEmptyDefault = (v: unknown): boolean => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

/**
 * One namespace of cached JSON values: get and set with TTL, schema-checked reads, delete, exists,
 * pattern invalidation with SCAN, and `cached` (single-flight, empty results, stale-while-
 * revalidate). Redis being unavailable is never an error here: reads miss, writes are dropped,
 * and both are counted.
 */
export class Cache {
  private readonly flights = new SingleFlight();
  private readonly refreshes = new SingleFlight();
  /** Whether keys carry the snapshot generation. */
  readonly generational: boolean;
  /** Largest value written, in characters of stored JSON (undefined: no limit). */
  readonly maxValueBytes: number | undefined;

  constructor(
    private readonly deps: CacheDeps,
    /** Names the cache in keys and statistics. */
    readonly namespace: string,
    options: CacheOptions = {},
  ) {
    this.generational = options.generational ?? false;
    this.maxValueBytes = options.maxValueBytes;
  }

  /** This namespace's counters. */
  get stats(): NamespaceStats {
    return this.deps.stats.of(this.namespace);
  }

  /** The fresh value at `key`, or undefined when absent, stale, unreadable or Redis is unavailable. */
  async get<T>(key: KeyInput, schema: ZodType<T>): Promise<T | undefined> {
    const read = await this.read(key, schema);
    if (read.status === "fresh") return read.value;
    if (read.status === "stale") this.stats.misses++;
    return undefined;
  }

  /** Stores `value` (JSON) at `key` for `ttlMs`. */
  async set<T>(key: KeyInput, value: T, options: CacheSetOptions): Promise<CacheSetResult> {
    const generation = this.generational ? this.deps.generation.known : undefined;
    return this.write(key, value, options.ttlMs, options.staleMs ?? 0, generation);
  }

  /**
   * Deletes the entry at `key`; true when there was one.
   *
   * Warning: while Redis is unavailable the delete is dropped (counted) and the entry lives until
   * its TTL; for answers that must not outlive a discovery run, use a generational cache.
   */
  async delete(key: KeyInput): Promise<boolean> {
    try {
      const fullKey = await this.keyOf(key);
      const n = await this.deps.guard.call("del", (d) => d.del([fullKey]));
      this.stats.deleted += n;
      return n > 0;
    } catch (e) {
      this.dropped(e);
      return false;
    }
  }

  /** True when an entry (fresh or stale) is at `key`; false also when Redis is unavailable. */
  async exists(key: KeyInput): Promise<boolean> {
    try {
      const fullKey = await this.keyOf(key);
      return await this.deps.guard.call("exists", (d) => d.exists(fullKey));
    } catch (e) {
      this.unavailable(e);
      return false;
    }
  }

  /**
   * Deletes the entry at `prefix` and every entry nested under it (`["vm", id]` goes with
   * `["vm"]`), or the whole namespace when `prefix` is empty. Uses SCAN, never KEYS; every part is
   * escaped, so `*`, `?`, `[` and `\` in a resource id match only themselves.
   */
  async invalidate(prefix: KeyInput = []): Promise<InvalidateResult> {
    const parts = typeof prefix === "string" ? [prefix] : [...prefix];
    let deleted = 0;
    try {
      const generation = this.generational ? await this.currentGeneration() : undefined;
      if (parts.length > 0) {
        const exact = this.deps.layout.entry(this.namespace, parts, generation);
        deleted += await this.deps.guard.call("del", (d) => d.del([exact]));
      }
      const match = this.deps.layout.entryPattern(this.namespace, parts, generation);
      await scanDelete(this.deps.guard, match, (n) => (deleted += n));
      return { deleted, complete: true };
    } catch (e) {
      this.dropped(e);
      return { deleted, complete: false };
    } finally {
      this.stats.deleted += deleted;
    }
  }

  /**
   * The value at `key`, loading it with `fn` on a miss and storing it. Concurrent calls for one key
   * share one read and at most one `fn` call in this instance. When Redis is unavailable, `fn`
   * answers every call.
   *
   * Warning: `fn` runs once for all concurrent callers; an error it throws reaches them all.
   */
  async cached<T>(fn: () => Promise<T>, options: CachedOptions<T>): Promise<T> {
    const pinned = this.generational ? options.generation : undefined;
    const flightKey = this.deps.layout.entry(this.namespace, options.key, pinned);
    return this.flights.run(flightKey, async () => {
      const read = await this.read(options.key, options.schema, pinned);
      if (read.status === "fresh") return read.value;
      if (read.status === "stale" && (options.staleWhileRevalidateMs ?? 0) > 0) {
        this.stats.staleHits++;
        this.refreshes
          .run(flightKey, () => this.load(fn, options, read.generation))
          .catch((e: unknown) => {
            this.deps.log.warn("cache revalidation failed; the stale value stays until it expires", {
              namespace: this.namespace,
              error: e instanceof Error ? e.message : String(e),
            });
          });
        return read.value;
      }
      if (read.status === "stale") this.stats.misses++;
      else if (read.status === "miss" && read.unavailable === true) this.deps.guard.counters.fallthroughReads++;
      return this.load(fn, options, read.generation);
    });
  }

  /** Resolves once no `cached` call or background revalidation is running. */
  async idle(): Promise<void> {
    await this.flights.idle();
    await this.refreshes.idle();
  }

  private async load<T>(fn: () => Promise<T>, o: CachedOptions<T>, generation: number | undefined): Promise<T> {
    this.stats.loads++;
    const value = await fn();
    const empty = (o.isEmpty ?? isEmptyDefault)(value);
    if (!empty || o.cacheEmpty === true) {
      const ttlMs = empty ? (o.emptyTtlMs ?? o.ttlMs) : o.ttlMs;
      await this.write(o.key, value, ttlMs, o.staleWhileRevalidateMs ?? 0, generation);
    }
    return value;
  }

  private async write(
    key: KeyInput,
    value: unknown,
    ttlMs: number,
    staleMs: number,
    generation: number | undefined,
  ): Promise<CacheSetResult> {
    if (!(ttlMs > 0)) throw new RangeError(`Expected \`ttlMs\` to be a number above 0, got ${ttlMs}`);
    const now = this.deps.now();
    const text = wrap(value, now, now + ttlMs);
    if (this.maxValueBytes !== undefined && text.length > this.maxValueBytes) {
      this.deps.log.debug("cache value too large to store", {
        namespace: this.namespace,
        chars: text.length,
        maxValueBytes: this.maxValueBytes,
      });
      return { stored: false, reason: "too-large" };
    }
    try {
      const gen = this.generational ? (generation ?? (await this.currentGeneration())) : undefined;
      const fullKey = this.deps.layout.entry(this.namespace, key, gen);
      await this.deps.guard.call("set", (d) => d.set(fullKey, text, ttlMs + Math.max(0, staleMs)));
      this.stats.sets++;
      return { stored: true };
    } catch (e) {
      this.dropped(e);
      return { stored: false, reason: "unavailable" };
    }
  }

  private async read<T>(key: KeyInput, schema: ZodType<T>, pinned?: number): Promise<Read<T>> {
    const started = this.deps.elapsed();
    let text: string | null;
    let generation: number | undefined = pinned;
    let fullKey: string;
    try {
      if (pinned !== undefined) {
        fullKey = this.deps.layout.entry(this.namespace, key, pinned);
        const pinnedKey = fullKey;
        text = await this.deps.guard.call("get", (d) => d.get(pinnedKey));
      } else if (this.generational) {
        // One MGET reads the generation and the entry under the generation last seen: one round
        // trip, and a second one only right after a commit moved the generation.
        const guess = this.deps.generation.known ?? 0;
        const genKey = this.deps.layout.generation();
        fullKey = this.deps.layout.entry(this.namespace, key, guess);
        const guessKey = fullKey;
        const [rawGen, value] = await this.deps.guard.call("get", (d) => d.mget([genKey, guessKey]));
        generation = this.deps.generation.observe(rawGen ?? null);
        text = value ?? null;
        if (generation !== guess) {
          fullKey = this.deps.layout.entry(this.namespace, key, generation);
          const retryKey = fullKey;
          text = await this.deps.guard.call("get", (d) => d.get(retryKey));
        }
      } else {
        fullKey = this.deps.layout.entry(this.namespace, key);
        const plainKey = fullKey;
        text = await this.deps.guard.call("get", (d) => d.get(plainKey));
      }
    } catch (e) {
      this.unavailable(e);
      this.stats.misses++;
      return { status: "miss", generation, unavailable: true };
    }
    this.deps.stats.recordLatency(this.namespace, this.deps.elapsed() - started);
    const decoded = text === null ? undefined : this.decode(text, schema, fullKey);
    if (decoded === undefined) {
      this.stats.misses++;
      return { status: "miss", generation };
    }
    const fresh = this.deps.now() < decoded.freshUntil;
    if (fresh) this.stats.hits++;
    return { status: fresh ? "fresh" : "stale", value: decoded.value, generation };
  }

  private decode<T>(text: string, schema: ZodType<T>, fullKey: string): { value: T; freshUntil: number } | undefined {
    const unwrapped = unwrap(text);
    const parsed = unwrapped.ok ? schema.safeParse(unwrapped.envelope.v) : undefined;
    if (unwrapped.ok && parsed?.success) return { value: parsed.data, freshUntil: unwrapped.envelope.f };
    this.stats.corrupt++;
    this.deps.log.warn("cache value unreadable; treated as a miss", {
      namespace: this.namespace,
      key: fullKey,
      why: unwrapped.ok ? `failed the schema: ${parsed?.error?.issues[0]?.message ?? "?"}` : unwrapped.why,
    });
    return undefined;
  }

  private async keyOf(key: KeyInput): Promise<string> {
    const generation = this.generational ? await this.currentGeneration() : undefined;
    return this.deps.layout.entry(this.namespace, key, generation);
  }

  private async currentGeneration(): Promise<number> {
    return this.deps.generation.known ?? (await this.deps.generation.current());
  }

  private dropped(e: unknown): void {
    this.unavailable(e);
    this.stats.droppedWrites++;
    this.deps.guard.counters.droppedWrites++;
  }

  private unavailable(e: unknown): void {
    if (!isStoreUnavailableError(e)) throw e;
    this.stats.errors++;
  }
}
