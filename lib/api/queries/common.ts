import { z } from "zod";

import { recordCacheLookup } from "../../telemetry/index.js";
import type { LoadedSnapshot, QueryStore, SnapshotSource } from "../snapshot-source.js";

/** What every query service needs: the current snapshot and the store's generational cache. */
export interface QueryContext {
  source: SnapshotSource;
  store: Pick<QueryStore, "cache">;
}

/** How long a query result stays in the generational cache (a new snapshot retires it anyway). */
export const QUERY_TTL_MS = 3_600_000;

/**
 * Largest answer the query cache stores (characters of JSON, 4 MiB): a larger one is computed
 * for its caller and not kept, so a few deep queries cannot fill the store or the heap.
 */
export const QUERY_CACHE_MAX_VALUE_BYTES = 4_194_304;

/** Most values one repeated query parameter may have (after removing duplicates). */
export const MAX_PARAM_VALUES = 50;

const anyValue = z.custom<unknown>((v) => v !== undefined);

/**
 * `fn`'s answer over `snapshot`, cached in the `queries` namespace under the generation of that
 * snapshot: the same query on any instance is computed once per snapshot. A copy that is not the
 * head's current at its generation (a fall-back to an older kept snapshot, or this instance's
 * copy during an outage) is computed and never cached, so no instance finds an answer from an
 * older graph under a newer generation. A store that cannot answer means computing it.
 */
export async function cachedQuery<T>(ctx: QueryContext, snapshot: LoadedSnapshot, key: string[], fn: () => T | Promise<T>): Promise<T> {
  if (!snapshot.authoritative) {
    recordCacheLookup(false);
    return fn();
  }
  const cache = ctx.store.cache("queries", { generational: true, maxValueBytes: QUERY_CACHE_MAX_VALUE_BYTES });
  let computed = false;
  const value = await cache.cached(
    async () => {
      computed = true;
      return fn();
    },
    { key, ttlMs: QUERY_TTL_MS, schema: anyValue as z.ZodType<T>, cacheEmpty: true, generation: snapshot.generation },
  );
  recordCacheLookup(!computed);
  return value;
}

/** Where a result came from, on every answer. */
export interface SnapshotInfo {
  runId: string;
  generation: number;
  committedAt?: string;
}

/** The snapshot facts an answer carries. */
export function snapshotInfo(s: LoadedSnapshot): SnapshotInfo {
  return { runId: s.meta.runId, generation: s.generation, ...(s.manifest.committedAt ? { committedAt: s.manifest.committedAt } : {}) };
}

/**
 * A query parameter that may be given once or repeated: its values deduplicated and sorted (so
 * `a&a&b`, `b&a` and the cache key they make are one), at most MAX_PARAM_VALUES of them.
 */
export const oneOrMany = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => [...new Set(Array.isArray(v) ? v : [v])].sort())
  .pipe(z.array(z.string()).max(MAX_PARAM_VALUES, `at most ${MAX_PARAM_VALUES} distinct values`));

/** A bounded integer query parameter. */
export function intParam(min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .regex(/^\d{1,7}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** A non-empty, bounded string query parameter. */
export const text = (max = 2048): z.ZodString => z.string().min(1, "must not be empty").max(max);
