// The one access check of the request pipeline: roles from the principal App Service
// Authentication passes, function keys for automation, 401 / 403 as problem+json, never a 500.
import { randomUUID } from "node:crypto";

import { HttpRequest, InvocationContext } from "@azure/functions";
import { describe, expect, it } from "vitest";

import { APP_ROLES, hostAuthLevel, principalRoles } from "../../../lib/api/auth.js";
import { apiHandler, json } from "../../../lib/api/handler.js";
import { markLocal } from "../../../lib/api/local-invocation.js";
import { createRunFunctions } from "../../../lib/api/runs.js";
import { noCooldown } from "../../../lib/api/start-cooldown.js";
import type { RunService } from "../../../lib/runs/run-service.js";
import { call, KEYED, principalHeader, routesOver, testStore } from "./fixtures.js";

const ctx = (): InvocationContext => new InvocationContext({ functionName: "t", invocationId: randomUUID(), logHandler: () => undefined });
const problem = (r: { body?: unknown }): Record<string, unknown> => JSON.parse(String(r.body)) as Record<string, unknown>;
const b64 = (text: string): string => Buffer.from(text).toString("base64");

/** A run service that starts every time (the role check is what is under test). */
const starting = {
  start: () => Promise.resolve({ started: true, run: { runId: "r-1" }, messages: [] }),
} as unknown as RunService;

describe("roles from x-ms-client-principal", () => {
  const routes = routesOver(testStore());
  const startRun = createRunFunctions(
    () => starting,
    () => "0 0 0 * * *",
    () => noCooldown,
  ).startRun;
  const post = (headers: Record<string, string>) =>
    new HttpRequest({ method: "POST", url: "http://localhost/api/discovery/runs", headers });

  it("a reader can query, and cannot start runs (403 problem+json naming the operator role)", async () => {
    const reader = principalHeader([APP_ROLES.reader]);
    expect((await call(routes, "risk", {}, reader)).status).toBe(409); // past the check: no snapshot yet
    const refused = await startRun.handler(post(reader), ctx());
    expect(refused.status).toBe(403);
    expect(new Headers(refused.headers as Record<string, string>).get("content-type")).toBe("application/problem+json");
    expect(problem(refused)).toMatchObject({ status: 403, type: "https://topdeck.dev/problems/forbidden" });
    expect(String(problem(refused).detail)).toContain(APP_ROLES.operator);
  });

  it("an operator can start runs and query", async () => {
    const operator = principalHeader([APP_ROLES.operator]);
    expect((await startRun.handler(post(operator), ctx())).status).toBe(202);
    expect((await call(routes, "risk", {}, operator)).status).toBe(409);
  });

  it("a principal without an app role is refused every keyed route", async () => {
    const none = principalHeader([]);
    expect((await call(routes, "resources", {}, none)).status).toBe(403);
    expect((await startRun.handler(post(none), ctx())).status).toBe(403);
  });

  it("no principal and no key is 401 problem+json; a key in ?code= is named as the mistake", async () => {
    const anonymous = await call(routes, "resources", {}, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toBe("application/problem+json");
    expect(anonymous.json()).toMatchObject({ status: 401, type: "https://topdeck.dev/problems/unauthorized" });
    const inUrl = await call(routes, "resources", { code: "k" }, {});
    expect(inUrl.status).toBe(401);
    expect((inUrl.json() as { detail: string }).detail).toContain("x-functions-key");
    expect((await startRun.handler(post({}), ctx())).status).toBe(401);
  });

  it("a function key without a principal is automation: it may query and start runs", async () => {
    expect((await call(routes, "risk", {}, { ...KEYED })).status).toBe(409);
    expect((await startRun.handler(post({ ...KEYED }), ctx())).status).toBe(202);
  });

  it.each([
    ["not base64", "%%%"],
    ["base64 of text", b64("hello")],
    ["a JSON array", b64("[1,2]")],
    ["claims that are not a list", b64('{"claims":"roles"}')],
    ["JSON null", b64("null")],
    ["far too long", "A".repeat(40_000)],
  ])("a malformed principal (%s) is 401, never 500", async (_what, value) => {
    const r = await call(routes, "resources", {}, { "x-ms-client-principal": value, ...KEYED });
    expect(r.status).toBe(401);
    expect(r.headers.get("content-type")).toBe("application/problem+json");
  });

  it("reads roles from role claims (roles, role_typ, the WS role type) and from a roles array", () => {
    const doc = {
      role_typ: "r",
      claims: [
        { typ: "roles", val: "A" },
        { typ: "r", val: "B" },
        { typ: "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", val: "C" },
        { typ: "name", val: "D" },
        7,
      ],
      roles: ["E"],
    };
    expect(principalRoles(b64(JSON.stringify(doc))).sort()).toEqual(["A", "B", "C", "E"]);
  });

  it("anonymous routes and topdeck serve's own invocations check nothing", async () => {
    const open = apiHandler(() => Promise.resolve(json(200, {})), { access: "anonymous" });
    expect((await open(new HttpRequest({ method: "GET", url: "http://x/api/a" }), ctx())).status).toBe(200);
    const guarded = apiHandler(() => Promise.resolve(json(200, {})), { access: "operator" });
    expect((await guarded(new HttpRequest({ method: "GET", url: "http://x/api/a" }), markLocal(ctx()))).status).toBe(200);
    expect(
      (
        await guarded(
          new HttpRequest({ method: "GET", url: "http://x/api/a", headers: { "x-ms-client-principal": "forged-local" } }),
          ctx(),
        )
      ).status,
    ).toBe(401);
  });
});

describe("every answer's headers, bodies and unknown keys", () => {
  const routes = routesOver(testStore());

  it("sends cache-control no-store and nosniff on answers and problems", async () => {
    for (const r of [await call(routes, "health", {}, {}), await call(routes, "resources", {}, {}), await call(routes, "resources")]) {
      expect(r.headers.get("cache-control")).toBe("no-store");
      expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("names at most three unknown query keys, each cut short", async () => {
    const query = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`unknown${i}${"x".repeat(200)}`, "1"]));
    const r = await call(routes, "resources", query);
    expect(r.status).toBe(400);
    const detail = (r.json() as { detail: string }).detail;
    expect(detail).toContain("and 497 more");
    expect(detail.length).toBeLessThan(400);
  });

  it("refuses a body past the handler's cap with 413, declared or not", async () => {
    const startRun = createRunFunctions(
      () => starting,
      () => "0 0 0 * * *",
      () => noCooldown,
    ).startRun;
    const big = `{"a":"${"x".repeat(70_000)}"}`;
    const declared = await startRun.handler(
      new HttpRequest({
        method: "POST",
        url: "http://x/api/discovery/runs",
        headers: { ...KEYED, "content-length": String(big.length) },
        body: { string: big },
      }),
      ctx(),
    );
    expect(declared.status).toBe(413);
    const undeclared = await startRun.handler(
      new HttpRequest({ method: "POST", url: "http://x/api/discovery/runs", headers: { ...KEYED }, body: { string: big } }),
      ctx(),
    );
    expect(undeclared.status).toBe(413);
  });
});

describe("TOPDECK_AUTH_MODE=entra: App Service Authentication in front, no key checked by the host", () => {
  const withMode = async <T>(mode: string, fn: () => T | Promise<T>): Promise<T> => {
    const before = process.env.TOPDECK_AUTH_MODE;
    process.env.TOPDECK_AUTH_MODE = mode;
    try {
      return await fn();
    } finally {
      if (before === undefined) delete process.env.TOPDECK_AUTH_MODE;
      else process.env.TOPDECK_AUTH_MODE = before;
    }
  };

  it("registers every keyed route as anonymous to the host (a signed-in browser needs no key); keys mode keeps them function", async () => {
    const levels = (mode: string) =>
      withMode(mode, () => {
        const routes = routesOver(testStore());
        const runs = createRunFunctions(
          () => starting,
          () => "0 0 0 * * *",
          () => noCooldown,
        );
        return [...Object.values(routes), runs.startRun, runs.run, runs.latestRun].map((r) => `${r.route}:${r.authLevel}`);
      });
    const keys = await levels("keys");
    const entra = await levels("entra");
    expect(keys).toContain("resources:function");
    expect(keys).toContain("discovery/runs:function");
    expect(keys).toContain("health:anonymous");
    expect(entra.filter((l) => l.endsWith(":function"))).toEqual([]);
    expect(entra).toHaveLength(keys.length);
    expect(hostAuthLevel("function", "keys")).toBe("function");
    expect(hostAuthLevel("function", "entra")).toBe("anonymous");
  });

  it("requires a principal: a key alone is 401 (nobody checked it), a reader queries, an operator starts runs", async () => {
    await withMode("entra", async () => {
      const routes = routesOver(testStore());
      const startRun = createRunFunctions(
        () => starting,
        () => "0 0 0 * * *",
        () => noCooldown,
      ).startRun;
      const keyOnly = await call(routes, "resources", {}, { ...KEYED });
      expect(keyOnly.status).toBe(401);
      expect(keyOnly.json()).toMatchObject({ status: 401, type: "https://topdeck.dev/problems/unauthorized" });
      expect(String((keyOnly.json() as { detail: string }).detail)).toContain("TOPDECK_AUTH_MODE");
      expect((await call(routes, "risk", {}, principalHeader([APP_ROLES.reader]))).status).toBe(409); // past the check
      const post = (headers: Record<string, string>) =>
        new HttpRequest({ method: "POST", url: "http://localhost/api/discovery/runs", headers });
      expect((await startRun.handler(post({ ...KEYED }), ctx())).status).toBe(401);
      expect((await startRun.handler(post(principalHeader([APP_ROLES.reader])), ctx())).status).toBe(403);
      expect((await startRun.handler(post(principalHeader([APP_ROLES.operator])), ctx())).status).toBe(202);
      // The anonymous health answers as before.
      expect((await call(routes, "health", {}, {})).status).not.toBe(401);
    });
  });
});
