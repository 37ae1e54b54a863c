import { afterEach, describe, expect, it } from "vitest";

import { createStore } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import {
  connectDevOps,
  createDevOpsCalls,
  devopsError,
  type DevOpsSnapshot,
  discoverDevOps,
  loadDevOpsSnapshot,
  saveDevOpsSnapshot,
} from "../../../lib/devops/index.js";
import { createLogger } from "../../../lib/log/index.js";
import type { Sleep } from "../../../lib/resilience/index.js";
import type { Organisation } from "../../../tools/devops-emulator/organisation.js";
import { type DevOpsEmulator, type DevOpsEmulatorOptions, startDevOpsEmulator } from "../../../tools/devops-emulator/server.js";
import { sampleOrg } from "../../support/devops.js";

// One virtual clock for the emulator's usage window and the client's limiter, retries and waits:
// a wait advances the clock at once, so throttling is exercised without real sleeping.
function virtualTime(start = Date.parse("2026-12-03T11:00:00Z")) {
  let t = start;
  const sleep: Sleep = (ms, signal) =>
    new Promise((resolve, reject) => {
      // Attempt timeouts are set far out: they never fire in these tests.
      if (ms >= 1e9) {
        signal?.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
        return;
      }
      t += ms;
      setImmediate(resolve);
    });
  return { now: () => t, sleep };
}

const started: DevOpsEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

async function discover(
  options: Partial<DevOpsEmulatorOptions> & { org?: Organisation; previous?: DevOpsSnapshot; perMinute?: number } = {},
) {
  const time = virtualTime();
  const em = await startDevOpsEmulator({ org: options.org ?? sampleOrg(), now: time.now, ...options });
  started.push(em);
  const api = await connectDevOps({ orgUrl: em.orgUrl, auth: { kind: "pat", pat: "emulator-pat" }, caFile: em.caCertPath });
  const calls = createDevOpsCalls({
    organization: "contoso",
    requestsPerMinute: options.perMinute ?? 200,
    attemptTimeoutMs: 2e9,
    maxTotalMs: 1e10,
    ...time,
    random: () => 0.5,
  });
  const snapshot = await discoverDevOps({
    orgUrl: em.orgUrl,
    api,
    calls,
    windowHours: 72,
    now: time.now,
    ...(options.previous && { previous: options.previous }),
  });
  return { em, snapshot, time };
}

/** What a snapshot holds, without counters and times: equal snapshots read the same objects. */
const content = (s: DevOpsSnapshot) => ({ projects: s.projects, serviceConnections: s.serviceConnections });

describe("discoverDevOps against the emulator, with the real azure-devops-node-api client", () => {
  it("reads every kind of object of the sample organisation", async () => {
    const { snapshot } = await discover();
    expect(snapshot.errors).toEqual([]);
    const [web] = snapshot.projects;
    expect(web?.name).toBe("web");
    expect(web?.repositories.map((r) => r.name)).toEqual(["web-app", "platform-infra"]);
    expect(web?.pipelines.map((p) => [p.name, p.kind, p.yamlPath ?? null, p.repositoryKey !== undefined])).toEqual([
      ["web-deploy", "yaml", "/azure-pipelines.yml", true],
      ["infra-deploy", "yaml", "/pipelines/infra.yml", true],
      ["legacy-build", "classic", null, true],
      ["intranet-release", "release", null, false],
    ]);
    expect(web?.pipelines[3]?.stages).toEqual([{ id: 1, name: "corp" }]);
    expect(web?.environments.map((e) => [e.name, e.resources.map((r) => [r.type, r.name, r.clusterName ?? null])])).toEqual([
      ["aks-prod", [["kubernetes", "web", "aks-prod-weu"]]],
      [
        "corp-vms",
        [
          ["virtualMachine", "vm-intranet-01", null],
          ["virtualMachine", "vm-intranet-02", null],
        ],
      ],
    ]);
    // The window (72 h before 2026-12-03T11:00Z) keeps runs 311 and 305, drops 290 (20 November).
    expect(web?.runs.map((r) => [r.kind, r.id]).sort()).toEqual([
      ["build", 305],
      ["build", 311],
      ["environment", 305],
      ["release", 41],
    ]);
    expect(web?.connectionUses.map((u) => [u.connectionKey.split("/").pop()?.slice(0, 8), u.runId, u.planType])).toHaveLength(4);
    expect(snapshot.serviceConnections.map((c) => [c.name, c.azureScope, c.authorizationScheme])).toEqual([
      ["sc-web-prod", "/subscriptions/6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c/resourcegroups/rg-web-prod", "WorkloadIdentityFederation"],
      ["sc-aks-prod", "/subscriptions/6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c/resourcegroups/rg-aks-prod", "WorkloadIdentityFederation"],
      ["sc-platform", "/subscriptions/6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c", "ServicePrincipal"],
      ["sc-corp", "/subscriptions/2a7e9c41-5b3d-4e8f-a6c2-9d1b3f5e7a80", "ServicePrincipal"],
      // Scope level ManagementGroup: its data.managementGroupId.
      ["sc-landing-zone", "/providers/microsoft.management/managementgroups/mg-platform", "WorkloadIdentityFederation"],
    ]);
  });

  it("never keeps a secret: authorization parameters are reduced to non-secret fields", async () => {
    const { snapshot } = await discover();
    const text = JSON.stringify(snapshot);
    expect(text).not.toContain("sample-secret-never-read");
    expect(text).not.toMatch(/serviceprincipalkey/i);
    expect(snapshot.serviceConnections[2]?.authorization).toEqual({
      tenantid: "0b6f3c2d-7a1e-4c9b-8d2f-5e4a3b2c1d0e",
      serviceprincipalid: expect.any(String),
      authenticationType: "spnKey",
    });
  });

  it("follows continuation tokens page by page and reads the same objects", async () => {
    const whole = await discover();
    const paged = await discover({ pageSize: 1 });
    expect(content(paged.snapshot)).toEqual(content(whole.snapshot));
    expect(paged.snapshot.stats.pages).toBeGreaterThan(whole.snapshot.stats.pages);
    const projectId = paged.snapshot.projects[0]?.id ?? "";
    expect(paged.em.requestLog().byRoute[`GET /contoso/${projectId}/_apis/build/definitions`]).toEqual({ "200": 3 });
  });

  it("stays under the per-organisation limit: 429s are waited out, nothing is lost", async () => {
    const whole = await discover();
    // The emulator blocks past 10 requests a minute; the client believes 200 until told otherwise.
    const throttled = await discover({ limit: { perMinute: 10 } });
    expect(throttled.snapshot.errors).toEqual([]);
    expect(content(throttled.snapshot)).toEqual(content(whole.snapshot));
    expect(throttled.snapshot.errors).toEqual([]);
    expect(throttled.em.requestLog().throttled).toBeGreaterThan(0);
    expect(throttled.snapshot.stats.throttled).toBeGreaterThan(0);
    // With the client's limit at the server's, the server never has to block.
    const paced = await discover({ limit: { perMinute: 40 }, perMinute: 30 });
    expect(paced.em.requestLog().throttled).toBe(0);
    expect(content(paced.snapshot)).toEqual(content(whole.snapshot));
  });

  it("retries seeded 503s and loses nothing", async () => {
    const whole = await discover();
    const faulty = await discover({ faultRate: 0.3, seed: 7 });
    expect(faulty.em.requestLog().faults).toBeGreaterThan(0);
    expect(faulty.snapshot.errors).toEqual([]);
    expect(content(faulty.snapshot)).toEqual(content(whole.snapshot));
    expect(faulty.snapshot.stats.retries).toBeGreaterThan(0);
  });

  it("carries a project that cannot be read forward, marked stale, never deleted", async () => {
    const { snapshot: read } = await discover();
    // Between runs the snapshot lives in the store's documents.
    const store = createStore(loadConfig({}), createLogger({ write: () => {} }));
    await saveDevOpsSnapshot(store.documents, read);
    const first = (await loadDevOpsSnapshot(store.documents, "Contoso"))!;
    expect(first).toEqual(read);
    const time = virtualTime();
    const em = await startDevOpsEmulator({ org: sampleOrg(), now: time.now });
    started.push(em);
    const api = await connectDevOps({ orgUrl: em.orgUrl, auth: { kind: "pat", pat: "emulator-pat" }, caFile: em.caCertPath });
    const calls = createDevOpsCalls({
      organization: "contoso",
      attemptTimeoutMs: 2e9,
      maxTotalMs: 1e10,
      maxAttempts: 2,
      ...time,
      random: () => 0.5,
    });
    // The project's environments answer 500 for good: the project fails and is carried forward.
    em.setFailing(/\/_apis\/pipelines\/environments/);
    const second = await discoverDevOps({ orgUrl: em.orgUrl, api, calls, previous: first, now: time.now });
    expect(second.errors.map((e) => [e.project, e.what, e.code])).toEqual([["web", "project", "DEVOPS_REQUEST_FAILED"]]);
    expect(second.projects).toEqual([{ ...first.projects[0], stale: true }]);
    expect(second.serviceConnections).toEqual(first.serviceConnections);
    // The project list itself failing carries everything forward.
    em.setFailing(/\/_apis\/projects/);
    const third = await discoverDevOps({ orgUrl: em.orgUrl, api, calls, previous: first, now: time.now });
    expect(third.errors.map((e) => e.what)).toEqual(["projects"]);
    expect(third.projects.map((p) => p.stale)).toEqual([true]);
    // Recovered: fresh again.
    em.setFailing(undefined);
    const fourth = await discoverDevOps({ orgUrl: em.orgUrl, api, calls, previous: third, now: time.now });
    expect(content(fourth)).toEqual(content(first));
  });

  it("records a failed read with its code and a message whose secrets are replaced", () => {
    const echoed = Object.assign(
      new Error("TF400898: DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=Zm9vYmFy+/==;EndpointSuffix=core.windows.net"),
      {
        code: "DEVOPS_REQUEST_FAILED",
      },
    );
    const error = devopsError("contoso", "project", echoed, "web");
    expect(error).toEqual({
      organization: "contoso",
      project: "web",
      what: "project",
      code: "DEVOPS_REQUEST_FAILED",
      message:
        "TF400898: DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=[redacted:connection-string-secret];EndpointSuffix=core.windows.net",
    });
    expect(devopsError("contoso", "projects", "plain text")).toEqual({
      organization: "contoso",
      what: "projects",
      code: "unknown",
      message: "plain text",
    });
  });
});
