import { HttpRequest, InvocationContext } from "@azure/functions";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { apiHandler, json, parseQuery, type RouteDefinition } from "../../../lib/api/handler.js";
import { conflict, notFound, ProblemError, problemResponse, unavailable, validationProblem } from "../../../lib/api/problem.js";
import { Router } from "../../../lib/api/router.js";

const def = (name: string, route: string, methods: RouteDefinition["methods"] = ["GET"]): RouteDefinition => ({
  name,
  route,
  methods,
  authLevel: "function",
  handler: async () => ({ status: 204 }),
});

const context = (): InvocationContext => new InvocationContext({ functionName: "t", invocationId: "inv-1", logHandler: () => undefined });
const request = (url: string, headers: Record<string, string> = {}): HttpRequest =>
  new HttpRequest({ method: "GET", url, headers: { "x-functions-key": "k", ...headers } });

describe("Router", () => {
  const router = new Router([
    def("byId", "discovery/runs/{runId}"),
    def("latest", "discovery/runs/latest"),
    def("post", "discovery/runs", ["POST"]),
    def("health", "health"),
  ]);

  it("prefers literal segments over parameters, whatever the table order", () => {
    expect(router.match("GET", "/api/discovery/runs/latest").match?.definition.name).toBe("latest");
    const m = router.match("GET", "/api/discovery/runs/r-1");
    expect(m.match?.definition.name).toBe("byId");
    expect(m.match?.params).toEqual({ runId: "r-1" });
  });

  it("matches case-insensitively, with a trailing slash, and decodes parameters", () => {
    expect(router.match("get", "/API/Health/").match?.definition.name).toBe("health");
    expect(router.match("GET", "/api/discovery/runs/a%20b").match?.params).toEqual({ runId: "a b" });
  });

  it("tells a wrong method (405) from an unknown path (404)", () => {
    expect(router.match("DELETE", "/api/health")).toEqual({ methodAllowed: false });
    expect(router.match("GET", "/api/nothing")).toEqual({ methodAllowed: true });
    expect(router.match("GET", "/api/discovery/runs")).toEqual({ methodAllowed: false });
    expect(router.match("GET", "/health")).toEqual({ methodAllowed: true });
  });

  it("does not throw on a parameter that is not valid percent-encoding", () => {
    const m = router.match("GET", "/api/discovery/runs/%E0%A4%A");
    expect(m.methodAllowed).toBe(true);
    expect(m.match).toBeUndefined();
  });
});

describe("problems", () => {
  it("builds RFC 9457 documents with the problem+json content type", () => {
    const r = problemResponse(validationProblem("query.id", "bad").problem, { "x-correlation-id": "c" });
    expect(r.status).toBe(400);
    expect(r.headers).toEqual({ "x-correlation-id": "c", "content-type": "application/problem+json" });
    expect(JSON.parse(r.body as string)).toEqual({
      type: "https://topdeck.dev/problems/validation",
      title: "Invalid request",
      status: 400,
      detail: "bad",
      field: "query.id",
    });
    expect(notFound("x", "query.id").problem.status).toBe(404);
    expect(conflict("x", { runId: "r" }).problem).toMatchObject({ status: 409, runId: "r" });
    expect(unavailable("x").problem.status).toBe(503);
  });
});

describe("apiHandler", () => {
  it("puts the correlation id on the answer: x-correlation-id, else traceparent, else the invocation id", async () => {
    const h = apiHandler(async () => json(200, { ok: true }));
    const given = await h(request("http://x/api/a", { "x-correlation-id": "abc-123" }), context());
    expect((given.headers as Record<string, string>)["x-correlation-id"]).toBe("abc-123");
    const traced = await h(
      request("http://x/api/a", { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }),
      context(),
    );
    expect((traced.headers as Record<string, string>)["x-correlation-id"]).toBe("0af7651916cd43dd8448eb211c80319c");
    const fallback = await h(request("http://x/api/a", { "x-correlation-id": "bad id with spaces" }), context());
    expect((fallback.headers as Record<string, string>)["x-correlation-id"]).toBe("inv-1");
  });

  it("answers a ProblemError with its problem and anything else with a 500 without internals", async () => {
    const p = await apiHandler(async () => {
      throw new ProblemError({ type: "t", title: "T", status: 418, detail: "d" });
    })(request("http://x/api/a"), context());
    expect(p.status).toBe(418);
    expect((p.headers as Record<string, string>)["content-type"]).toBe("application/problem+json");
    const boom = await apiHandler(async () => {
      throw new Error("secret internals at /srv/app.js:12");
    })(request("http://x/api/a", { "x-correlation-id": "c-1" }), context());
    expect(boom.status).toBe(500);
    const body = JSON.parse(boom.body as string) as { detail: string; status: number };
    expect(body.status).toBe(500);
    expect(body.detail).toContain("c-1");
    expect(boom.body).not.toContain("secret");
    expect(boom.body).not.toContain("app.js");
  });

  it("parseQuery turns repeated names into arrays and names the failing field", () => {
    const schema = z.strictObject({ tag: z.array(z.string()).optional(), limit: z.string().regex(/^\d+$/).optional() });
    expect(parseQuery(request("http://x/api/a?tag=a&tag=b"), schema)).toEqual({ tag: ["a", "b"] });
    try {
      parseQuery(request("http://x/api/a?limit=x"), schema);
      expect.unreachable();
    } catch (e) {
      expect((e as ProblemError).problem).toMatchObject({ status: 400, field: "query.limit" });
    }
  });
});
