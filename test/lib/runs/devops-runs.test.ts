// Issue 19: every discovery run also reads the Azure DevOps organisations it is given, each as a
// step of its own, against the Azure DevOps emulator (real HTTPS, the real azure-devops-node-api
// client) and the ARM emulator, over the in-memory store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ArmRequestError } from "../../../lib/azure/arm-reader.js";
import { MANAGEMENT_GROUP_TYPE } from "../../../lib/azure/management-groups.js";
import { emulatorReader } from "../../../lib/azure/readers.js";
import { createStore, type Store } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import { connectDevOps } from "../../../lib/devops/auth.js";
import { createLogger } from "../../../lib/log/index.js";
import { createRunService } from "../../../lib/runs/compose.js";
import type { DevOpsSource } from "../../../lib/runs/devops-source.js";
import type { RunMessage } from "../../../lib/runs/records.js";
import type { RunService } from "../../../lib/runs/run-service.js";
import { parseSubscriptionId, type SubscriptionId } from "../../../lib/topology/subscription-id.js";
import { emulatorTenantId } from "../../../tools/arm-emulator/handlers/context.js";
import { type ArmEmulator, routeTemplates, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { type DevOpsEmulator, startDevOpsEmulator } from "../../../tools/devops-emulator/server.js";
import { sampleFederatedCredentials, withSampleFederatedCredentials } from "../../../tools/estates/sample/federated.js";
import { type Estate, loadEstateFile } from "../../../tools/estates/schema.js";
import { sampleEstatePath } from "../../../tools/paths.js";
import { sampleOrg } from "../../support/devops.js";

const log = createLogger({ level: "error", write: () => undefined });

describe("discovery runs with Azure DevOps organisations", () => {
  let arm: ArmEmulator;
  let devops: DevOpsEmulator;
  let estate: Estate;
  let pat = "emulator-pat";

  beforeAll(async () => {
    estate = await loadEstateFile(sampleEstatePath());
    arm = await startArmEmulator({ estate, throttle: "off" });
    devops = await startDevOpsEmulator({ org: sampleOrg(), limit: "off" });
  });
  afterAll(async () => {
    await arm?.close();
    await devops?.close();
  });

  const ids = () => estate.subscriptions.map((s) => parseSubscriptionId(s.subscriptionId));
  const source = (): DevOpsSource => ({
    organizations: [devops.orgUrl],
    // The PAT is read at each connection, so a test can make one organisation's step fail.
    connect: (orgUrl) => connectDevOps({ orgUrl, auth: { kind: "pat", pat }, caFile: devops.caCertPath }),
    requestsPerMinute: 100_000,
    // The sample organisation's runs are on fixed dates: a window wide enough to hold them.
    windowHours: 8_760,
  });
  const serviceOn = (store: Store, subscriptions?: SubscriptionId[]): RunService =>
    createRunService(loadConfig({}), {
      store,
      log,
      reader: () => emulatorReader(arm),
      endpoint: arm.url,
      subscriptions: subscriptions ?? ids(),
      devops: source(),
    });
  const drain = async (service: RunService, messages: RunMessage[]): Promise<void> => {
    const queue = [...messages];
    while (queue.length > 0) queue.push(...(await service.handle(queue.shift()!, { dequeueCount: 1 })));
  };
  const run = async (service: RunService, order: (m: RunMessage[]) => RunMessage[] = (m) => m) => {
    const started = await service.start("http");
    if (!started.started) throw new Error("expected a run");
    await drain(service, order(started.messages));
    return (await service.view(started.run.runId))!;
  };

  it("a run reads the organisation as a step of its own and commits the export's devops section", async () => {
    const entitiesRead = () => arm.requestLog().byRoute[routeTemplates.entities]?.["200"] ?? 0;
    const entitiesBefore = entitiesRead();
    const store = createStore(loadConfig({}), log);
    const service = serviceOn(store);
    const started = await service.start("http");
    if (!started.started) throw new Error("expected a run");
    expect(started.messages.filter((m) => m.kind === "devops")).toEqual([
      { v: 1, kind: "devops", runId: started.run.runId, organization: "contoso" },
    ]);
    expect(started.run.devops).toMatchObject([{ organization: "contoso", url: devops.orgUrl, status: "queued" }]);
    await drain(service, started.messages);
    const view = (await service.view(started.run.runId))!;
    expect(view.status).toBe("succeeded");
    expect(view.devops).toMatchObject([{ organization: "contoso", status: "done", projects: 1, staleProjects: 0, errors: [] }]);
    expect(view.result?.devops).toMatchObject({ organizations: 1, stale: 0, errors: 0 });
    const committed = (await service.committed(started.run.runId))!;
    expect(committed.version).toBe(2);
    expect(committed.devops?.organizations.map((o) => [o.organization, o.stale])).toEqual([["contoso", undefined]]);
    // The sample estate holds no federated credentials: every link of the golden list but the two trusts.
    expect(committed.devops?.edges).toHaveLength(16);
    // Read once, at the assembly: both sample subscriptions sit under mg-platform, below the tenant root.
    const ancestry = Object.fromEntries(
      estate.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), ["mg-platform", emulatorTenantId]]),
    );
    expect(committed.scope.managementGroups).toEqual(ancestry);
    expect(entitiesRead() - entitiesBefore).toBe(1);
    expect(committed.devops?.edges.filter((e) => e.relation === "trusts")).toEqual([]);
    expect(committed.devops?.runs.map((r) => r.id).sort()).toEqual([290, 305, 311, 41]);
  });

  it("a run without organisations is unchanged: version 1, no devops step", async () => {
    const store = createStore(loadConfig({}), log);
    const service = createRunService(loadConfig({}), {
      store,
      log,
      reader: () => emulatorReader(arm),
      endpoint: arm.url,
      subscriptions: ids(),
    });
    const view = await run(service);
    expect(view.status).toBe("succeeded");
    expect("devops" in view).toBe(false);
    expect(view.result?.devops).toBeUndefined();
    const committed = (await service.committed(view.runId))!;
    expect(committed.version).toBe(1);
    expect("devops" in committed).toBe(false);
    // No organisation, no management groups read.
    expect(committed.scope).not.toHaveProperty("managementGroups");
  });

  it("an organisation that cannot be read leaves the run partial, its previous snapshot carried forward stale, never dropped", async () => {
    const store = createStore(loadConfig({}), log);
    const service = serviceOn(store);
    pat = "emulator-pat";
    const first = await run(service);
    const before = (await service.committed(first.runId))!;
    try {
      pat = "revoked";
      const second = await run(service);
      expect(second.status).toBe("partial");
      expect(second.devops).toMatchObject([
        { organization: "contoso", status: "failed", errors: [{ organization: "contoso", what: "organization" }] },
      ]);
      expect(second.result?.devops).toMatchObject({ organizations: 1, errors: 1 });
      const after = (await service.committed(second.runId))!;
      const [org] = after.devops!.organizations;
      expect(org).toMatchObject({ organization: "contoso", stale: true, readAt: before.devops!.organizations[0]!.readAt });
      expect((org!.errors as unknown[]).length).toBe(1);
      // Everything the first run found is still there; the project is marked stale.
      expect(after.devops!.edges).toEqual(before.devops!.edges);
      expect(after.devops!.runs).toEqual(before.devops!.runs);
      expect(after.devops!.nodes.filter((n) => n.kind === "project").map((n) => n.stale)).toEqual([true]);
      // The ARM side of the run is untouched by the organisation's failure.
      expect(after.resources.map((r) => r.key)).toEqual(before.resources.map((r) => r.key));
      expect(after.errors).toEqual([]);
    } finally {
      pat = "emulator-pat";
    }
    // Once the organisation answers again, it is read afresh: nothing is stale any more.
    const third = await run(service);
    expect(third.status).toBe("succeeded");
    const fresh = (await service.committed(third.runId))!;
    expect(fresh.devops!.organizations[0]!.stale).toBeUndefined();
    expect(fresh.devops!.nodes.some((n) => n.stale === true)).toBe(false);
  });

  it("a management-group read that fails leaves the run partial, recorded, and keeps the previous ancestry", async () => {
    const store = createStore(loadConfig({}), log);
    let failing = false;
    const reader = () => {
      const r = emulatorReader(arm);
      // As the reader ends a read that failed after its retries (a 500 each time).
      const failed = new ArmRequestError(
        "POST /providers/Microsoft.Management/getEntities?api-version=2020-05-01: 500 InternalServerError: boom",
        "InternalServerError",
        500,
        6,
      );
      if (failing) r.listEntities = () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(failed) }) });
      return r;
    };
    const service = createRunService(loadConfig({}), { store, log, reader, endpoint: arm.url, subscriptions: ids(), devops: source() });
    const first = await run(service);
    expect(first.status).toBe("succeeded");
    failing = true;
    const second = await run(service);
    expect(second.status).toBe("partial");
    const committed = (await service.committed(second.runId))!;
    expect(committed.errors).toEqual([
      expect.objectContaining({ subscriptionId: "*", type: MANAGEMENT_GROUP_TYPE, code: "InternalServerError", attempts: 6 }),
    ]);
    expect(committed.scope.managementGroups).toEqual((await service.committed(first.runId))!.scope.managementGroups);
    expect(Object.keys(committed.scope.managementGroups as object)).toHaveLength(2);
  });

  it("reads the identities' federated credentials from ARM (real payload shapes) and links them: the golden list's trusts", async () => {
    const withCredentials = await startArmEmulator({ estate: withSampleFederatedCredentials(estate), throttle: "off" });
    try {
      const store = createStore(loadConfig({}), log);
      const service = createRunService(loadConfig({}), {
        store,
        log,
        reader: () => emulatorReader(withCredentials),
        endpoint: withCredentials.url,
        subscriptions: ids(),
        devops: source(),
      });
      const view = await run(service);
      expect(view.status).toBe("succeeded");
      const committed = (await service.committed(view.runId))!;
      const credentials = committed.resources.filter(
        (r) => r.type === "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
      );
      expect(credentials.map((r) => r.id).sort()).toEqual(
        sampleFederatedCredentials()
          .map((r) => r.id)
          .sort(),
      );
      expect(committed.devops?.edges).toHaveLength(18);
      expect(
        committed.devops?.edges
          .filter((e) => e.relation === "trusts")
          .map((e) => [e.from.split("/").pop(), e.to.split("/").slice(-2).join("/")]),
      ).toEqual([
        ["id-workload-prod-weu", expect.stringMatching(/^serviceconnections\//)],
        ["id-agw-prod-weu", "contoso/web-app"],
      ]);
      // A run without organisations reads no credentials (one GET per identity saved).
      const plain = createRunService(loadConfig({}), {
        store: createStore(loadConfig({}), log),
        log,
        reader: () => emulatorReader(withCredentials),
        endpoint: withCredentials.url,
        subscriptions: ids(),
      });
      const plainView = await run(plain);
      expect((await plain.committed(plainView.runId))!.resources.some((r) => r.type.endsWith("federatedIdentityCredentials"))).toBe(false);
    } finally {
      await withCredentials.close();
    }
  });

  it("an organisation never read before that fails is an empty stale entry naming the failure", async () => {
    const store = createStore(loadConfig({}), log);
    try {
      pat = "revoked";
      const view = await run(serviceOn(store));
      expect(view.status).toBe("partial");
      const committed = (await serviceOn(store).committed(view.runId))!;
      expect(committed.devops?.organizations).toMatchObject([{ organization: "contoso", stale: true, errors: [{ what: "organization" }] }]);
      expect(committed.devops?.nodes).toEqual([]);
    } finally {
      pat = "emulator-pat";
    }
  });

  it("an organisation whose message the queue gave up on is reported failed, and the run still completes, carrying it forward", async () => {
    const store = createStore(loadConfig({}), log);
    const service = serviceOn(store);
    const first = await run(service);
    const started = await service.start("http");
    if (!started.started) throw new Error("expected a run");
    const devopsMessage = started.messages.find((m) => m.kind === "devops")!;
    await drain(
      service,
      started.messages.filter((m) => m.kind !== "devops"),
    );
    expect((await service.view(started.run.runId))?.status).toBe("running");
    await service.poisoned(devopsMessage);
    const view = (await service.view(started.run.runId))!;
    expect(view.status).toBe("partial");
    expect(view.devops).toMatchObject([{ status: "failed", errors: [{ code: "WorkerGaveUp" }] }]);
    const committed = (await service.committed(started.run.runId))!;
    expect(committed.devops!.organizations[0]).toMatchObject({ stale: true });
    expect(committed.devops!.edges).toEqual((await service.committed(first.runId))!.devops!.edges);
    // A late redelivery of the poisoned message finds the run final and changes nothing.
    expect(await service.handle(devopsMessage, { dequeueCount: 6 })).toEqual([]);
    expect((await service.view(started.run.runId))?.status).toBe("partial");
  });

  it("an instance without organisations that takes a run's DevOps step fails it (NotConfigured), so the run still completes", async () => {
    const store = createStore(loadConfig({}), log);
    const started = await serviceOn(store).start("http");
    if (!started.started) throw new Error("expected a run");
    // Another instance of the app, built from settings that name no organisation, delivers every message.
    const other = createRunService(loadConfig({}), {
      store,
      log,
      reader: () => emulatorReader(arm),
      endpoint: arm.url,
      subscriptions: ids(),
    });
    await drain(other, started.messages);
    const view = (await other.view(started.run.runId))!;
    expect(view.status).toBe("partial");
    expect(view.devops).toMatchObject([{ status: "failed", errors: [{ code: "NotConfigured" }] }]);
  });

  it("a tenant-wide run whose organisation reports before its plan lists the subscriptions still completes once", async () => {
    const store = createStore(loadConfig({}), log);
    const service = serviceOn(store, []);
    const view = await run(service, (messages) => [...messages].sort((a) => (a.kind === "devops" ? -1 : 1)));
    expect(view.status).toBe("succeeded");
    expect(view.progress.subscriptions.total).toBe(estate.subscriptions.length);
    const committed = (await service.committed(view.runId))!;
    expect(committed.devops?.organizations).toHaveLength(1);
    expect(committed.resources.length).toBeGreaterThan(0);
  });
});
