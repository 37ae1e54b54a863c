import { type PoolOptions, runPool } from "./run-pool.js";
import type { TaskContext } from "./task-record.js";

/**
 * `Promise.all(items.map(fn))` with bounded concurrency: values in input order, or a rejection with
 * the first failure (fail-fast: running tasks are aborted, the rest never start).
 */
export async function parallelMap<T, R>(
  items: Iterable<T>,
  fn: (item: T, context: TaskContext) => Promise<R>,
  options: Omit<PoolOptions<T, R>, "failFast"> = {},
): Promise<R[]> {
  let first: { error: unknown } | undefined;
  const records = await runPool(items, fn, {
    ...options,
    failFast: true,
    onProgress: (progress) => {
      // Settle order: the first failure is the one that stopped the run, not the cancellations after it.
      if (!progress.record.ok && first === undefined) first = { error: progress.record.error };
      options.onProgress?.(progress);
    },
  });
  if (first !== undefined) throw first.error;
  return records.map((r) => (r.ok ? r.value : (undefined as never)));
}
