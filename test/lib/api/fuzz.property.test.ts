// Property-based fuzzing over real HTTP: for every route, 1,000 requests with mangled paths,
// query strings (known names with odd values, unknown names, repeats, broken percent-encoding)
// and headers. Never a 5xx (the monitoring routes, run without Prometheus or Loki, may answer only
// the intended 503 naming the setting); every error is a valid problem+json document. The
// discovery-run routes are fuzzed the same way, with request bodies too, over a run service whose
// queue is never drained: every 202 names a run that can be read back, every 409 the running run.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createRoutes, type RouteName } from "../../../lib/api/routes.js";
import { createRunFunctions, type RunFunctions } from "../../../lib/api/runs.js";
import type { Store } from "../../../lib/cache/index.js";
import { RunService } from "../../../lib/runs/run-service.js";
import type { TopologyExport } from "../../../lib/topology/index.js";
import { type LocalServer, serveRoutes } from "../../../tools/host/serve.js";
import { commitSample, quietLog, TEST_SCOPE, testStore } from "./fixtures.js";

const RUNS = 1000;

const params: Record<RouteName, string[]> = {
  resources: ["type", "resourceGroup", "subscriptionId", "location", "tag", "q", "cursor", "limit"],
  resourceDetail: ["id", "limit"],
  topology: ["format", "subscriptionId", "resourceGroup", "type", "id", "depth", "direction"],
  impact: ["id", "limit", "cursor"],
  scenarios: ["limit", "cursor"],
  risk: ["limit", "cursor"],
  changes: ["since", "limit"],
  health: [],
  healthDetails: [],
  monitoringMetrics: ["id", "start", "end", "step"],
  monitoringErrors: ["id", "start", "end", "step", "depth", "search"],
  monitoringBottlenecks: ["id", "start", "end", "step", "depth"],
  monitoringHealth: ["id", "start", "end", "step"],
  explorer: [],
  explorerAsset: [],
  explorerMe: [],
  explorerSummary: [],
  explorerNeighbourhood: ["id", "depth", "limit"],
  explorerGroup: ["subscriptionId", "resourceGroup", "expand"],
};

/** The 5xx a route may answer on purpose: monitoring without its backend configured. */
const intended5xx: Partial<Record<RouteName, { status: number; setting: string }>> = {
  monitoringMetrics: { status: 503, setting: "PROMETHEUS_URL" },
  monitoringErrors: { status: 503, setting: "LOKI_URL" },
  monitoringBottlenecks: { status: 503, setting: "PROMETHEUS_URL" },
  monitoringHealth: { status: 503, setting: "PROMETHEUS_URL" },
};

/** Strings that break naive parsing of a query value or a path segment. */
const junk = fc.constantFrom(
  "%",
  "%zz",
  "%E0%A4%A",
  "%00",
  "%2F",
  "%25",
  "+",
  "&",
  "=",
  "..",
  "/",
  "\\",
  "'",
  '"',
  "<script>",
  "[]",
  "{}",
  "-1",
  "0",
  "1e9",
  "NaN",
  " ",
);

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

  const value = (): fc.Arbitrary<string> =>
    fc.oneof(
      fc.constantFrom(
        ...exp.resources
          .slice(0, 20)
          .flatMap((r) => [r.key, r.id, r.type, r.name, r.resourceGroup ?? "", r.subscriptionId, r.location ?? ""]),
      ),
      fc.constantFrom(
        "json",
        "mermaid",
        "dot",
        "svg",
        "both",
        "dependents",
        "1",
        "5",
        "100",
        "1000",
        "1001",
        exp.runId,
        "env:prod",
        "eyJrIjoiYSJ9",
      ),
      fc.constantFrom(
        "0",
        "6",
        "7",
        "60",
        "86401",
        String(Date.now()),
        String(Date.now() - 3_600_000),
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00%2B01:00",
        "2026-13-45T99:99Z",
      ),
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
        fc
          .tuple(fc.constant(`/api/${route}`), fc.oneof(junk, fc.string({ unit: "grapheme", maxLength: 10 }).map(encodeURIComponent)))
          .map(([p, x]) => `${p}/${x}`),
        fc.array(fc.oneof(junk, fc.constantFrom("api", route, "discovery", "runs")), { maxLength: 5 }).map((xs) => `/${xs.join("/")}`),
      );
      const query = fc.array(
        fc.tuple(
          fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...params[name], "limit") },
            fc.string({ maxLength: 8 }).map(encodeURIComponent),
            junk,
          ),
          value(),
        ),
        { maxLength: 6 },
      );
      const headers = fc.record(
        {
          "x-correlation-id": header,
          traceparent: fc.oneof(header, fc.constant("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
          accept: header,
        },
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

describe("fuzzing POST /api/scenarios bodies over HTTP", () => {
  let store: Store;
  let server: LocalServer;
  let exp: TopologyExport;

  beforeAll(async () => {
    store = testStore();
    exp = await commitSample(store);
    server = await serveRoutes(Object.values(createRoutes(() => ({ store, scope: () => TEST_SCOPE }))), 0);
  });
  afterAll(async () => {
    await server?.close();
    await store?.idle();
  });

  it(`never answers a 5xx; 200 or a problem naming a field under body (${RUNS / 2} cases)`, async () => {
    const id = fc.oneof(fc.constantFrom(...exp.resources.slice(0, 30).map((r) => r.id)), fc.string({ maxLength: 30 }), fc.jsonValue());
    const zone = fc.record(
      {
        region: fc.oneof(fc.constantFrom("westeurope", "North Europe", "", "mars"), fc.jsonValue()),
        zone: fc.oneof(fc.constantFrom("1", "2", "3", "0", "10", "one"), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    const fail = fc.record(
      {
        ids: fc.oneof(fc.array(id, { maxLength: 4 }), fc.jsonValue()),
        zones: fc.oneof(fc.array(zone, { maxLength: 3 }), fc.jsonValue()),
        regions: fc.oneof(fc.array(fc.constantFrom("westeurope", "northeurope", "", "x"), { maxLength: 3 }), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      { weight: 4, arbitrary: fc.record({ fail }).map((b) => JSON.stringify(b)) },
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const r = await fetch(`${server.url}/api/scenarios?limit=5`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: b,
        });
        const text = await r.text();
        expect(r.status, `${b} → ${text.slice(0, 300)}`).toBeLessThan(500);
        if (r.status >= 400) {
          expect(r.headers.get("content-type")).toBe("application/problem+json");
          const problem = JSON.parse(text) as { field?: string; status: number };
          expect(problem.status).toBe(r.status);
          expect(problem.field?.startsWith("body")).toBe(true);
        }
      }),
      { numRuns: RUNS / 2 },
    );
  }, 120_000);
});

/** A run location: `/api/discovery/runs/<uuid>` (lower-case, as the service makes them). */
const LOCATION = /^\/api\/discovery\/runs\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
/** Stands in a fuzzed path for the n-th run id seen in a 202 (resolved when the case runs). */
const SEEN = /@seen(\d+)@/g;

describe("fuzzing the discovery-run routes over HTTP", () => {
  let store: Store;
  let server: LocalServer;
  let runs: RunFunctions;
  /** Run ids from 202 answers, in order. */
  const seen: string[] = [];
  let readerCalls = 0;

  beforeAll(async () => {
    store = testStore();
    const service = new RunService({
      store,
      log: quietLog,
      scope: TEST_SCOPE,
      subscriptions: ["00000000-0000-0000-0000-000000000001"],
      // The queue is never drained here, so nothing may reach ARM.
      reader: () => {
        readerCalls += 1;
        throw new Error("no ARM call expected: the run queue is not drained in this test");
      },
      endpoint: "https://127.0.0.1:1",
      concurrency: 1,
      // The scope lock frees 20 ms after a start: POSTs alternate between 202 and 409.
      lockTtlMs: 20,
    });
    runs = createRunFunctions(
      () => service,
      () => "0 0 */6 * * *",
    );
    server = await serveRoutes([runs.startRun, runs.run, runs.latestRun], 0);
    const first = await fetch(`${server.url}/api/discovery/runs`, { method: "POST" });
    expect(first.status).toBe(202);
    seen.push(((await first.json()) as { runId: string }).runId);
  });
  afterAll(async () => {
    await server?.close();
    await store?.idle();
  });

  const runId = fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((n) => `@seen${n}@`) },
    fc.nat().map((n) => `@seen${n}@`.toUpperCase()),
    { weight: 2, arbitrary: fc.uuid() },
    fc.uuid().map((u) => u.toUpperCase()),
    fc.uuid().map((u) => u.replaceAll("-", "")),
    fc.uuid().map((u) => `{${u}}`),
    fc.uuid().map((u) => `${u}x`),
    fc.constantFrom(
      "latest",
      "LATEST",
      "Latest",
      "latest%20",
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
      "runs",
      "null",
      "undefined",
    ),
    fc.string({ unit: "grapheme", maxLength: 40 }).map(encodeURIComponent),
    junk,
  );
  const segment = fc.oneof(junk, runId, fc.constantFrom("api", "API", "discovery", "runs", "latest"));
  const strangePaths = [
    fc.array(segment, { maxLength: 6 }).map((xs) => `/${xs.join("/")}`),
    fc.array(segment, { maxLength: 3 }).map((xs) => `/api/discovery/${xs.join("/")}`),
  ];
  const paths: Record<"startRun" | "run" | "latestRun", fc.Arbitrary<string>> = {
    startRun: fc.oneof(
      { weight: 6, arbitrary: fc.constant("/api/discovery/runs") },
      fc.constantFrom(
        "/api/discovery/runs/",
        "/API/DISCOVERY/RUNS",
        "/api/Discovery/Runs/",
        "/api/discovery/runs//",
        "//api/discovery/runs",
        "/api/discovery/run",
        "/api/discovery",
      ),
      fc.tuple(fc.constant("/api/discovery/runs"), segment).map(([p, x]) => `${p}/${x}`),
      ...strangePaths,
    ),
    run: fc.oneof(
      { weight: 6, arbitrary: runId.map((id) => `/api/discovery/runs/${id}`) },
      runId.map((id) => `/api/discovery/runs/${id}/`),
      runId.map((id) => `/API/DISCOVERY/RUNS/${id}`),
      fc.tuple(runId, segment).map(([id, x]) => `/api/discovery/runs/${id}/${x}`),
      ...strangePaths,
    ),
    latestRun: fc.oneof(
      { weight: 6, arbitrary: fc.constant("/api/discovery/runs/latest") },
      fc.constantFrom(
        "/api/discovery/runs/latest/",
        "/API/DISCOVERY/RUNS/LATEST",
        "/api/discovery/runs/Latest",
        "/api/discovery/runs/latest//",
        "/api/discovery/runs/%6Catest",
      ),
      fc.tuple(fc.constant("/api/discovery/runs/latest"), segment).map(([p, x]) => `${p}/${x}`),
      ...strangePaths,
    ),
  };
  const methods: Record<keyof typeof paths, fc.Arbitrary<string>> = {
    startRun: fc.constantFrom("POST", "POST", "POST", "POST", "GET", "DELETE", "PUT"),
    run: fc.constantFrom("GET", "GET", "GET", "GET", "POST", "DELETE", "PUT"),
    latestRun: fc.constantFrom("GET", "GET", "GET", "GET", "POST", "DELETE", "PUT"),
  };

  const query = fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom("runId", "scope", "subscriptions", "force", "code"),
        fc.string({ maxLength: 8 }).map(encodeURIComponent),
        junk,
      ),
      fc.oneof(
        runId,
        fc.constantFrom("1", "true", "tenant", ""),
        junk,
        fc.string({ unit: "grapheme", maxLength: 20 }).map(encodeURIComponent),
      ),
    ),
    { maxLength: 5 },
  );
  const header = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
  const headers = fc.record(
    {
      "x-correlation-id": header,
      traceparent: fc.oneof(header, fc.constant("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
      accept: header,
      "content-type": fc.oneof(
        fc.constantFrom(
          "application/json",
          "application/json; charset=utf-16",
          "text/plain",
          "application/octet-stream",
          "multipart/form-data; boundary=x",
        ),
        header,
      ),
    },
    { requiredKeys: [] },
  );
  /** Request bodies (sent with every method but GET): none, empty, `{}`, JSON of every shape, broken JSON, huge, binary. */
  const body: fc.Arbitrary<string | Uint8Array | undefined> = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        "",
        "{}",
        " { } \n",
        "\t",
        "null",
        "[]",
        "[{}]",
        "0",
        '""',
        "true",
        "{",
        '{"a":',
        "{}}",
        "{}{}",
        "{'a':1}",
        "\uFEFF{}",
        '{"__proto__":{}}',
        '{"constructor":{"prototype":{}}}',
        '{"scope":"other"}',
      ),
    },
    fc.json(),
    fc.string({ maxLength: 200 }),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }).map((xs) => JSON.stringify(xs)),
    fc
      .dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 5 })
      .map((o) => JSON.stringify(o)),
    fc.uint8Array({ maxLength: 512 }),
    // Huge, under serve's 1 MB limit: a JSON string, an object with one long field, raw text.
    fc.integer({ min: 100_000, max: 1_000_000 }).map((n) => JSON.stringify("x".repeat(n))),
    fc.integer({ min: 100_000, max: 1_000_000 }).map((n) => `{"x":"${"a".repeat(n)}"}`),
    fc.integer({ min: 100_000, max: 1_000_000 }).map((n) => "{".repeat(n)),
  );

  /** Checks a problem+json answer. */
  const expectProblem = (status: number, contentType: string | null, text: string, what: string) => {
    expect(contentType, what).toBe("application/problem+json");
    const problem = JSON.parse(text) as Record<string, unknown>;
    expect(typeof problem.type, what).toBe("string");
    expect(typeof problem.title, what).toBe("string");
    expect(typeof problem.detail, what).toBe("string");
    expect(problem.status, what).toBe(status);
    expect(text, what).not.toMatch(/\n\s+at /);
    return problem;
  };

  for (const name of Object.keys(paths) as Array<keyof typeof paths>) {
    it(`${name}: no 5xx, every error valid problem+json, every 202 readable at its Location, every 409 names its run (${RUNS} cases)`, async () => {
      let accepted = 0;
      let conflicts = 0;
      await fc.assert(
        fc.asyncProperty(paths[name], query, headers, methods[name], body, async (template, q, h, method, b) => {
          const p = template.replace(SEEN, (_, n: string) => seen[Number(n) % seen.length]!);
          const qs = q.map(([k, v]) => `${k}=${v.replace(SEEN, (_, n: string) => seen[Number(n) % seen.length]!)}`).join("&");
          const sent = method === "GET" || b === undefined ? {} : { body: b };
          const r = await fetch(`${server.url}${p}${qs ? `?${qs}` : ""}`, { method, headers: h, ...sent });
          const text = await r.text();
          const what = `${method} ${p}?${qs} (body ${typeof b === "string" ? JSON.stringify(b.slice(0, 80)) : b === undefined ? "none" : `${b.length} bytes`}) → ${r.status} ${text.slice(0, 300)}`;
          expect(r.status, what).toBeLessThan(500);
          if (r.status >= 400) {
            const problem = expectProblem(r.status, r.headers.get("content-type"), text, what);
            // Even with a 20 ms lock, whose expiry can fall between the refused take and the
            // holder read, a refusal names the run (the service takes a freed lock again).
            if (r.status === 409) {
              conflicts += 1;
              expect(problem.runId, what).toEqual(expect.any(String));
              expect(seen, what).toContain(problem.runId);
              expect(problem.location, what).toBe(`/api/discovery/runs/${String(problem.runId)}`);
            }
          }
          if (r.status === 202) {
            accepted += 1;
            const location = r.headers.get("location") ?? "";
            const matched = LOCATION.exec(location);
            expect(matched, what).not.toBeNull();
            const run = JSON.parse(text) as { runId?: unknown };
            expect(run.runId, what).toBe(matched![1]);
            seen.push(matched![1]!);
            const back = await fetch(`${server.url}${location}`);
            const backText = await back.text();
            expect(back.status, `GET ${location} → ${backText.slice(0, 300)}`).toBe(200);
            expect((JSON.parse(backText) as { runId?: unknown }).runId).toBe(matched![1]);
          }
          if (r.status === 200) expect((JSON.parse(text) as { runId?: unknown }).runId, what).toEqual(expect.any(String));
        }),
        { numRuns: RUNS },
      );
      expect(readerCalls).toBe(0);
      if (name === "startRun") {
        expect(accepted).toBeGreaterThan(0);
        expect(conflicts).toBeGreaterThan(0);
      }
    }, 240_000);
  }
});
