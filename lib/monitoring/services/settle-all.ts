import { runPool } from "../../resilience/pool/run-pool.js";
import type { TaskContext } from "../../resilience/pool/task-record.js";

/**
 * Runs `fn` over `items` with bounded concurrency, lets every call settle, then returns the values
 * in order or throws the first failure (in input order). Not fail-fast on purpose: aborting the
 * other queries when one fails would hide their failures from the backend's breaker (an aborted
 * call proves nothing), so an unreachable backend would take several requests more to be noticed.
 */
export async function settleAll<T, R>(
  items: readonly T[],
  fn: (item: T, context: TaskContext) => Promise<R>,
  options: { concurrency: number; signal?: AbortSignal },
): Promise<R[]> {
  const records = await runPool(items, fn, options);
  const failed = records.find((r) => !r.ok);
  if (failed && !failed.ok) throw failed.error;
  return records.map((r) => (r.ok ? r.value : (undefined as never)));
}
