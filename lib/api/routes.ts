import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { z } from "zod";

import { getStore } from "../cache/index.js";
import type { RunSummary } from "../runs/run-service.js";
import { appRunService } from "./app-runs.js";
import { appScope } from "./app-scope.js";
import { hostAuthLevel } from "./auth.js";
import { explorerPageRoutes } from "./explorer/routes.js";
import { apiHandler, boundedText, json, parseQuery, type RouteDefinition } from "./handler.js";
import { fromZodError, validationProblem } from "./problem.js";
import { changesParams, changesQuery } from "./queries/changes.js";
import type { QueryContext } from "./queries/common.js";
import { explorerGroup, groupParams } from "./queries/explorer-group.js";
import { explorerNeighbourhood, neighbourhoodParams } from "./queries/explorer-neighbourhood.js";
import { explorerSummary, explorerSummaryParams } from "./queries/explorer-summary.js";
import { healthQuery, memoizedHealthStatus } from "./queries/health.js";
import { impactParams, impactQuery } from "./queries/impact.js";
import {
  appMonitoring,
  bottlenecksParams,
  errorsParams,
  monitoringBottlenecks,
  type MonitoringDeps,
  monitoringErrors,
  monitoringHealth,
  monitoringMetrics,
  monitoringParams,
} from "./queries/monitoring.js";
import { resourceDetail, resourceDetailParams } from "./queries/resource-detail.js";
import { listResources, resourcesParams } from "./queries/resources.js";
import { riskParams, riskQuery } from "./queries/risk.js";
import { scenarioBody, scenarioParams, scenarioQuery } from "./queries/scenarios.js";
import { renderTopology, topologyParams } from "./queries/topology.js";
import { type QueryStore, SnapshotSource } from "./snapshot-source.js";

/** What the routes read: a store and the snapshot scope to answer for. */
export interface RouteDeps {
  store: QueryStore;
  scope: () => string;
  /** The monitoring backends and templates. @default appMonitoring() (from the settings) */
  monitoring?: () => MonitoringDeps;
  /** The scope's latest discovery run, for health. @default none reported */
  lastRun?: () => Promise<RunSummary | undefined>;
  /** The clock of the anonymous health memo. @default Date.now */
  now?: () => number;
}

/** The names of the routes in the table. */
export type RouteName =
  | "resources"
  | "resourceDetail"
  | "topology"
  | "impact"
  | "scenarios"
  | "risk"
  | "changes"
  | "health"
  | "healthDetails"
  | "monitoringMetrics"
  | "monitoringErrors"
  | "monitoringBottlenecks"
  | "monitoringHealth"
  | "explorer"
  | "explorerAsset"
  | "explorerMe"
  | "explorerSummary"
  | "explorerNeighbourhood"
  | "explorerGroup";

/** A JSON GET route: parse the query with `schema`, answer 200 with what `run` returns. */
function jsonRoute<S extends z.ZodType>(
  name: string,
  route: string,
  schema: S,
  context: () => QueryContext,
  run: (ctx: QueryContext, params: z.output<S>) => Promise<unknown>,
): RouteDefinition {
  return {
    name,
    route,
    methods: ["GET"],
    authLevel: hostAuthLevel("function"),
    handler: apiHandler(async (request: HttpRequest) => json(200, await run(context(), parseQuery(request, schema)))),
  };
}

/** The JSON body of a request, validated by `schema`; a missing or malformed body is a 400 naming `body`. */
async function parseBody<S extends z.ZodType>(request: HttpRequest, schema: S): Promise<z.output<S>> {
  const raw = await boundedText(request);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw validationProblem("body", "body: must be a JSON object");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw fromZodError("body", parsed.error);
  return parsed.data;
}

/**
 * A monitoring GET route: like {@link jsonRoute}, but the monitoring library's typed errors become
 * their problem+json answers (503 naming the setting, 502, 504, 404, 400; Retry-After while a
 * backend's breaker is open). Never cached by clients: the answer is about now.
 */
function monitoringRoute<S extends z.ZodType>(
  name: string,
  route: string,
  schema: S,
  context: () => { ctx: QueryContext; monitoring: MonitoringDeps },
  run: (ctx: QueryContext, monitoring: MonitoringDeps, params: z.output<S>) => Promise<unknown>,
): RouteDefinition {
  return {
    name,
    route,
    methods: ["GET"],
    authLevel: hostAuthLevel("function"),
    handler: apiHandler(async (request: HttpRequest) => {
      const params = parseQuery(request, schema);
      const { ctx, monitoring } = context();
      return json(200, await run(ctx, monitoring, params), { "cache-control": "no-store" });
    }),
  };
}

/**
 * The read side of the HTTP API (docs/interfaces.md section 4), defined once for the Functions host
 * (functions/*.ts) and `topdeck serve` alike. `deps` is called on first use, so importing the
 * table builds no store. Discovery runs are in lib/api/runs.ts.
 */
export function createRoutes(deps: () => RouteDeps): Record<RouteName, RouteDefinition> {
  let ctx: (QueryContext & { store: QueryStore; lastRun?: () => Promise<RunSummary | undefined> }) | undefined;
  let monitoringDeps: (() => MonitoringDeps) | undefined;
  const context = (): QueryContext & { store: QueryStore; lastRun?: () => Promise<RunSummary | undefined> } => {
    if (ctx === undefined) {
      const { store, scope, monitoring, lastRun } = deps();
      ctx = { store, source: new SnapshotSource(store, scope), ...(lastRun === undefined ? {} : { lastRun }) };
      monitoringDeps = monitoring ?? appMonitoring;
    }
    return ctx;
  };
  const status = memoizedHealthStatus(context, undefined, () => (deps().now ?? Date.now)());
  const monitored = (): { ctx: QueryContext; monitoring: MonitoringDeps } => {
    const c = context();
    return { ctx: c, monitoring: monitoringDeps!() };
  };
  return {
    resources: jsonRoute("resources", "resources", resourcesParams, context, listResources),
    resourceDetail: jsonRoute("resourceDetail", "resources/detail", resourceDetailParams, context, resourceDetail),
    topology: {
      name: "topology",
      route: "topology",
      methods: ["GET"],
      authLevel: hostAuthLevel("function"),
      handler: apiHandler(async (request): Promise<HttpResponseInit> => {
        const rendered = await renderTopology(context(), parseQuery(request, topologyParams));
        return { status: 200, body: rendered.body, headers: { "content-type": rendered.contentType } };
      }),
    },
    impact: jsonRoute("impact", "impact", impactParams, context, impactQuery),
    scenarios: {
      name: "scenarios",
      route: "scenarios",
      methods: ["POST"],
      authLevel: hostAuthLevel("function"),
      handler: apiHandler(async (request: HttpRequest) => {
        const params = parseQuery(request, scenarioParams);
        const body = await parseBody(request, scenarioBody);
        return json(200, await scenarioQuery(context(), { ...params, ...body }));
      }),
    },
    risk: jsonRoute("risk", "risk", riskParams, context, riskQuery),
    changes: jsonRoute("changes", "changes", changesParams, context, changesQuery),
    monitoringMetrics: monitoringRoute("monitoringMetrics", "monitoring/metrics", monitoringParams, monitored, monitoringMetrics),
    monitoringErrors: monitoringRoute("monitoringErrors", "monitoring/errors", errorsParams, monitored, monitoringErrors),
    monitoringBottlenecks: monitoringRoute(
      "monitoringBottlenecks",
      "monitoring/bottlenecks",
      bottlenecksParams,
      monitored,
      monitoringBottlenecks,
    ),
    monitoringHealth: monitoringRoute("monitoringHealth", "monitoring/health", monitoringParams, monitored, monitoringHealth),
    health: {
      name: "health",
      route: "health",
      methods: ["GET"],
      authLevel: "anonymous",
      handler: apiHandler(
        async () => {
          const answer = await status();
          return json(answer.status === "unhealthy" ? 503 : 200, answer);
        },
        { access: "anonymous" },
      ),
    },
    ...explorerPageRoutes(),
    explorerSummary: jsonRoute("explorerSummary", "explorer/summary", explorerSummaryParams, context, explorerSummary),
    explorerNeighbourhood: jsonRoute(
      "explorerNeighbourhood",
      "explorer/neighbourhood",
      neighbourhoodParams,
      context,
      explorerNeighbourhood,
    ),
    explorerGroup: jsonRoute("explorerGroup", "explorer/group", groupParams, context, explorerGroup),
    healthDetails: {
      name: "healthDetails",
      route: "health/details",
      methods: ["GET"],
      authLevel: hostAuthLevel("function"),
      handler: apiHandler(async () => {
        const answer = await healthQuery(context());
        return json(answer.status === "unhealthy" ? 503 : 200, answer);
      }),
    },
  };
}

/** The app's routes, over the app's store and scope (made on first request). */
export const appRoutes: Record<RouteName, RouteDefinition> = createRoutes(() => ({
  store: getStore(),
  scope: appScope,
  lastRun: () => appRunService().latestSummary(),
}));
