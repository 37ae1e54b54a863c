// Issue 16, "hostile estate": secrets planted in real payload shapes, discovered through the ARM
// emulator with the real reader, committed over the Upstash bridge to a real redis-server, served
// by the API handlers over HTTP and written by `topdeck discover --out`. Every byte that comes
// back (answers, export file, redis values with the snapshot chunks decompressed, log lines) is
// searched for every planted secret; the edges must be those of the same estate without secrets.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createRoutes } from "../../../lib/api/routes.js";
import { emulatorReader } from "../../../lib/azure/readers.js";
import { createStore, type Store } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { createRunService } from "../../../lib/runs/compose.js";
import type { TopologyExport } from "../../../lib/topology/index.js";
import { type ArmEmulator, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { discover } from "../../../tools/discover-command.js";
import { exportFromPayloads } from "../../../tools/estates/offline-export.js";
import { runInProcess } from "../../../tools/host/run-in-process.js";
import { type LocalServer, serveRoutes } from "../../../tools/host/serve.js";
import { armClient, armListAll } from "../../support/arm.js";
import { captureIo } from "../../support/cli-io.js";
import { HOSTILE_SUBSCRIPTION, hostileEstate, hostileIds } from "../../support/hostile-estate.js";
import { startUpstashStack, type UpstashStack } from "../../support/redis.js";

const first = hostileEstate({ round: "a" });
// The second run sees rotated secrets and one changed tag, so `changes` has something to say.
const second = hostileEstate({ round: "b", tag: "2" });
const secrets = [...first.secrets, ...second.secrets];

/** Every planted secret found in `text`, and any trace of the word they all carry. */
function leaks(text: string): string[] {
  const found = secrets.filter((s) => text.includes(s));
  return /planted/i.test(text) ? [...found, "PLANTED"] : found;
}

describe("a hostile estate", () => {
  let stack: UpstashStack;
  let store: Store;
  let emulator: ArmEmulator;
  let server: LocalServer;
  let dir: string;
  let run1: TopologyExport;
  let run2: TopologyExport;
  const logLines: string[] = [];
  const outFile = () => join(dir, "export.json");

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "topdeck-hostile-"));
    stack = await startUpstashStack();
    const env = { UPSTASH_REDIS_REST_URL: stack.url, UPSTASH_REDIS_REST_TOKEN: stack.token, CACHE_TIMEOUT_MS: "5000" };
    const log = createLogger({ level: "debug", write: (line) => logLines.push(line) });
    store = createStore(loadConfig(env), log);

    // Run 1: the run service (as every run path uses it) with a debug logger whose every line is kept.
    emulator = await startArmEmulator({ estate: first.estate, throttle: "off" });
    const reader = emulatorReader(emulator);
    const service = createRunService(loadConfig(env), { store, log, endpoint: emulator.url, reader: () => reader });
    const committed = await runInProcess(service, { trigger: "cli", log, retryDelayMs: 1 });
    expect(committed.started && committed.export !== undefined).toBe(true);
    run1 = committed.started ? committed.export! : (undefined as never);

    // Run 2: the command line, writing the export file, into the same store.
    const estateFile = join(dir, "estate.json");
    await writeFile(estateFile, JSON.stringify(second.estate));
    const io = captureIo();
    io.env = env;
    const outcome = await discover(["--estate", estateFile, "--out", outFile()], io);
    expect(outcome.code).toBe(0);
    run2 = outcome.export!;
    logLines.push(...io.err, ...io.out);

    server = await serveRoutes(Object.values(createRoutes(() => ({ store, scope: () => "tenant" }))), 0);
  });
  afterAll(async () => {
    await server?.close();
    await emulator?.close();
    await store?.idle();
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("is served by the emulator with its secrets, through the real client", async () => {
    const client = armClient(emulator, HOSTILE_SUBSCRIPTION);
    const groups = await armListAll(
      client,
      `${emulator.url}/subscriptions/${HOSTILE_SUBSCRIPTION}/providers/Microsoft.Insights/actionGroups?api-version=2023-01-01`,
    );
    expect(JSON.stringify(groups)).toContain("PLANTEDawebhookcode");
    expect(run1.errors).toEqual([]);
    expect(run1.resources.map((r) => r.key)).toEqual(expect.arrayContaining(Object.values(hostileIds).map((i) => i.toLowerCase())));
  });

  it("keeps the edges and external references of the same estate without secrets", () => {
    const clean = exportFromPayloads(hostileEstate({ planted: false }).estate, { runId: "clean" });
    const edges = (e: TopologyExport) => e.edges.map((x) => JSON.stringify(x)).sort();
    expect(edges(run1)).toEqual(edges(clean));
    expect(edges(run2)).toEqual(edges(clean));
    expect(run1.external).toEqual(clean.external);
    // The payloads that held secrets still give their edges.
    const targets = (from: string) => run1.edges.filter((e) => e.from === from.toLowerCase()).map((e) => e.to);
    expect(targets(hostileIds.actionGroup)).toEqual(
      expect.arrayContaining([hostileIds.site, hostileIds.workflow].map((i) => i.toLowerCase())),
    );
    expect(targets(hostileIds.containerGroup)).toContain(hostileIds.subnet.toLowerCase());
    expect(targets(hostileIds.containerApp)).toEqual(
      expect.arrayContaining([hostileIds.environment, hostileIds.identity].map((i) => i.toLowerCase())),
    );
    expect(targets(hostileIds.extension)).toContain(hostileIds.vm.toLowerCase());
  });

  it("keeps hosts and paths around the markers", () => {
    const group = run1.resources.find((r) => r.key === hostileIds.actionGroup.toLowerCase())!;
    const fn = (group.properties as { azureFunctionReceivers: { httpTriggerUrl: string }[] }).azureFunctionReceivers[0]!;
    expect(fn.httpTriggerUrl).toBe("https://func-hooks.azurewebsites.net/api/alert?code=[redacted:query-secret]");
  });

  it("serves no secret in any answer", async () => {
    const bodies: string[] = [];
    const get = async (path: string): Promise<string> => {
      const r = await fetch(`${server.url}${path}`);
      const text = await r.text();
      expect(r.status, `${path}: ${text.slice(0, 200)}`).toBe(200);
      bodies.push(text);
      return text;
    };
    let cursor: string | undefined;
    do {
      const page = JSON.parse(await get(`/api/resources?limit=5${cursor === undefined ? "" : `&cursor=${cursor}`}`)) as { next?: string };
      cursor = page.next;
    } while (cursor !== undefined);
    for (const r of run2.resources) await get(`/api/resources/detail?id=${encodeURIComponent(r.id)}`);
    for (const format of ["json", "mermaid", "dot"]) await get(`/api/topology?format=${format}`);
    const changes = await get(`/api/changes?since=${encodeURIComponent(run1.runId)}`);
    expect((JSON.parse(changes) as { resources: { changed: unknown[] } }).resources.changed.length).toBeGreaterThan(0);
    await get(`/api/impact?id=${encodeURIComponent(hostileIds.subnet)}`);
    await get(`/api/risk?limit=50`);
    await get(`/api/resources?q=PLANTED`);
    expect(bodies.length).toBeGreaterThan(run2.resources.length);
    for (const body of bodies) expect(leaks(body)).toEqual([]);
  });

  it("writes an export file without secrets, readable by its owner only", async () => {
    const text = await readFile(outFile(), "utf8");
    expect(JSON.parse(text)).toMatchObject({ version: 1, runId: run2.runId });
    expect(leaks(text)).toEqual([]);
    expect((await stat(outFile())).mode & 0o777).toBe(0o600);
  });

  it("stores no secret in redis, the snapshot chunks decompressed", async () => {
    const redis = stack.client({ automaticDeserialization: false });
    const keys: string[] = [];
    let scanCursor = "0";
    do {
      const [next, batch] = await redis.scan(scanCursor, { count: 500 });
      scanCursor = String(next);
      keys.push(...batch);
    } while (scanCursor !== "0");
    const values = new Map<string, string>();
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === "string") values.set(key, String(await redis.get(key)));
      else if (type === "hash") values.set(key, JSON.stringify(await redis.hgetall(key)));
      else if (type === "list") values.set(key, JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === "set") values.set(key, JSON.stringify(await redis.smembers(key)));
      else if (type === "zset") values.set(key, JSON.stringify(await redis.zrange(key, 0, -1)));
    }
    // `{p}:snap:{scope}:chunk:{writeId}:{i}`: one compressed stream per write, in index order.
    const streams = new Map<string, Array<[number, string]>>();
    for (const [key, value] of values) {
      const m = /^(.*:chunk:.*):(\d+)$/.exec(key);
      if (m !== null) streams.set(m[1]!, [...(streams.get(m[1]!) ?? []), [Number(m[2]), value]]);
    }
    expect(streams.size).toBeGreaterThanOrEqual(2);
    const decoded: string[] = [];
    for (const chunks of streams.values()) {
      const bytes = Buffer.concat(chunks.sort((a, b) => a[0] - b[0]).map(([, c]) => Buffer.from(c, "base64")));
      decoded.push(decompress(bytes));
    }
    expect(decoded.some((d) => d.includes(hostileIds.actionGroup.toLowerCase()))).toBe(true);
    for (const [key, value] of values) expect(leaks(value), key).toEqual([]);
    for (const text of decoded) expect(leaks(text)).toEqual([]);
  });

  it("logs no secret, even when a raw payload is logged", () => {
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(leaks(line)).toEqual([]);
    const lines: string[] = [];
    const probe = createLogger({ level: "debug", write: (line) => lines.push(line) });
    for (const resource of first.estate.subscriptions[0]!.resources) probe.debug("raw payload", { resource });
    for (const line of lines) expect(leaks(line)).toEqual([]);
  });
});

function decompress(bytes: Buffer): string {
  try {
    return gunzipSync(bytes).toString("utf8");
  } catch {
    return brotliDecompressSync(bytes).toString("utf8");
  }
}
