import { z } from "zod";

import { getConfig } from "../../config/index.js";
import { getLogger } from "../../log/index.js";
import {
  bottlenecksFor,
  createCollectors,
  errorsFor,
  healthFor,
  isInvalidTimeRangeError,
  isMonitoringNotConfiguredError,
  isMonitoringQueryError,
  isMonitoringResponseError,
  isMonitoringUnavailableError,
  isUnknownResourceError,
  MAX_DEPTH,
  metricsFor,
  type MonitoringCollectors,
  type MonitoringContext,
  type PathBottlenecks,
  type PathErrors,
  type QueryTemplates,
  queryTemplatesFromConfig,
  resolveTimeRange,
  type ResourceHealth,
  type ResourceMetrics,
  type TimeRange,
} from "../../monitoring/index.js";
import { notFound, type Problem, ProblemError, problemType, unavailable, validationProblem } from "../problem.js";
import { monitoringTopology } from "../snapshot-source.js";
import { intParam, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";
import { nodeOrNotFound } from "./resource-detail.js";

/** What the monitoring routes query: the backends (one left out means its setting is unset) and the templates. */
export interface MonitoringDeps {
  collectors: MonitoringCollectors;
  /** @default the built-in templates */
  templates?: QueryTemplates;
}

let appDeps: MonitoringDeps | undefined;

/**
 * The app's collectors and templates, from PROMETHEUS_URL, LOKI_URL, MONITORING_TIMEOUT_MS and
 * MONITORING_QUERY_TEMPLATES; built once per process so every request shares the breakers.
 */
export function appMonitoring(): MonitoringDeps {
  if (appDeps === undefined) {
    const config = getConfig();
    const collectors = createCollectors(config, {
      onStateChange: (key, state) => getLogger().warn("monitoring backend breaker changed state", { backend: key, state }),
    });
    appDeps = { collectors, templates: queryTemplatesFromConfig(config) };
  }
  return appDeps;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A point in time: epoch milliseconds, or an ISO 8601 date-time with its offset (`2026-01-02T03:04:05Z`). */
export const timeParam = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const ms = /^\d{1,15}$/.test(v) ? Number(v) : ISO_TIME.test(v) ? Date.parse(v) : Number.NaN;
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: "custom", message: "must be epoch milliseconds or an ISO 8601 date-time with an offset" });
      return z.NEVER;
    }
    return ms;
  });

const rangeFields = {
  id: text(),
  start: timeParam.optional(),
  end: timeParam.optional(),
  /** Seconds between points. */
  step: intParam(1, 86_400).optional(),
};

/** Query parameters of `GET /monitoring/metrics` and `GET /monitoring/health`. */
export const monitoringParams = z.strictObject(rangeFields);

/** Query parameters of `GET /monitoring/bottlenecks`. */
export const bottlenecksParams = z.strictObject({ ...rangeFields, depth: intParam(0, MAX_DEPTH).optional() });

/** Query parameters of `GET /monitoring/errors`. */
export const errorsParams = z.strictObject({ ...rangeFields, depth: intParam(0, MAX_DEPTH).optional(), search: text(200).optional() });

/** Parsed parameters of `GET /monitoring/metrics` and `GET /monitoring/health`. */
export type MonitoringParams = z.output<typeof monitoringParams>;
/** Parsed parameters of `GET /monitoring/bottlenecks`. */
export type BottlenecksParams = z.output<typeof bottlenecksParams>;
/** Parsed parameters of `GET /monitoring/errors`. */
export type ErrorsParams = z.output<typeof errorsParams>;

/** A monitoring answer with the snapshot its resource and dependency path came from. */
export type WithSnapshot<T> = T & { snapshot: SnapshotInfo };

const rangeField: Record<string, string> = { startMs: "query.start", endMs: "query.end", stepSeconds: "query.step" };
const backendName = (b: string): string => (b === "loki" ? "Loki" : "Prometheus");

/**
 * A monitoring library error as the problem it is answered with (docs/monitoring.md): not
 * configured → 503 naming `setting`; unavailable → 503 (`retryAfterSeconds` when the breaker is
 * open), timed out → 504; refused query or unreadable answer → 502; unknown resource → 404; bad
 * range → 400 naming the field. Undefined for anything else. Backend URLs are never echoed.
 */
export function monitoringProblem(error: unknown): { problem: ProblemError; retryAfterSeconds?: number } | undefined {
  if (isMonitoringNotConfiguredError(error)) {
    return {
      problem: unavailable(`${error.what} needs the ${error.setting} setting, which is not set.`, {
        dependency: error.setting === "LOKI_URL" ? "loki" : "prometheus",
        setting: error.setting,
      }),
    };
  }
  if (isMonitoringUnavailableError(error)) {
    const name = backendName(error.backend);
    if (error.reason === "timeout") {
      const problem: Problem = {
        type: problemType("dependency-timeout"),
        title: "Gateway timeout",
        status: 504,
        detail: `${name} did not answer in time; try again shortly.`,
        dependency: error.backend,
        reason: error.reason,
      };
      return { problem: new ProblemError(problem) };
    }
    const retryAfterSeconds = error.reason === "circuit-open" && error.retryAfterMs > 0 ? Math.ceil(error.retryAfterMs / 1000) : undefined;
    return {
      problem: unavailable(`${name} is unavailable (${error.reason}); try again shortly.`, {
        dependency: error.backend,
        reason: error.reason,
      }),
      ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    };
  }
  if (isMonitoringQueryError(error) || isMonitoringResponseError(error)) {
    const name = backendName(error.backend);
    const detail = isMonitoringQueryError(error)
      ? `${name} refused a templated query (${error.status} ${error.errorType}); check MONITORING_QUERY_TEMPLATES.`
      : `${name} answered with a response that could not be read.`;
    return {
      problem: new ProblemError({ type: problemType("bad-gateway"), title: "Bad gateway", status: 502, detail, dependency: error.backend }),
    };
  }
  if (isUnknownResourceError(error)) return { problem: notFound("query.id: no such resource in the current snapshot", "query.id") };
  if (isInvalidTimeRangeError(error)) {
    const field = rangeField[error.field] ?? "query";
    return { problem: validationProblem(field, `${field}: ${error.message}`) };
  }
  return undefined;
}

/** The resource's key in the current snapshot (404 naming `query.id` when absent) and the context to query it with. */
async function prepare(
  ctx: QueryContext,
  deps: MonitoringDeps,
  id: string,
): Promise<{ key: string; context: MonitoringContext; snapshot: SnapshotInfo }> {
  const snapshot = await ctx.source.current();
  const node = nodeOrNotFound(snapshot.graph, id, "query.id");
  const context: MonitoringContext = {
    topology: monitoringTopology(snapshot),
    collectors: deps.collectors,
    ...(deps.templates !== undefined && { templates: deps.templates }),
  };
  return { key: snapshot.graph.keys[node]!, context, snapshot: snapshotInfo(snapshot) };
}

/** The range of a request. @throws InvalidTimeRangeError */
function rangeOf(params: MonitoringParams): TimeRange {
  return resolveTimeRange({
    ...(params.start !== undefined && { startMs: params.start }),
    ...(params.end !== undefined && { endMs: params.end }),
    ...(params.step !== undefined && { stepSeconds: params.step }),
  });
}

/** `GET /monitoring/metrics`: the resource's signals over the range. */
export async function monitoringMetrics(
  ctx: QueryContext,
  deps: MonitoringDeps,
  params: MonitoringParams,
): Promise<WithSnapshot<ResourceMetrics>> {
  const { key, context, snapshot } = await prepare(ctx, deps, params.id);
  return { ...(await metricsFor({ key, range: rangeOf(params) }, context)), snapshot };
}

/** `GET /monitoring/health`: the resource's health score and status (`unknown` when Prometheus cannot answer). */
export async function monitoringHealth(
  ctx: QueryContext,
  deps: MonitoringDeps,
  params: MonitoringParams,
): Promise<WithSnapshot<ResourceHealth>> {
  const { key, context, snapshot } = await prepare(ctx, deps, params.id);
  return { ...(await healthFor({ key, range: rangeOf(params) }, context)), snapshot };
}

/** `GET /monitoring/bottlenecks`: bottlenecks along the resource's dependency path (the snapshot's edges). */
export async function monitoringBottlenecks(
  ctx: QueryContext,
  deps: MonitoringDeps,
  params: BottlenecksParams,
): Promise<WithSnapshot<PathBottlenecks>> {
  const { key, context, snapshot } = await prepare(ctx, deps, params.id);
  const request = { key, range: rangeOf(params), ...(params.depth !== undefined && { depth: params.depth }) };
  return { ...(await bottlenecksFor(request, context)), snapshot };
}

/** `GET /monitoring/errors`: errors along the resource's dependency path from Loki, correlated. */
export async function monitoringErrors(ctx: QueryContext, deps: MonitoringDeps, params: ErrorsParams): Promise<WithSnapshot<PathErrors>> {
  const { key, context, snapshot } = await prepare(ctx, deps, params.id);
  const request = {
    key,
    range: rangeOf(params),
    ...(params.depth !== undefined && { depth: params.depth }),
    ...(params.search !== undefined && { search: params.search }),
  };
  return { ...(await errorsFor(request, context)), snapshot };
}
