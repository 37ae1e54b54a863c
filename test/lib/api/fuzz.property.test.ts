// Property-based fuzzing over real HTTP: for every route, 1,000 requests with mangled paths,
// query strings (known names with odd values, unknown names, repeats, broken percent-encoding)
// and headers. Never a 5xx (the monitoring routes, run without Prometheus or Loki, may answer only
// the intended 503 naming the setting); every error is a valid problem+json document.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createRoutes, type RouteName } from "../../../lib/api/routes.js";
import { type LocalServer, serveRoutes } from "../../../lib/api/serve.js";
import type { Store } from "../../../lib/cache/index.js";
import type { TopologyExport } from "../../../lib/topology/index.js";
import { commitSample, TEST_SCOPE, testStore } from "./fixtures.js";

const RUNS = 1000;

const params: Record<RouteName, string[]> = {
  resources: ["type", "resourceGroup", "subscriptionId", "location", "tag", "q", "cursor", "limit"],
  resourceDetail: ["id"],
  topology: ["format", "subscriptionId", "resourceGroup", "type", "id", "depth", "direction"],
  impact: ["id", "depth"],
  risk: ["limit"],
  changes: ["since"],
  health: [],
  monitoringMetrics: ["id", "start", "end", "step"],
  monitoringErrors: ["id", "start", "end", "step", "depth", "search"],
  monitoringBottlenecks: ["id", "start", "end", "step", "depth"],
  monitoringHealth: ["id", "start", "end", "step"],
};

/** The 5xx a route may answer on purpose: monitoring without its backend configured. */
const intended5xx: Partial<Record<RouteName, { status: number; setting: string }>> = {
  monitoringMetrics: { status: 503, setting: "PROMETHEUS_URL" },
  monitoringErrors: { status: 503, setting: "LOKI_URL" },
  monitoringBottlenecks: { status: 503, setting: "PROMETHEUS_URL" },
  monitoringHealth: { status: 503, setting: "PROMETHEUS_URL" },
};

describe("fuzzing every route over HTTP", () => {
  let store: Store;
  let server: LocalServer;
  let exp: TopologyExport;
  let routes: ReturnType<typeof createRoutes>;

  beforeAll(async () => {
    store = testStore();
    exp = await commitSample(store);
    // No monitoring backend configured: the monitoring routes' only 5xx is the 503 naming the setting.
    routes = createRoutes(() => ({ store, scope: () => TEST_SCOPE, monitoring: () => ({ collectors: {} }) }));
    server = await serveRoutes(Object.values(routes), 0);
  });
  afterAll(async () => {
    await server?.close();
    await store?.idle();
  });

  const junk = fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "%2F", "%25", "+", "&", "=", "..", "/", "\\", "'", '"', "<script>", "[]", "{}", "-1", "0", "1e9", "NaN", " ");
  const value = (): fc.Arbitrary<string> =>
    fc.oneof(
      fc.constantFrom(...exp.resources.slice(0, 20).flatMap((r) => [r.key, r.id, r.type, r.name, r.resourceGroup ?? "", r.subscriptionId, r.location ?? ""])),
      fc.constantFrom("json", "mermaid", "dot", "svg", "both", "dependents", "1", "5", "100", "1000", "1001", exp.runId, "env:prod", "eyJrIjoiYSJ9"),
      fc.constantFrom("0", "6", "7", "60", "86401", String(Date.now()), String(Date.now() - 3_600_000), "2026-01-01T00:00:00Z", "2026-01-01T00:00:00%2B01:00", "2026-13-45T99:99Z"),
      fc.string({ unit: "grapheme", maxLength: 40 }).map(encodeURIComponent),
      junk,
      fc.array(junk, { maxLength: 4 }).map((xs) => xs.join("")),
    );

  const header = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });

  for (const name of Object.keys(params) as RouteName[]) {
    it(`${name}: no 5xx, every error valid problem+json (${RUNS} cases)`, async () => {
      const route = routes[name].route;
      const path = fc.oneof(
        { weight: 4, arbitrary: fc.constant(`/api/${route}`) },
        fc.constant(`/api/${route}/`),
        fc.constant(`/API/${route.toUpperCase()}`),
        fc.tuple(fc.constant(`/api/${route}`), fc.oneof(junk, fc.string({ unit: "grapheme", maxLength: 10 }).map(encodeURIComponent))).map(([p, x]) => `${p}/${x}`),
        fc.array(fc.oneof(junk, fc.constantFrom("api", route, "discovery", "runs")), { maxLength: 5 }).map((xs) => `/${xs.join("/")}`),
      );
      const query = fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...params[name], "limit") }, fc.string({ maxLength: 8 }).map(encodeURIComponent), junk), value()), { maxLength: 6 });
      const headers = fc.record(
        { "x-correlation-id": header, traceparent: fc.oneof(header, fc.constant("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")), accept: header },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(path, query, headers, fc.constantFrom("GET", "GET", "GET", "POST", "DELETE"), async (p, q, h, method) => {
          const qs = q.map(([k, v]) => `${k}=${v}`).join("&");
          const r = await fetch(`${server.url}${p}${qs ? `?${qs}` : ""}`, { method, headers: h });
          const text = await r.text();
          const intended = intended5xx[name];
          if (intended !== undefined && r.status === intended.status) {
            expect(JSON.parse(text)).toMatchObject({ status: intended.status, setting: intended.setting });
          } else {
            expect(r.status, `${method} ${p}?${qs} → ${text.slice(0, 300)}`).toBeLessThan(500);
          }
          if (r.status >= 400) {
            expect(r.headers.get("content-type")).toBe("application/problem+json");
            const body = JSON.parse(text) as Record<string, unknown>;
            expect(typeof body.type).toBe("string");
            expect(typeof body.title).toBe("string");
            expect(typeof body.detail).toBe("string");
            expect(body.status).toBe(r.status);
            expect(text).not.toMatch(/\n\s+at /);
          }
        }),
        { numRuns: RUNS },
      );
    }, 120_000);
  }
});
