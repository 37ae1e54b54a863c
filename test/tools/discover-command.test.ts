import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createStore, type Store } from "../../lib/cache/index.js";
import { loadConfig } from "../../lib/config/index.js";
import { createLogger } from "../../lib/log/index.js";
import { createRunService } from "../../lib/runs/compose.js";
import { scopeKey } from "../../lib/runs/scope.js";
import { exportSchema } from "../../lib/topology/export-format.js";
import { parseSubscriptionId } from "../../lib/topology/subscription-id.js";
import { discover } from "../../tools/discover-command.js";
import { loadEstateFile } from "../../tools/estates/schema.js";
import { captureIo } from "../support/cli-io.js";
import { expectedKeys } from "../support/estate-keys.js";
import { startUpstashStack, type UpstashStack } from "../support/redis.js";

const sample = new URL("../../tools/estates/sample.json", import.meta.url).pathname;

describe("topdeck discover", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "topdeck-discover-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("discovers the emulated sample estate completely and writes a valid export", async () => {
    const io = captureIo();
    const outFile = join(dir, "export.json");
    const { code } = await discover(["--estate", sample, "--out", outFile, "--page-size", "7"], io);
    expect(code).toBe(0);
    const written = exportSchema.parse(JSON.parse(await readFile(outFile, "utf8")));
    expect(new Set(written.resources.map((r) => r.key))).toEqual(expectedKeys(await loadEstateFile(sample)));
    expect(written.errors).toEqual([]);
    const text = io.err.join("");
    expect(text).toMatch(/types (\d+)\/\1/);
    expect(text).toContain(`discovered ${written.resources.length} resources in 2 subscription(s)`);
    expect(text).toContain(`export written to ${outFile}`);
  });

  it("--devops-org sample also reads the sample Azure DevOps organisation and writes export version 2", async () => {
    const io = captureIo();
    const outFile = join(dir, "devops-export.json");
    const { code } = await discover(["--estate", sample, "--devops-org", "sample", "--out", outFile], io);
    expect(code).toBe(0);
    const written = exportSchema.parse(JSON.parse(await readFile(outFile, "utf8")));
    expect(written.version).toBe(2);
    expect(written.devops?.organizations.map((o) => o.organization)).toEqual(["contoso"]);
    // The sample's times are moved to now: its recent runs are inside the default 7-day window.
    expect(written.devops?.runs.map((r) => r.id).sort()).toEqual([305, 311, 41]);
    const text = io.err.join("");
    expect(text).toContain("Azure DevOps contoso: 1 project(s), 4 pipeline(s), 5 service connection(s), 2 environment(s), 3 run(s)");
    expect(text).toContain("Azure DevOps links: 16 (9 change sources, 0 from federated credentials)");
    // The sample estate's management groups, read once in the run: both subscriptions under mg-platform.
    const ancestry = written.scope.managementGroups as Record<string, string[]>;
    expect(Object.values(ancestry).map((chain) => chain[0])).toEqual(["mg-platform", "mg-platform"]);
  });

  it("exits 1 and names the failure when a subscription cannot be read", async () => {
    const io = captureIo();
    const missing = "99999999-9999-9999-9999-999999999999";
    const { code, export: result } = await discover(["--estate", sample, "--subscription", missing, "--quiet"], io);
    expect(code).toBe(1);
    expect(result?.errors).toEqual([expect.objectContaining({ subscriptionId: missing, type: "*", code: "SubscriptionNotFound" })]);
    expect(io.err.join("")).toBe("");
  });

  it.each([
    [["--concurrency", "0"], "--concurrency must be an integer from 1 to 256"],
    [["--subscription", "prod"], "--subscription must be a subscription GUID"],
    [["--throttle", "fast"], "--throttle must be BURST/REFILL_PER_S"],
    [["--bogus"], "Unknown option '--bogus'"],
    [["--devops-org", "http://dev.azure.com/contoso"], "--devops-org must be an https URL (https://dev.azure.com/ORG) or sample"],
  ])("exits 2 for bad usage %j, naming the flag", async (args, message) => {
    const io = captureIo();
    expect((await discover(args, io)).code).toBe(2);
    expect(io.err.join("")).toContain(message);
  });

  it("exits 2 for a bad estate file or a bad setting, naming it", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ subscriptions: [{ subscriptionId: "s", resources: [{ id: "nope" }] }] }));
    const io = captureIo();
    expect((await discover(["--estate", bad], io)).code).toBe(2);
    expect(io.err.join("")).toMatch(/--estate: .*subscriptions\[0\]\.resources\[0\]\.id/);

    const io2 = captureIo();
    io2.env = { DISCOVERY_CONCURRENCY: "lots" };
    expect((await discover(["--estate", sample], io2)).code).toBe(2);
    expect(io2.err.join("")).toContain("DISCOVERY_CONCURRENCY");
  });
});

describe("topdeck discover over a shared store (issue 13, cases 1 and 2)", () => {
  let stack: UpstashStack;
  let store: Store;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    stack = await startUpstashStack();
    env = { UPSTASH_REDIS_REST_URL: stack.url, UPSTASH_REDIS_REST_TOKEN: stack.token, CACHE_TIMEOUT_MS: "5000" };
    store = createStore(loadConfig(env), createLogger({ level: "error", write: () => undefined }));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("case 2: commits under the scope's lock: while another run holds it, nothing is committed and the exit code is 1", async () => {
    const estate = await loadEstateFile(sample);
    const subscriptions = estate.subscriptions.map((s) => parseSubscriptionId(s.subscriptionId));
    // A run of the same scope in progress elsewhere (the app's queue, another shell).
    const other = createRunService(loadConfig(env), {
      store,
      log: createLogger({ level: "error", write: () => undefined }),
      reader: () => Promise.reject(new Error("not read")),
      subscriptions,
    });
    const held = await other.start("http");
    if (!held.started) throw new Error("expected a run");
    const io = captureIo();
    io.env = env;
    const args = ["--estate", sample, ...estate.subscriptions.flatMap((s) => ["--subscription", s.subscriptionId])];
    expect((await discover(args, io)).code).toBe(1);
    expect(await store.snapshots.read(scopeKey(subscriptions))).toBeUndefined();
    expect(io.err.join("")).toContain(`run ${held.run.runId} holds the scope ${scopeKey(subscriptions)}`);
    expect(io.err.join("")).toContain("nothing was committed");
  });

  it("case 1: a filtered run commits to a scope of its own, says so, and leaves the full snapshot current", async () => {
    const full = captureIo();
    full.env = env;
    expect((await discover(["--estate", sample, "--quiet"], full)).code).toBe(0);
    const [before] = await store.snapshots.list("tenant");
    expect(before).toBeDefined();
    const io = captureIo();
    io.env = env;
    const { code, export: result } = await discover(["--estate", sample, "--include-type", "Microsoft.Web/sites"], io);
    expect(code).toBe(0);
    expect(new Set(result?.resources.map((r) => r.type))).toEqual(new Set(["Microsoft.Web/sites"]));
    const filtered = scopeKey(undefined, { includeTypes: ["microsoft.web/sites"] });
    expect(io.err.join("")).toContain(`filtered scope ${filtered}`);
    expect((await store.snapshots.list("tenant"))[0]?.runId).toBe(before!.runId);
    expect((await store.snapshots.list(filtered))[0]?.runId).toBe(result?.runId);
  });
});
