// The start cooldown: one HTTP start per scope per DISCOVERY_START_COOLDOWN_MS, shared through the
// store; the refused caller gets 429 problem+json with Retry-After.
import { randomUUID } from "node:crypto";

import { HttpRequest, InvocationContext } from "@azure/functions";
import { describe, expect, it } from "vitest";

import { createRunFunctions } from "../../../lib/api/runs.js";
import { storeCooldown } from "../../../lib/api/start-cooldown.js";
import { MemoryDriver, MemoryKeyspace, Store } from "../../../lib/cache/index.js";
import type { RunService } from "../../../lib/runs/run-service.js";
import { KEYED, quietLog } from "./fixtures.js";

let latest: { runId: string; status: string } | undefined;
const starting = {
  start: () => Promise.resolve({ started: true, run: { runId: "r" }, messages: [] }),
  latestSummary: () => Promise.resolve(latest),
} as unknown as RunService;
const post = () => new HttpRequest({ method: "POST", url: "http://localhost/api/discovery/runs", headers: { ...KEYED } });
const ctx = () => new InvocationContext({ functionName: "discoveryRunStart", invocationId: randomUUID(), logHandler: () => undefined });

describe("discovery start cooldown", () => {
  it("answers 429 with Retry-After inside the cooldown, per scope, and lets a start through after it", async () => {
    let t = 1_000_000;
    const keyspace = new MemoryKeyspace({ now: () => t });
    const store = new Store({ driver: new MemoryDriver(keyspace), log: quietLog, now: () => t });
    let scope = "a";
    const cooldown = storeCooldown({ locks: store.locks, scope: () => scope, cooldownMs: 60_000, now: () => t });
    const start = createRunFunctions(
      () => starting,
      () => "0 0 0 * * *",
      () => cooldown,
    ).startRun;
    expect((await start.handler(post(), ctx())).status).toBe(202);
    t += 20_000;
    const refused = await start.handler(post(), ctx());
    expect(refused.status).toBe(429);
    const headers = new Headers(refused.headers);
    expect(headers.get("retry-after")).toBe("40");
    expect(headers.get("content-type")).toBe("application/problem+json");
    expect(JSON.parse(refused.body as string)).toMatchObject({
      status: 429,
      type: "https://topdeck.dev/problems/too-many-requests",
      retryAfterSeconds: 40,
    });
    // Inside the cooldown while a run still holds the scope: the 409 that names it, not the 429.
    latest = { runId: "r", status: "running" };
    const held = await start.handler(post(), ctx());
    expect(held.status).toBe(409);
    expect(JSON.parse(held.body as string)).toMatchObject({ runId: "r", location: "/api/discovery/runs/r" });
    latest = { runId: "r", status: "succeeded" };
    expect((await start.handler(post(), ctx())).status).toBe(429);
    scope = "b";
    expect((await start.handler(post(), ctx())).status).toBe(202);
    scope = "a";
    t += 40_000;
    expect((await start.handler(post(), ctx())).status).toBe(202);
  });

  it("is off at 0", async () => {
    const store = new Store({ driver: new MemoryDriver(new MemoryKeyspace()), log: quietLog });
    const cooldown = storeCooldown({ locks: store.locks, scope: () => "a", cooldownMs: 0 });
    expect(await cooldown.claim()).toEqual({ allowed: true, reason: "off" });
    expect(await cooldown.claim()).toEqual({ allowed: true, reason: "off" });
  });
});
