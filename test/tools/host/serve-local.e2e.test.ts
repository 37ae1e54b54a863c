// topdeck serve's local protections over real HTTP: only a loopback Host (DNS rebinding), no POST
// from a foreign Origin, no POST body that is not JSON (a cross-site form), and keyless access.
import { request as httpRequest } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createRunFunctions } from "../../../lib/api/runs.js";
import type { RunService } from "../../../lib/runs/run-service.js";
import { type LocalServer, serveRoutes } from "../../../tools/host/serve.js";
import { routesOver, testStore } from "../../lib/api/fixtures.js";

/** A run service that starts every time, counting the starts. */
let starts = 0;
const starting = {
  start: () => {
    starts += 1;
    return Promise.resolve({ started: true, run: { runId: `r-${starts}` }, messages: [] });
  },
} as unknown as RunService;

/** One raw request, so the Host header can be anything (fetch always sends the URL's). */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body = "",
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("topdeck serve's local protections", () => {
  let server: LocalServer;
  let port: number;

  beforeAll(async () => {
    const runs = createRunFunctions(
      () => starting,
      () => "0 0 0 * * *",
    );
    server = await serveRoutes([...Object.values(routesOver(testStore())), runs.startRun], 0);
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers the loopback names of its own port, keyless", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const r = await raw(`${server.url}/api/health`, "GET", { host });
      expect(r.status, host).toBe(200);
    }
    const keyless = await raw(`${server.url}/api/resources`, "GET", { host: `localhost:${port}` });
    expect(keyless.status).toBe(409); // past every check: nothing committed yet
  });

  it.each(["evil.example:" + "PORT", "evil.example", "127.0.0.1", "127.0.0.1:1", "localhost.evil.example:PORT"])(
    "refuses Host %s with 403 problem+json (DNS rebinding)",
    async (host) => {
      const r = await raw(`${server.url}/api/resources`, "GET", { host: host.replace("PORT", String(port)) });
      expect(r.status).toBe(403);
      expect(r.headers["content-type"]).toBe("application/problem+json");
      expect(r.headers["cache-control"]).toBe("no-store");
      expect(JSON.parse(r.body)).toMatchObject({ status: 403, field: "header.host" });
    },
  );

  it("refuses a cross-site form POST with 415, and starts nothing", async () => {
    const before = starts;
    for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"]) {
      const r = await fetch(`${server.url}/api/discovery/runs`, { method: "POST", headers: { "content-type": type }, body: "a=1" });
      expect(r.status, type).toBe(415);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(starts).toBe(before);
  });

  it("refuses a POST from a foreign Origin with 403, even as JSON", async () => {
    const before = starts;
    for (const origin of ["https://evil.example", "null", `http://evil.example:${port}`, `https://127.0.0.1:${port}`]) {
      const r = await fetch(`${server.url}/api/discovery/runs`, {
        method: "POST",
        headers: { origin, "content-type": "application/json" },
        body: "{}",
      });
      expect(r.status, origin).toBe(403);
    }
    expect(starts).toBe(before);
  });

  it("starts a run from a JSON POST, its own origin, or a bodiless POST (curl -X POST)", async () => {
    expect(
      (
        await fetch(`${server.url}/api/discovery/runs`, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body: "{}",
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await fetch(`${server.url}/api/discovery/runs`, {
          method: "POST",
          headers: { origin: server.url, "content-type": "application/json" },
          body: "{}",
        })
      ).status,
    ).toBe(202);
    expect((await fetch(`${server.url}/api/discovery/runs`, { method: "POST" })).status).toBe(202);
  });
});
