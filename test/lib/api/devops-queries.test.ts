// Issue 19: resource detail's changeSources and GET /changes' run annotations, over two real
// discovery runs (the ARM emulator with the sample estate and its federated credentials, the Azure
// DevOps emulator with the sample organisation, the real azure-devops-node-api client) committed
// by the run service to the store, and answered by the route table.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createRoutes } from "../../../lib/api/routes.js";
import { emulatorReader } from "../../../lib/azure/readers.js";
import { createStore } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import { connectDevOps } from "../../../lib/devops/auth.js";
import { createRunService } from "../../../lib/runs/compose.js";
import type { RunMessage } from "../../../lib/runs/records.js";
import type { RunService } from "../../../lib/runs/run-service.js";
import type { TopologyExport } from "../../../lib/topology/export-format.js";
import { parseSubscriptionId } from "../../../lib/topology/subscription-id.js";
import { type ArmEmulator, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { type DevOpsEmulator, startDevOpsEmulator } from "../../../tools/devops-emulator/server.js";
import { withSampleFederatedCredentials } from "../../../tools/estates/sample/federated.js";
import { loadEstateFile } from "../../../tools/estates/schema.js";
import { sampleEstatePath } from "../../../tools/paths.js";
import { beforeRun311, deployed, goldenLinks, line, SAMPLE_WEB_APP_KEY as WEB, sampleOrg } from "../../support/devops.js";
import { call, quietLog } from "./fixtures.js";

describe("who can change a resource, and what deployed just before it changed (over two runs)", () => {
  let arm: ArmEmulator;
  let devops: DevOpsEmulator;
  let routes: ReturnType<typeof createRoutes>;
  let first: TopologyExport;
  let second: TopologyExport;
  // The runs' clock: run A at 10:30, run B at 11:00; web-deploy's run 311 used sc-web-prod at 10:40.
  let t = Date.parse("2026-12-03T10:30:00Z");

  beforeAll(async () => {
    const estate = withSampleFederatedCredentials(await loadEstateFile(sampleEstatePath()));
    arm = await startArmEmulator({ estate, throttle: "off" });
    devops = await startDevOpsEmulator({ org: beforeRun311(), limit: "off" });
    const store = createStore(loadConfig({}), quietLog);
    const service = createRunService(loadConfig({}), {
      store,
      log: quietLog,
      reader: () => emulatorReader(arm),
      endpoint: arm.url,
      subscriptions: estate.subscriptions.map((s) => parseSubscriptionId(s.subscriptionId)),
      now: () => t,
      devops: {
        organizations: [devops.orgUrl],
        connect: (orgUrl) => connectDevOps({ orgUrl, auth: { kind: "pat", pat: "emulator-pat" }, caFile: devops.caCertPath }),
        requestsPerMinute: 100_000,
        windowHours: 72,
      },
    });
    first = await runOnce(service);
    // Between the runs web-deploy run 311 deploys the web app through sc-web-prod.
    arm.setEstate(deployed(estate));
    devops.setOrganisation(sampleOrg());
    t = Date.parse("2026-12-03T11:00:00Z");
    second = await runOnce(service);
    routes = createRoutes(() => ({ store, scope: () => service.scope }));
  });
  afterAll(async () => {
    await arm?.close();
    await devops?.close();
  });

  async function runOnce(service: RunService): Promise<TopologyExport> {
    const started = await service.start("http");
    if (!started.started) throw new Error("expected a run");
    const queue: RunMessage[] = [...started.messages];
    while (queue.length > 0) queue.push(...(await service.handle(queue.shift()!, { dequeueCount: 1 })));
    const view = await service.view(started.run.runId);
    if (view?.status !== "succeeded") throw new Error(`run ended ${view?.status}: ${JSON.stringify(view?.errors)}`);
    return (await service.committed(started.run.runId))!;
  }

  it("the committed runs carry the golden link list", () => {
    const names = new Map(second.devops!.nodes.map((n) => [n.key, `${n.kind}:${n.name}`]));
    expect(second.devops!.edges.map((e) => line(e, names)).sort()).toEqual(goldenLinks);
    // Before run 311 nothing had used sc-web-prod: web-deploy's use of it is what the second run learnt.
    const firstNames = new Map(first.devops!.nodes.map((n) => [n.key, `${n.kind}:${n.name}`]));
    expect(goldenLinks.filter((l) => !first.devops!.edges.map((e) => line(e, firstNames)).includes(l))).toEqual([
      "pipeline:web-deploy -uses-> serviceConnection:sc-web-prod",
    ]);
  });

  it("GET /changes annotates the changed web app with the run that touched its scope in the window", async () => {
    const r = await call(routes, "changes", { since: first.runId });
    expect(r.status).toBe(200);
    const body = r.json() as {
      resources: {
        changed: {
          key: string;
          paths: string[];
          devopsRuns: { text: string; pipeline: string; runId: number; via: string; at: string }[];
          devopsRunsTotal: number;
        }[];
      };
      devopsWindow: { from: string; to: string };
    };
    expect(body.devopsWindow).toEqual({ from: "2026-12-03T10:30:00.000Z", to: "2026-12-03T11:00:00.000Z" });
    expect(body.resources.changed.map((c) => [c.key, c.paths])).toEqual([[WEB, ["tags.release"]]]);
    const [web] = body.resources.changed;
    expect(web!.devopsRuns).toEqual([
      {
        pipeline: "web-deploy",
        runId: 311,
        via: "sc-web-prod",
        at: "2026-12-03T10:40:00.000Z",
        text: "pipeline web-deploy run 311 used sc-web-prod at 10:40",
      },
    ]);
    expect(web!.devopsRunsTotal).toBe(1);
  });

  it("GET /resources/detail names the pipelines that can deploy to the web app and the run that last did", async () => {
    const r = await call(routes, "resourceDetail", { id: WEB });
    expect(r.status).toBe(200);
    const { changeSources } = r.json() as {
      changeSources: {
        paths: {
          via: { name: string; kind: string };
          level: string;
          scope: string;
          pipelines: { name: string; pipelineKind: string; yamlPath?: string }[];
          pipelinesTotal: number;
        }[];
        recentRuns: { pipelineName: string; id: number; via: { name: string }[]; startTime: string }[];
        totals: { paths: number; recentRuns: number };
        truncated: boolean;
        windowStart: string;
      };
    };
    expect(changeSources.paths.map((p) => [p.via.kind, p.via.name, p.level, p.pipelines.map((x) => x.name), p.pipelinesTotal])).toEqual([
      ["serviceConnection", "sc-web-prod", "resourceGroup", ["web-deploy"], 1],
      ["serviceConnection", "sc-platform", "subscription", ["infra-deploy"], 1],
      // The run read the sample estate's management groups: mg-platform holds the web app's subscription.
      ["serviceConnection", "sc-landing-zone", "managementGroup", [], 0],
    ]);
    expect(changeSources.paths[2]!.scope).toBe("/providers/microsoft.management/managementgroups/mg-platform");
    expect(changeSources.paths[0]!.pipelines[0]).toMatchObject({ pipelineKind: "yaml", yamlPath: "/azure-pipelines.yml" });
    expect(changeSources.recentRuns.map((x) => [x.pipelineName, x.id, x.via.map((v) => v.name)])).toEqual([
      ["web-deploy", 311, ["sc-web-prod"]],
      ["infra-deploy", 305, ["sc-platform"]],
    ]);
    expect(changeSources.totals).toEqual({ paths: 3, recentRuns: 2 });
    expect(changeSources.truncated).toBe(false);
    expect(changeSources.windowStart).toBe("2026-11-30T11:00:00.000Z");
  });

  it("a snapshot without a devops section answers as before: no changeSources, no devopsRuns", async () => {
    const store = createStore(loadConfig({}), quietLog);
    const { devops: _, ...v1 } = second;
    await store.snapshots.write("tenant", { ...v1, version: 1 });
    const plain = createRoutes(() => ({ store, scope: () => "tenant" }));
    const detail = (await call(plain, "resourceDetail", { id: WEB })).json() as Record<string, unknown>;
    expect("changeSources" in detail).toBe(false);
    const changes = (await call(plain, "changes", { since: second.runId })).json() as Record<string, unknown>;
    expect("devopsWindow" in changes).toBe(false);
  });
});
