/** How one input fared in a pool run; every input gets exactly one, in input order. */
export type TaskRecord<T, R> =
  | { item: T; index: number; ok: true; value: R; attempts: number; durationMs: number }
  | {
      item: T;
      index: number;
      ok: false;
      /** What the task threw; for a task never started (fail-fast, abort), the cancellation reason. */
      error: unknown;
      /** 0 when the task never started. */
      attempts: number;
      durationMs: number;
    };

/** What a task receives. */
export interface TaskContext {
  /** Position of the item in the input. */
  index: number;
  /** 1-based attempt number when the pool retries; otherwise 1. */
  attempt: number;
  /** Aborts on the task's timeout, fail-fast, or the run's signal. Pass it on. */
  signal: AbortSignal;
}

/** Reported after each task settles. */
export interface PoolProgress<T, R> {
  done: number;
  total: number;
  failed: number;
  record: TaskRecord<T, R>;
}
