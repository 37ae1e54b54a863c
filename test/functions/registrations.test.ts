// The function app's registrations, captured by resolving `@azure/functions-core` (what the
// Functions host injects) to a fake that records `registerFunction(metadata, callback)`.
import { readdir } from "node:fs/promises";
import Module from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { HttpRequest, InvocationContext } from "@azure/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Binding {
  type: string;
  direction: string;
  name: string;
  authLevel?: string;
  methods?: string[];
  route?: string;
  queueName?: string;
  connection?: string;
  schedule?: string;
  useMonitor?: boolean;
}
interface Registered {
  metadata: { name: string; bindings: Record<string, Binding> };
  callback: unknown;
}

const registered: Registered[] = [];
const fakeCore = {
  registerFunction: (metadata: Registered["metadata"], callback: unknown) => {
    registered.push({ metadata, callback });
    return { dispose: () => undefined };
  },
  registerHook: () => ({ dispose: () => undefined }),
  setProgrammingModel: () => undefined,
  getProgrammingModel: () => undefined,
};

// Every route of docs/interfaces.md section 4 (each `/monitoring/...` kind spelled out).
const expected = [
  { route: "discovery/runs", methods: ["POST"], authLevel: "function" },
  { route: "discovery/runs/{runId}", methods: ["GET"], authLevel: "function" },
  { route: "discovery/runs/latest", methods: ["GET"], authLevel: "function" },
  { route: "resources", methods: ["GET"], authLevel: "function" },
  { route: "resources/detail", methods: ["GET"], authLevel: "function" },
  { route: "topology", methods: ["GET"], authLevel: "function" },
  { route: "impact", methods: ["GET"], authLevel: "function" },
  { route: "scenarios", methods: ["POST"], authLevel: "function" },
  { route: "risk", methods: ["GET"], authLevel: "function" },
  { route: "changes", methods: ["GET"], authLevel: "function" },
  { route: "health", methods: ["GET"], authLevel: "anonymous" },
  { route: "health/details", methods: ["GET"], authLevel: "function" },
  { route: "monitoring/metrics", methods: ["GET"], authLevel: "function" },
  { route: "monitoring/errors", methods: ["GET"], authLevel: "function" },
  { route: "monitoring/bottlenecks", methods: ["GET"], authLevel: "function" },
  { route: "monitoring/health", methods: ["GET"], authLevel: "function" },
  // The explorer page is for browsers (no function key): the pipeline checks the reader role.
  { route: "explorer", methods: ["GET"], authLevel: "anonymous" },
  { route: "explorer/assets/{name}", methods: ["GET"], authLevel: "anonymous" },
  { route: "explorer/me", methods: ["GET"], authLevel: "function" },
  { route: "explorer/summary", methods: ["GET"], authLevel: "function" },
  { route: "explorer/neighbourhood", methods: ["GET"], authLevel: "function" },
  { route: "explorer/group", methods: ["GET"], authLevel: "function" },
];

const functionsDir = join(dirname(fileURLToPath(import.meta.url)), "../../functions");

/** The queue output every producer of discovery messages binds (lib/api/runs.ts). */
const discoveryQueueOutput = { type: "queue", direction: "out", queueName: "discovery-runs", connection: "AzureWebJobsStorage" };

describe("function registrations", () => {
  // The timer reads DISCOVERY_SCHEDULE when its file is imported: unset it so the default shows.
  const schedule = process.env.DISCOVERY_SCHEDULE;
  afterAll(() => {
    if (schedule === undefined) delete process.env.DISCOVERY_SCHEDULE;
    else process.env.DISCOVERY_SCHEDULE = schedule;
  });

  beforeAll(async () => {
    delete process.env.DISCOVERY_SCHEDULE;
    const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const original = loader._load;
    loader._load = function (request: string, ...rest: unknown[]) {
      if (request === "@azure/functions-core") return fakeCore;
      return original.call(this, request, ...rest);
    };
    for (const file of (await readdir(functionsDir)).filter((f) => f.endsWith(".ts")).sort()) {
      await import(join(functionsDir, file));
    }
  });

  const triggers = (): Array<{ name: string; trigger: Binding }> =>
    registered.map((r) => ({ name: r.metadata.name, trigger: Object.values(r.metadata.bindings).find((b) => b.type === "httpTrigger")! }));

  const bindingsOf = (name: string): Binding[] => Object.values(registered.find((r) => r.metadata.name === name)?.metadata.bindings ?? {});
  const withTrigger = (type: string, match: (b: Binding) => boolean): Registered[] =>
    registered.filter((r) => Object.values(r.metadata.bindings).some((b) => b.type === type && b.direction === "in" && match(b)));
  const outputs = (r: Registered): Binding[] =>
    Object.values(r.metadata.bindings).filter((b) => b.direction === "out" && b.type !== "http");

  it("registers every route of docs/interfaces.md section 4, and no other, with its methods and auth level", () => {
    const http = triggers().filter((t) => t.trigger !== undefined);
    for (const route of expected) {
      const found = http.filter((t) => t.trigger.route === route.route);
      expect(found, route.route).toHaveLength(1);
      expect(found[0]!.trigger.methods, route.route).toEqual(route.methods);
      expect(found[0]!.trigger.authLevel, route.route).toBe(route.authLevel);
    }
    expect(http.map((t) => t.trigger.route).sort()).toEqual(expected.map((r) => r.route).sort());
  });

  it("binds POST discovery/runs to the discovery queue", () => {
    const start = withTrigger("httpTrigger", (b) => b.route === "discovery/runs");
    expect(start).toHaveLength(1);
    expect(outputs(start[0]!)).toEqual([expect.objectContaining(discoveryQueueOutput)]);
    // The read routes enqueue nothing.
    for (const route of ["discovery/runs/{runId}", "discovery/runs/latest"]) {
      expect(outputs(withTrigger("httpTrigger", (b) => b.route === route)[0]!), route).toEqual([]);
    }
  });

  it("registers the discovery worker on the queue, feeding the same queue, and a handler of its poison queue", () => {
    const worker = withTrigger("queueTrigger", (b) => b.queueName === "discovery-runs");
    expect(worker).toHaveLength(1);
    expect(bindingsOf(worker[0]!.metadata.name).find((b) => b.type === "queueTrigger")).toMatchObject({
      connection: "AzureWebJobsStorage",
    });
    expect(outputs(worker[0]!)).toEqual([expect.objectContaining(discoveryQueueOutput)]);

    const poison = withTrigger("queueTrigger", (b) => b.queueName === "discovery-runs-poison");
    expect(poison).toHaveLength(1);
    expect(bindingsOf(poison[0]!.metadata.name).find((b) => b.type === "queueTrigger")).toMatchObject({
      connection: "AzureWebJobsStorage",
    });
    expect(worker[0]!.metadata.name).not.toBe(poison[0]!.metadata.name);
  });

  it("registers the discovery timer on the default schedule (DISCOVERY_SCHEDULE unset), monitored, feeding the queue", () => {
    const timers = withTrigger("timerTrigger", () => true);
    expect(timers).toHaveLength(1);
    expect(bindingsOf(timers[0]!.metadata.name).find((b) => b.type === "timerTrigger")).toMatchObject({
      schedule: "0 0 */6 * * *",
      useMonitor: true,
    });
    expect(outputs(timers[0]!)).toEqual([expect.objectContaining(discoveryQueueOutput)]);
  });

  it("makes exactly one registration per function file, with unique names", async () => {
    const files = (await readdir(functionsDir)).filter((f) => f.endsWith(".ts"));
    expect(registered).toHaveLength(files.length);
    expect(new Set(registered.map((r) => r.metadata.name)).size).toBe(registered.length);
  });

  // The explorer page and its assets are anonymous to the host (a browser sends no key); the
  // pipeline asks for the reader role (lib/api/explorer/routes.ts).
  const anonymous = new Set(["health", "explorer", "explorer/assets/{name}"]);
  it("only health and the explorer page are anonymous", () => {
    for (const { name, trigger } of triggers()) {
      if (trigger === undefined) continue;
      expect(trigger.authLevel, name).toBe(anonymous.has(trigger.route ?? "") ? "anonymous" : "function");
    }
  });

  it("registers the same handlers the route table holds (health answers through the captured callback)", async () => {
    const { appRoutes } = await import("../../lib/api/routes.js");
    const health = registered.find((r) => r.metadata.name === appRoutes.health.name)!;
    expect(health.callback).toBe(appRoutes.health.handler);
    const handler = health.callback as typeof appRoutes.health.handler;
    const response = (await handler(
      new HttpRequest({ method: "GET", url: "http://localhost/api/health", headers: { "x-correlation-id": "reg-1" } }),
      new InvocationContext({ functionName: "health", logHandler: () => undefined }),
    )) as {
      status: number;
      headers: Record<string, string>;
    };
    expect(response.status).toBe(200);
    expect(response.headers["x-correlation-id"]).toBe("reg-1");
  });
});

describe("topdeck serve", () => {
  it("serves every HTTP route the function files register on the host, with the same methods, and no other", async () => {
    const { servedRoutes } = await import("../../tools/serve-command.js");
    const { createRunFunctions } = await import("../../lib/api/runs.js");
    const { createStore } = await import("../../lib/cache/index.js");
    const { loadConfig } = await import("../../lib/config/index.js");
    const { createLogger } = await import("../../lib/log/index.js");
    const store = createStore(loadConfig({}), createLogger({ level: "error", write: () => undefined }));
    const noRuns = { latestSummary: async () => undefined };
    const served = servedRoutes(
      store,
      "tenant",
      noRuns,
      createRunFunctions(
        () => {
          throw new Error("no run service in this test");
        },
        () => "0 0 3 * * *",
      ),
    );
    const hosted = registered
      .map((r) => Object.values(r.metadata.bindings).find((b) => b.type === "httpTrigger"))
      .filter((b): b is Binding => b !== undefined)
      .map((b) => `${[...(b.methods ?? [])].sort().join(",")} ${b.route}`)
      .sort();
    expect(served.map((r) => `${[...r.methods].sort().join(",")} ${r.route}`).sort()).toEqual(hosted);
  });
});
