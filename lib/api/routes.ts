import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { z } from "zod";

import { getStore } from "../cache/index.js";
import { appScope } from "./app-scope.js";
import { apiHandler, json, parseQuery, type RouteDefinition } from "./handler.js";
import { changesParams, changesQuery } from "./queries/changes.js";
import type { QueryContext } from "./queries/common.js";
import { healthQuery } from "./queries/health.js";
import { impactParams, impactQuery } from "./queries/impact.js";
import { resourceDetail, resourceDetailParams } from "./queries/resource-detail.js";
import { listResources, resourcesParams } from "./queries/resources.js";
import { riskParams, riskQuery } from "./queries/risk.js";
import { renderTopology, topologyParams } from "./queries/topology.js";
import { type QueryStore, SnapshotSource } from "./snapshot-source.js";

/** What the routes read: a store and the snapshot scope to answer for. */
export interface RouteDeps {
  store: QueryStore;
  scope: () => string;
}

/** The names of the routes in the table. */
export type RouteName = "resources" | "resourceDetail" | "topology" | "impact" | "risk" | "changes" | "health";

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
    authLevel: "function",
    handler: apiHandler(async (request: HttpRequest) => json(200, await run(context(), parseQuery(request, schema)))),
  };
}

/**
 * The read side of the HTTP API (contracts.md section 4), defined once for the Functions host
 * (functions/*.ts) and `topdeck serve` alike. `deps` is called on first use, so importing the
 * table builds no store. Discovery runs are registered elsewhere.
 */
export function createRoutes(deps: () => RouteDeps): Record<RouteName, RouteDefinition> {
  let ctx: (QueryContext & { store: QueryStore }) | undefined;
  const context = (): QueryContext & { store: QueryStore } => {
    if (ctx === undefined) {
      const { store, scope } = deps();
      ctx = { store, source: new SnapshotSource(store, scope) };
    }
    return ctx;
  };
  return {
    resources: jsonRoute("resources", "resources", resourcesParams, context, listResources),
    resourceDetail: jsonRoute("resourceDetail", "resources/detail", resourceDetailParams, context, resourceDetail),
    topology: {
      name: "topology",
      route: "topology",
      methods: ["GET"],
      authLevel: "function",
      handler: apiHandler(async (request): Promise<HttpResponseInit> => {
        const rendered = await renderTopology(context(), parseQuery(request, topologyParams));
        return { status: 200, body: rendered.body, headers: { "content-type": rendered.contentType } };
      }),
    },
    impact: jsonRoute("impact", "impact", impactParams, context, impactQuery),
    risk: jsonRoute("risk", "risk", riskParams, context, riskQuery),
    changes: jsonRoute("changes", "changes", changesParams, context, changesQuery),
    health: {
      name: "health",
      route: "health",
      methods: ["GET"],
      authLevel: "anonymous",
      handler: apiHandler(async () => {
        const answer = await healthQuery(context());
        return json(answer.status === "unhealthy" ? 503 : 200, answer, { "cache-control": "no-store" });
      }),
    },
  };
}

/** The app's routes, over the app's store and scope (made on first request). */
export const appRoutes: Record<RouteName, RouteDefinition> = createRoutes(() => ({ store: getStore(), scope: appScope }));

/** The app's route table, for `topdeck serve`. */
export const routeTable: readonly RouteDefinition[] = Object.values(appRoutes);
