// Shared set-up of the API tests: a store (in memory or through the Upstash bridge) with the
// sample estate committed, and the route table over it.
import { randomUUID } from "node:crypto";

import { HttpRequest, InvocationContext } from "@azure/functions";

import { createRoutes, type RouteName } from "../../../lib/api/routes.js";
import { createStore, type Store } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import { createLogger } from "../../../lib/log/index.js";
import type { TopologyExport } from "../../../lib/topology/index.js";
import { sampleExport } from "../../support/sample-export.js";

/** A quiet logger for tests. */
export const quietLog = createLogger({ level: "error", write: () => undefined });

/** A store over the in-memory driver, or over Upstash at `upstash`, under a prefix of its own. */
export function testStore(upstash?: { url: string; token: string }): Store {
  const env =
    upstash === undefined ? {} : { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token, CACHE_TIMEOUT_MS: "5000" };
  return createStore(loadConfig(env), quietLog, { prefix: `t-${randomUUID().slice(0, 8)}` });
}

/** The scope the tests commit under. */
export const TEST_SCOPE = "tenant";

/** The sample estate, committed to `store`. */
export async function commitSample(store: Store): Promise<TopologyExport> {
  const exp = await sampleExport();
  await store.snapshots.write(TEST_SCOPE, exp);
  return exp;
}

/** The next run's snapshot after `first`: its first 10 resources, no edges (what a later commit replaces it with). */
export function smallerNext(first: TopologyExport): TopologyExport {
  return {
    ...first,
    runId: "next",
    resources: first.resources.slice(0, 10),
    edges: [],
    external: [],
    stats: { ...first.stats, resources: 10, edges: 0 },
  };
}

/** The routes over `store`. */
export function routesOver(store: Store): ReturnType<typeof createRoutes> {
  return createRoutes(() => ({ store, scope: () => TEST_SCOPE }));
}

/** The header of a caller the Functions host let through with a function key (automation). */
export const KEYED = { "x-functions-key": "test-key" } as const;

/** An `x-ms-client-principal` value holding `roles`, as App Service Authentication passes it. */
export function principalHeader(roles: string[]): Record<string, string> {
  const principal = {
    auth_typ: "aad",
    name_typ: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    role_typ: "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
    claims: [{ typ: "name", val: "Ada" }, ...roles.map((val) => ({ typ: "roles", val }))],
  };
  return { "x-ms-client-principal": Buffer.from(JSON.stringify(principal)).toString("base64") };
}

/** Calls route `name` the way the host does, with `query` and `headers` (a function key unless `headers` say otherwise). */
export async function call(
  routes: ReturnType<typeof createRoutes>,
  name: RouteName,
  query: Record<string, string | string[]> = {},
  headers: Record<string, string> = { ...KEYED },
  /** A POST body: a string as is, anything else as JSON. */
  body?: unknown,
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const url = new URL(`http://localhost/api/${routes[name].route}`);
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
  const request =
    body === undefined
      ? new HttpRequest({ method: routes[name].methods[0] ?? "GET", url: url.toString(), headers })
      : new HttpRequest({
          method: "POST",
          url: url.toString(),
          headers: { "content-type": "application/json", ...headers },
          body: { string: typeof body === "string" ? body : JSON.stringify(body) },
        });
  const response = await routes[name].handler(
    request,
    new InvocationContext({ functionName: name, invocationId: randomUUID(), logHandler: () => undefined }),
  );
  const init = response as { status?: number; headers?: ConstructorParameters<typeof Headers>[0]; body?: unknown; jsonBody?: unknown };
  const text = init.jsonBody !== undefined ? JSON.stringify(init.jsonBody) : typeof init.body === "string" ? init.body : "";
  return { status: init.status ?? 200, headers: new Headers(init.headers), text, json: () => JSON.parse(text) as unknown };
}

/** A subnet of the sample estate with dependents (the web tier's integration subnet). */
export function integrationSubnet(exp: TopologyExport): string {
  const subnet = exp.resources.find(
    (r) => r.type.toLowerCase() === "microsoft.network/virtualnetworks/subnets" && r.name === "snet-web-integration",
  );
  if (subnet === undefined) throw new Error("sample estate lost snet-web-integration");
  return subnet.key;
}
