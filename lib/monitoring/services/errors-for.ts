import { correlateErrors, type ErrorCorrelation, type ResourceErrorLog } from "../analysis/error-correlation.js";
import { classifyErrors } from "../loki/classify-errors.js";
import { lineContains, lineMatches } from "../loki/logql.js";
import { templateFor } from "../templates/match-template.js";
import { logSelectorFor } from "../templates/render-queries.js";
import { requireLoki } from "./collectors.js";
import type { MonitoringContext, MonitoringRequest } from "./context.js";
import { templatesOf } from "./read-signals.js";
import { dependencyPath } from "./resolve-resource.js";
import { settleAll } from "./settle-all.js";
import type { TimeRange } from "./time-range.js";

/**
 * The line filter sent with every error query, so Loki returns candidate lines, not the whole
 * stream. Lines are then classified here. pino's numeric levels 50 and 60 are included.
 */
export const ERROR_PREFILTER = '(?i)(err|fatal|panic|crit|exception|fail|timed? ?out|refused|denied|unavailable|"level": ?[56]0)';

/** Extra input of {@link errorsFor}. */
export interface ErrorsRequest extends MonitoringRequest {
  /** Keep only lines containing this text (a correlation id, an error code); escaped. */
  search?: string;
  /** Most lines read per resource; the oldest are kept, so the onset is not cut off. @default 2000 */
  limitPerResource?: number;
}

/** The answer of `GET /api/monitoring/errors`. */
export interface PathErrors extends ErrorCorrelation {
  key: string;
  depth: number;
  range: TimeRange;
}

/**
 * Errors along the resource's dependency path (itself and what it depends on, to `depth` hops,
 * default 2) from Loki: classified by level and type, with correlation ids, ordered by when they
 * began, and the origin (whose errors started first).
 * @throws UnknownResourceError (404), MonitoringNotConfiguredError naming LOKI_URL (503),
 * MonitoringUnavailableError (503).
 */
export async function errorsFor(request: ErrorsRequest, context: MonitoringContext): Promise<PathErrors> {
  const loki = requireLoki(context.collectors, "Error correlation");
  const depth = request.depth ?? 2;
  const path = dependencyPath(context, request.key, depth);
  const templates = templatesOf(context);
  const { range } = request;
  const filters = [lineMatches(ERROR_PREFILTER), ...(request.search ? [lineContains(request.search)] : [])].join(" ");
  const logs = await settleAll(
    path,
    async (entry, task): Promise<ResourceErrorLog> => {
      const base = { key: entry.key, distance: entry.distance, errors: [], truncated: false };
      if (!entry.resource) return { ...base, unmonitored: "not described in the topology" };
      const chosen = templateFor(entry.resource, templates);
      if (!chosen) return { ...base, unmonitored: `no query template for type ${entry.resource.type}` };
      const selector = logSelectorFor(entry.resource, chosen.template);
      if (selector === undefined) return { ...base, unmonitored: "a label value its template needs is missing, empty or not valid text" };
      const result = await loki.queryRange(
        `${selector} ${filters}`,
        { startMs: range.startMs, endMs: range.endMs, limit: request.limitPerResource ?? 2000, direction: "forward" },
        task.signal,
      );
      return { ...base, errors: classifyErrors(result.entries), truncated: result.truncated };
    },
    { concurrency: context.concurrency ?? 4, ...(context.signal && { signal: context.signal }) },
  );
  const correlation = correlateErrors(logs, { startMs: range.startMs, endMs: range.endMs, bucketMs: range.stepSeconds * 1000 });
  return { key: path[0]!.key, depth, range, ...correlation };
}
