// The function app's registrations, captured by resolving `@azure/functions-core` (what the
// Functions host injects) to a fake that records `registerFunction(metadata, callback)`.
import { readdir } from "node:fs/promises";
import Module from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { HttpRequest, InvocationContext } from "@azure/functions";
import { beforeAll, describe, expect, it } from "vitest";

interface Binding {
  type: string;
  direction: string;
  authLevel?: string;
  methods?: string[];
  route?: string;
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

// contracts.md section 4, the read side (discovery runs are registered by their own files).
const expected = [
  { route: "resources", methods: ["GET"], authLevel: "function" },
  { route: "resources/detail", methods: ["GET"], authLevel: "function" },
  { route: "topology", methods: ["GET"], authLevel: "function" },
  { route: "impact", methods: ["GET"], authLevel: "function" },
  { route: "risk", methods: ["GET"], authLevel: "function" },
  { route: "changes", methods: ["GET"], authLevel: "function" },
  { route: "health", methods: ["GET"], authLevel: "anonymous" },
  { route: "monitoring/metrics", methods: ["GET"], authLevel: "function" },
  { route: "monitoring/errors", methods: ["GET"], authLevel: "function" },
  { route: "monitoring/bottlenecks", methods: ["GET"], authLevel: "function" },
  { route: "monitoring/health", methods: ["GET"], authLevel: "function" },
];

const functionsDir = join(dirname(fileURLToPath(import.meta.url)), "../../functions");

describe("function registrations", () => {
  beforeAll(async () => {
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

  it("registers every read route of contracts.md section 4 with its methods and auth level", () => {
    const http = triggers().filter((t) => t.trigger !== undefined);
    for (const route of expected) {
      const found = http.filter((t) => t.trigger.route === route.route);
      expect(found, route.route).toHaveLength(1);
      expect(found[0]!.trigger.methods).toEqual(route.methods);
      expect(found[0]!.trigger.authLevel).toBe(route.authLevel);
    }
  });

  it("makes exactly one registration per function file, with unique names", async () => {
    const files = (await readdir(functionsDir)).filter((f) => f.endsWith(".ts"));
    expect(registered).toHaveLength(files.length);
    expect(new Set(registered.map((r) => r.metadata.name)).size).toBe(registered.length);
  });

  it("only health is anonymous", () => {
    for (const { name, trigger } of triggers()) {
      if (trigger === undefined) continue;
      expect(trigger.authLevel, name).toBe(trigger.route === "health" ? "anonymous" : "function");
    }
  });

  it("registers the same handlers the route table holds (health answers through the captured callback)", async () => {
    const { appRoutes } = await import("../../lib/api/routes.js");
    const health = registered.find((r) => r.metadata.name === appRoutes.health.name)!;
    expect(health.callback).toBe(appRoutes.health.handler);
    const handler = health.callback as typeof appRoutes.health.handler;
    const response = (await handler(new HttpRequest({ method: "GET", url: "http://localhost/api/health", headers: { "x-correlation-id": "reg-1" } }), new InvocationContext({ functionName: "health", logHandler: () => undefined }))) as {
      status: number;
      headers: Record<string, string>;
    };
    expect(response.status).toBe(200);
    expect(response.headers["x-correlation-id"]).toBe("reg-1");
  });
});
