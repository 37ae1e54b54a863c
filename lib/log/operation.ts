import { currentScope, withLogScope } from "./context.js";
import type { Logger } from "./logger.js";

/** Counts an operation adds to as it goes. */
export interface OperationRecorder {
  /** Adds to the number of items the operation handled. */
  items(count?: number): void;
  /** Adds to the number of errors the operation met (without failing it). */
  errors(count?: number): void;
}

/** The summary logged when an operation ends. */
export interface OperationSummary {
  operation: string;
  durationMs: number;
  items: number;
  errors: number;
  outcome: "ok" | "failed";
}

/**
 * Runs `fn` as a named operation: lines inside carry `operation`, and one line at the end records
 * its duration, item count and error count (a thrown error counts as one and is rethrown).
 */
export async function trackOperation<T>(
  log: Logger,
  operation: string,
  fn: (recorder: OperationRecorder) => Promise<T>,
  now: () => number = performance.now.bind(performance),
): Promise<T> {
  const started = now();
  let items = 0;
  let errors = 0;
  const recorder: OperationRecorder = {
    items: (n = 1) => void (items += n),
    errors: (n = 1) => void (errors += n),
  };
  const parent = currentScope();
  const scope = { ...parent, correlationId: parent?.correlationId ?? "", operation };
  const finish = (outcome: OperationSummary["outcome"]): OperationSummary => ({
    operation,
    durationMs: Math.round((now() - started) * 10) / 10,
    items,
    errors,
    outcome,
  });
  return withLogScope(scope, async () => {
    try {
      const result = await fn(recorder);
      const summary = finish("ok");
      if (summary.errors > 0) log.warn(`${operation} finished with errors`, { ...summary });
      else log.info(`${operation} finished`, { ...summary });
      return result;
    } catch (error) {
      errors += 1;
      log.error(`${operation} failed`, { ...finish("failed"), error });
      throw error;
    }
  });
}
