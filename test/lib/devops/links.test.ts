import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { newCallStats } from "../../../lib/azure/arm-reader.js";
import { assembleExport } from "../../../lib/azure/discover.js";
import { annotateChanges, changersOf, changersOptionsOf, managementGroupsOf, scopeChain } from "../../../lib/devops/changers.js";
import { connectDevOps, createDevOpsCalls, type DevOpsSnapshot, discoverDevOps } from "../../../lib/devops/index.js";
import { devopsSection, parseFederatedSubject } from "../../../lib/devops/links.js";
import { exportSchema, type TopologyExport } from "../../../lib/topology/export-format.js";
import { type DevOpsEmulator, startDevOpsEmulator } from "../../../tools/devops-emulator/server.js";
import { exportFromPayloads } from "../../../tools/estates/offline-export.js";
import { sampleFederatedCredentials } from "../../../tools/estates/sample/federated.js";
import { type ArmResource, loadEstateFile } from "../../../tools/estates/schema.js";
import { goldenLinks, line, sampleOrg } from "../../support/devops.js";

const here = dirname(fileURLToPath(import.meta.url));
const federated = JSON.parse(readFileSync(join(here, "../../fixtures/devops/federated-credentials.json"), "utf8")) as ArmResource[];
const NOW = Date.parse("2026-12-03T11:00:00Z");

let em: DevOpsEmulator;
let snapshot: DevOpsSnapshot;
let estate: TopologyExport;

beforeAll(async () => {
  em = await startDevOpsEmulator({ org: sampleOrg() });
  const api = await connectDevOps({ orgUrl: em.orgUrl, auth: { kind: "pat", pat: "emulator-pat" }, caFile: em.caCertPath });
  snapshot = await discoverDevOps({
    orgUrl: em.orgUrl,
    api,
    calls: createDevOpsCalls({ organization: "contoso" }),
    windowHours: 72,
    now: () => NOW,
  });
  const sample = await loadEstateFile(join(here, "../../../tools/estates/sample.json"));
  const [prod, ...rest] = sample.subscriptions;
  estate = exportFromPayloads(
    { ...sample, subscriptions: [{ ...prod!, resources: [...prod!.resources, ...federated] }, ...rest] },
    { runId: "devops-links", startedAt: "2026-12-03T11:00:00.000Z", finishedAt: "2026-12-03T11:00:01.000Z" },
  );
});
afterAll(async () => {
  await em?.close();
});

describe("DevOps links on the sample organisation and estate", () => {
  it("are exactly the golden list (* marks change sources)", () => {
    const section = devopsSection([snapshot], estate.resources);
    const names = new Map(section.nodes.map((n) => [n.key, `${n.kind}:${n.name}`]));
    expect(section.edges.map((e) => line(e, names)).sort()).toEqual(goldenLinks);
    expect(section.nodes.map((n) => n.kind).sort()).toEqual([
      "environment",
      "environment",
      "pipeline",
      "pipeline",
      "pipeline",
      "pipeline",
      "project",
      "repository",
      "repository",
      "repository",
      "serviceConnection",
      "serviceConnection",
      "serviceConnection",
      "serviceConnection",
      "serviceConnection",
    ]);
  });

  it("joins each run with the connections and environments it used", () => {
    const { runs } = devopsSection([snapshot], estate.resources);
    const summary = runs.map((r) => [
      String(r.pipelineKey).split("/").slice(-2).join("/"),
      r.id,
      (r.connectionKeys as string[]).length,
      (r.environmentKeys as string[]).length,
    ]);
    expect(summary).toEqual([
      ["pipelines/1", 311, 1, 0],
      ["pipelines/2", 305, 2, 1],
      ["releases/1", 41, 1, 0],
    ]);
  });

  it("the sample estate's federated-credential builder gives exactly the fixture's ARM payloads", () => {
    expect(sampleFederatedCredentials()).toEqual(federated);
  });

  it("reads federated-credential subjects of both kinds and ignores others", () => {
    expect(parseFederatedSubject("sc://contoso/web/sc-aks-prod")).toEqual({
      kind: "connection",
      org: "contoso",
      project: "web",
      name: "sc-aks-prod",
    });
    expect(parseFederatedSubject("repo:contoso/web-app:environment:prod")).toEqual({ kind: "github", repository: "contoso/web-app" });
    expect(parseFederatedSubject("system:serviceaccount:web:web-app")).toBeUndefined();
  });

  it("fit export version 2, additive: version 1 exports still read, a v2 export round-trips", () => {
    const v1 = exportSchema.parse(estate);
    expect(v1.version).toBe(1);
    const v2 = exportSchema.parse(
      JSON.parse(JSON.stringify({ ...estate, version: 2, devops: devopsSection([snapshot], estate.resources) })),
    );
    expect(v2.devops?.edges.length).toBe(18);
    expect(v2.edges).toEqual(estate.edges);
  });

  it("are merged where the run's export is assembled: version 2 only when DevOps was read", () => {
    const parts = { runId: "r", startedAt: 0, finishedAt: 1, subscriptions: [], listErrors: [], listStats: newCallStats(), results: [] };
    const without = assembleExport(parts);
    expect(without.version).toBe(1);
    expect("devops" in without).toBe(false);
    const withDevOps = assembleExport({ ...parts, devops: [snapshot] });
    expect(withDevOps.version).toBe(2);
    expect(withDevOps.devops?.organizations.map((o) => o.organization)).toEqual(["contoso"]);
    expect(exportSchema.safeParse(withDevOps).success).toBe(true);
  });
});

describe("who can change a resource, and who just did", () => {
  const web =
    "/subscriptions/6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c/resourcegroups/rg-web-prod/providers/microsoft.web/sites/app-web-prod-weu";

  it("walks the scope chain resource -> group -> subscription -> management group", () => {
    expect(scopeChain(web, { managementGroupsOf: () => ["mg-contoso"] }).map((c) => c.level)).toEqual([
      "resource",
      "resourceGroup",
      "subscription",
      "managementGroup",
    ]);
  });

  it("takes the management groups from an export's scope.managementGroups, nearest first", () => {
    const sub = "6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c";
    const options = changersOptionsOf({
      scope: { subscriptions: [sub], managementGroups: { [sub.toUpperCase()]: ["mg-platform", "root"], other: "not a list" } },
    });
    expect(
      scopeChain(web, options)
        .slice(3)
        .map((c) => c.key),
    ).toEqual(["/providers/microsoft.management/managementgroups/mg-platform", "/providers/microsoft.management/managementgroups/root"]);
    expect(managementGroupsOf({ scope: { managementGroups: { s: ["a"], t: [1] } } })).toEqual({ s: ["a"] });
    // No ancestry in the export: the chain stops at the subscription.
    expect(scopeChain(web, changersOptionsOf({ scope: { subscriptions: [sub] } })).map((c) => c.level)).toEqual([
      "resource",
      "resourceGroup",
      "subscription",
    ]);
    // The sample's sc-landing-zone reaches the web app only through mg-platform.
    const section = devopsSection([snapshot], estate.resources);
    expect(changersOf(section, web).paths.map((p) => p.via.name)).not.toContain("sc-landing-zone");
    expect(
      changersOf(section, web, options)
        .paths.map((p) => [p.via.name, p.level])
        .at(-1),
    ).toEqual(["sc-landing-zone", "managementGroup"]);
    const [annotation] = annotateChanges(section, [web], { from: "2026-12-02T00:00:00Z", to: "2026-12-03T11:00:00Z" }, options);
    expect(annotation?.runs).toHaveLength(2);
  });

  it("names the connections and pipelines that can deploy to a web app, and the runs that used them", () => {
    const section = devopsSection([snapshot], estate.resources);
    const { paths, recentRuns } = changersOf(section, web);
    expect(paths.map((p) => [p.via.name, p.level, p.pipelines.map((x) => x.name)])).toEqual([
      ["sc-web-prod", "resourceGroup", ["web-deploy"]],
      ["sc-platform", "subscription", ["infra-deploy"]],
    ]);
    expect(recentRuns.map((r) => [r.pipelineName, r.id])).toEqual([
      ["web-deploy", 311],
      ["infra-deploy", 305],
    ]);
  });

  it("reaches an AKS cluster through its environment and its group's connection", () => {
    const section = devopsSection([snapshot], estate.resources);
    const aks =
      "/subscriptions/6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c/resourcegroups/rg-aks-prod/providers/microsoft.containerservice/managedclusters/aks-prod-weu";
    expect(changersOf(section, aks).paths.map((p) => [p.via.name, p.level])).toEqual([
      ["aks-prod", "resource"],
      ["sc-aks-prod", "resourceGroup"],
      ["sc-platform", "subscription"],
    ]);
  });

  it("annotates a change between two runs with the runs that touched its scope in between", () => {
    const section = devopsSection([snapshot], estate.resources);
    // Run A finished 10:30, run B at 11:00: the web app changed in between.
    const [annotation] = annotateChanges(section, [web], { from: "2026-12-03T10:30:00Z", to: "2026-12-03T11:00:00Z" });
    expect(annotation?.runs.map((r) => r.text)).toEqual(["pipeline web-deploy run 311 used sc-web-prod at 10:40"]);
    // A wider window also finds yesterday's infra run through the subscription-wide connection.
    const [wide] = annotateChanges(section, [web], { from: "2026-12-02T00:00:00Z", to: "2026-12-03T11:00:00Z" });
    expect(wide?.runs.map((r) => r.text)).toEqual([
      "pipeline web-deploy run 311 used sc-web-prod at 10:40",
      "pipeline infra-deploy run 305 used sc-platform at 16:00",
    ]);
  });
});
