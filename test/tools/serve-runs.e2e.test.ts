// End to end over real HTTP: `topdeck serve` (its startServe, the queue in process), the ARM
// emulator serving the two-subscription sample estate, and the store in redis-server behind the
// Upstash REST bridge. Runs are started and polled as a user would, then queried; a second run on
// a modified estate shows up in /changes; two concurrent POSTs start exactly one run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "../../lib/config/index.js";
import type { Estate } from "../../tools/estates/schema.js";
import { loadEstateFile } from "../../tools/estates/schema.js";
import { sampleEstatePath } from "../../tools/paths.js";
import { type RunningServe, startServe } from "../../tools/serve-command.js";
import { captureIo } from "../support/cli-io.js";
import { expectedKeys } from "../support/estate-keys.js";
import { startUpstashStack, type UpstashStack } from "../support/redis.js";

interface RunBody {
  runId: string;
  status: string;
  progress: { subscriptions: { total: number | null; done: number; failed: number } };
  subscriptions: Array<{
    subscriptionId: string;
    status: string;
    typesDone: number;
    typesTotal: number;
    types: Record<string, { resources: number }>;
  }>;
  errors: unknown[];
  result?: { committed: boolean; resources: number; edges: number };
}

describe("discovery runs over HTTP (topdeck serve, the emulator, the Redis bridge)", () => {
  let stack: UpstashStack;
  let serve: RunningServe;
  let estate: Estate;
  let api: string;

  beforeAll(async () => {
    stack = await startUpstashStack();
    estate = await loadEstateFile(sampleEstatePath());
    const subscriptions = estate.subscriptions.map((s) => s.subscriptionId).join(",");
    const config = loadConfig({
      UPSTASH_REDIS_REST_URL: stack.url,
      UPSTASH_REDIS_REST_TOKEN: stack.token,
      CACHE_TIMEOUT_MS: "5000",
      TOPDECK_SUBSCRIPTIONS: subscriptions,
    });
    serve = await startServe({ io: captureIo(), port: 0, config, estate, emulator: { throttle: "off", latencyMs: 5 } });
    api = `${serve.server.url}/api`;
  }, 60_000);
  afterAll(async () => {
    await serve?.close();
    await stack?.stop();
  });

  /** POSTs a run and follows its Location until it finishes. */
  async function runToCompletion(): Promise<RunBody> {
    const started = await fetch(`${api}/discovery/runs`, { method: "POST" });
    expect(started.status).toBe(202);
    const location = started.headers.get("location")!;
    const body = (await started.json()) as RunBody;
    expect(location).toBe(`/api/discovery/runs/${body.runId}`);
    expect(body.status).toBe("queued");
    for (let i = 0; i < 600; i++) {
      const polled = (await (await fetch(`${serve.server.url}${location}`)).json()) as RunBody;
      expect(polled.runId).toBe(body.runId);
      if (!["queued", "running"].includes(polled.status)) return polled;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the run did not finish");
  }

  let first: RunBody;

  it("runs discovery over both subscriptions through the queue, then answers every query from its snapshot", async () => {
    const none = await fetch(`${api}/discovery/runs/latest`);
    expect(none.status).toBe(404);
    expect(none.headers.get("content-type")).toBe("application/problem+json");

    first = await runToCompletion();
    expect(first.status).toBe("succeeded");
    expect(first.progress.subscriptions).toMatchObject({ total: 2, done: 2, failed: 0 });
    expect(first.errors).toEqual([]);
    const expected = expectedKeys(estate);
    expect(first.result).toMatchObject({ committed: true, resources: expected.size });
    for (const s of first.subscriptions) {
      expect(s.status).toBe("done");
      expect(s.typesDone).toBe(s.typesTotal);
      expect(Object.values(s.types).reduce((n, t) => n + t.resources, 0)).toBeGreaterThan(0);
    }
    expect(((await (await fetch(`${api}/discovery/runs/latest`)).json()) as RunBody).runId).toBe(first.runId);
    expect(await (await fetch(`${api}/health`)).json()).toEqual({ status: "healthy" });
    const health = (await (await fetch(`${api}/health/details`)).json()) as {
      status: string;
      lastRun: { runId: string; status: string; ageSeconds: number };
      snapshot: { runId: string };
    };
    expect(health).toMatchObject({
      status: "healthy",
      lastRun: { runId: first.runId, status: "succeeded" },
      snapshot: { runId: first.runId },
    });
    expect(health.lastRun.ageSeconds).toBeGreaterThanOrEqual(0);

    // Every resource, paged.
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await (await fetch(`${api}/resources?limit=40${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).json()) as {
        items: Array<{ key: string }>;
        next?: string | null;
      };
      keys.push(...page.items.map((r) => r.key));
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
    expect(new Set(keys)).toEqual(expected);

    const json = (await (await fetch(`${api}/topology?format=json`)).json()) as {
      runId: string;
      resources: unknown[];
      edges: Array<{ from: string; to: string; relation: string }>;
    };
    expect(json.runId).toBe(first.runId);
    expect(json.resources).toHaveLength(expected.size);
    expect(json.edges.length).toBe(first.result!.edges);
    const mermaid = await fetch(`${api}/topology?format=mermaid`);
    expect(mermaid.headers.get("content-type")).toMatch(/^text\/vnd\.mermaid/);
    expect(await mermaid.text()).toMatch(/^(flowchart|graph) /m);
    const dot = await fetch(`${api}/topology?format=dot`);
    expect(dot.headers.get("content-type")).toMatch(/^text\/vnd\.graphviz/);
    expect(await dot.text()).toMatch(/^digraph /);

    // The failure of the most depended-on target reaches each of its direct dependents: down at one
    // hop, or degraded when it only loses one member of a group.
    const dependents = new Map<string, Set<string>>();
    for (const e of json.edges)
      if (e.relation !== "monitoring" && e.relation !== "contains") dependents.set(e.to, (dependents.get(e.to) ?? new Set()).add(e.from));
    const [target, direct] = [...dependents].sort((a, b) => b[1].size - a[1].size)[0]!;
    const impact = (await (await fetch(`${api}/impact?limit=1000&id=${encodeURIComponent(target)}`)).json()) as {
      down: Array<{ key: string; distance: number }>;
      degraded: Array<{ key: string }>;
    };
    const affected = new Map([...impact.down.map((a) => [a.key, a.distance] as const), ...impact.degraded.map((a) => [a.key, 1] as const)]);
    for (const d of direct) if (d !== target) expect(affected.get(d), d).toBe(1);

    const risk = (await (await fetch(`${api}/risk?limit=5`)).json()) as {
      totals: { resources: number };
      scores: Array<{ key: string; score: number; blastRadius: number }>;
      snapshot: { runId: string };
    };
    expect(risk.snapshot.runId).toBe(first.runId);
    expect(risk.totals.resources).toBe(expected.size);
    expect(risk.scores).toHaveLength(5);
    expect(risk.scores.map((r) => r.score)).toEqual([...risk.scores.map((r) => r.score)].sort((a, b) => b - a));
    expect(risk.scores[0]!.blastRadius).toBeGreaterThan(0);
  }, 60_000);

  it("a second run on a modified estate commits the changes, and /changes?since= the first run shows them", async () => {
    const modified = structuredClone(estate);
    const sub = modified.subscriptions[0]!;
    const removed = sub.resources.find((r) => r.type.toLowerCase() === "microsoft.insights/actiongroups")!;
    sub.resources = sub.resources.filter((r) => r !== removed);
    const changed = sub.resources.find((r) => r.type.toLowerCase() === "microsoft.storage/storageaccounts")!;
    changed.tags = { ...changed.tags, "cost-center": "changed-by-test" };
    const added = { ...structuredClone(changed), name: "sttopdeckadded", id: changed.id.replace(/[^/]+$/, "sttopdeckadded"), tags: {} };
    sub.resources.push(added);
    serve.emulator!.setEstate(modified);

    const second = await runToCompletion();
    expect(second.status).toBe("succeeded");
    const { resources: changes } = (await (await fetch(`${api}/changes?since=${first.runId}`)).json()) as {
      resources: { added: Array<{ key: string }>; removed: Array<{ key: string }>; changed: Array<{ key: string; paths: string[] }> };
    };
    expect(changes.added.map((r) => r.key)).toEqual([added.id.toLowerCase()]);
    expect(changes.removed.map((r) => r.key)).toEqual([removed.id.toLowerCase()]);
    expect(changes.changed.map((c) => c.key)).toEqual([changed.id.toLowerCase()]);
    expect(changes.changed[0]!.paths.join(" ")).toContain("cost-center");
    serve.emulator!.setEstate(estate);
  }, 60_000);

  it("two concurrent POSTs start exactly one run; the other gets 409 naming it", async () => {
    const answers = await Promise.all([0, 1].map(() => fetch(`${api}/discovery/runs`, { method: "POST" })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([202, 409]);
    const accepted = (await answers.find((a) => a.status === 202)!.json()) as RunBody;
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({ status: 409, runId: accepted.runId, location: `/api/discovery/runs/${accepted.runId}` });
    await serve.queue.idle();
    const latest = (await (await fetch(`${api}/discovery/runs/latest`)).json()) as RunBody;
    expect(latest.runId).toBe(accepted.runId);
    expect(latest.status).toBe("succeeded");
    expect((await serve.store.snapshots.list(serve.scope))[0]?.runId).toBe(accepted.runId);
  }, 60_000);
});
