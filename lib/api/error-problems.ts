/**
 * Known error kinds and the problem each is answered with: the one mapping every route uses
 * (apiHandler), as hono's error handler is one place. Routes throw; they do not catch to convert.
 */
import { isSnapshotError, isStoreUnavailableError } from "../cache/index.js";
import { isProblemError, type Problem, unavailable } from "./problem.js";
import { monitoringProblem } from "./queries/monitoring.js";

/** A problem to answer with, and how long the caller should wait (sent as Retry-After). */
export interface MappedProblem {
  problem: Problem;
  retryAfterSeconds?: number;
}

/**
 * The problem for `error`: a ProblemError's own; the store unavailable → 503 (`dependency:
 * "store"`); no kept snapshot readable → 503; a monitoring error (docs/monitoring.md) → its
 * 400/404/502/503/504. Undefined for anything else (the handler logs it and answers 500).
 */
export function problemFor(error: unknown): MappedProblem | undefined {
  if (isProblemError(error)) {
    const wait = error.problem.retryAfterSeconds;
    return { problem: error.problem, ...(typeof wait === "number" ? { retryAfterSeconds: wait } : {}) };
  }
  if (isStoreUnavailableError(error))
    return { problem: unavailable("The store is unavailable; try again shortly.", { dependency: "store" }).problem };
  if (isSnapshotError(error))
    return {
      problem: unavailable("No kept snapshot could be read; the next discovery run will replace it.", { dependency: "store" }).problem,
    };
  const monitoring = monitoringProblem(error);
  if (monitoring !== undefined)
    return {
      problem: monitoring.problem.problem,
      ...(monitoring.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: monitoring.retryAfterSeconds }),
    };
  return undefined;
}
