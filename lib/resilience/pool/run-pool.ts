import pLimit from "p-limit";

import { abortReason, type Now, type Sleep, systemSleep } from "../common/clock.js";
import type { RetryPolicy } from "../retry/retry-policy.js";
import { raceTimeout } from "../timeout/with-timeout.js";
import type { PoolProgress, TaskContext, TaskRecord } from "./task-record.js";

/** Options of {@link runPool}. */
export interface PoolOptions<T, R> {
  /** Tasks running at once. @default 8 */
  concurrency?: number;
  /** Limit per task, counted from when it starts (not while queued); aborts its signal. @default Infinity */
  taskTimeoutMs?: number;
  /** Stop at the first failure: abort running tasks, start no more (they are recorded, not dropped). @default false */
  failFast?: boolean;
  /** Retry each task with this policy; `attempts` in the record counts its attempts. @default undefined (one attempt) */
  retry?: RetryPolicy;
  /** Aborts the whole run, as fail-fast does. */
  signal?: AbortSignal;
  /** Called after each task settles. Must not throw (it is ignored if it does). */
  onProgress?: (progress: PoolProgress<T, R>) => void;
  /** @default Date.now */
  now?: Now;
  /** @default systemSleep */
  sleep?: Sleep;
}

/**
 * Runs `task` over `items` with bounded concurrency (p-limit) and returns one settled record per
 * input, in input order; a failure never drops an item.
 *
 * Warning: a task that ignores its signal keeps running after a timeout or fail-fast, outside the
 * concurrency bound; pass the signal on to every call inside.
 */
export async function runPool<T, R>(
  items: Iterable<T>,
  task: (item: T, context: TaskContext) => Promise<R>,
  options: PoolOptions<T, R> = {},
): Promise<TaskRecord<T, R>[]> {
  const { concurrency = 8, taskTimeoutMs = Infinity, failFast = false, retry, signal, onProgress } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? systemSleep;
  const limit = pLimit(concurrency);
  const list = [...items];
  // Cancels every running task; a Set of callbacks, as an abort listener per task costs more than
  // the rest of the pool's bookkeeping together.
  const running = new Set<(reason: Error) => void>();
  let stopped: Error | undefined;
  const stopAll = (reason: Error): void => {
    if (stopped) return;
    stopped = reason;
    for (const cancel of [...running]) cancel(reason);
  };
  const subscribe = (cancel: (reason: Error) => void): (() => void) => {
    running.add(cancel);
    return () => running.delete(cancel);
  };
  const onAbort = (): void => stopAll(abortReason(signal));
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  let done = 0;
  let failed = 0;

  const settle = (record: TaskRecord<T, R>): TaskRecord<T, R> => {
    done++;
    if (!record.ok) failed++;
    try {
      onProgress?.({ done, total: list.length, failed, record });
    } catch {
      // Progress is advisory; a broken reporter must not lose records.
    }
    return record;
  };

  const runOne = async (item: T, index: number): Promise<TaskRecord<T, R>> => {
    if (stopped) return settle({ item, index, ok: false, error: stopped, attempts: 0, durationMs: 0 });
    const started = now();
    let attempts = 0;
    try {
      const value = await raceTimeout(
        (work) => {
          if (retry) {
            return retry.execute((ctx) => {
              attempts = ctx.attempt;
              return task(item, { index, attempt: ctx.attempt, signal: ctx.signal });
            }, work.signal);
          }
          attempts = 1;
          // A getter, so a task that never reads its signal never pays for one.
          return task(item, {
            index,
            attempt: 1,
            get signal() {
              return work.signal;
            },
          });
        },
        { timeoutMs: taskTimeoutMs, what: "task", sleep, subscribe },
      );
      return settle({ item, index, ok: true, value, attempts, durationMs: now() - started });
    } catch (error) {
      if (failFast && !stopped) stopAll(new DOMException(`Cancelled: item ${index} failed and the pool is fail-fast`, "AbortError"));
      return settle({ item, index, ok: false, error, attempts, durationMs: now() - started });
    }
  };

  try {
    return await Promise.all(list.map((item, index) => limit(runOne, item, index)));
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}
