// The explorer's words about Azure DevOps, over fixture answers shaped as docs/api.md's examples.
import { describe, expect, it } from "vitest";

import { changeRunsText, changeSourcesText, recentRunText, utcMinute } from "../../web/explorer/devops-text.js";
import type { ChangeSources, DevOpsRef } from "../../web/explorer/types.js";

const SUB = "/subscriptions/6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c";
const scWeb: DevOpsRef = {
  key: "devops://contoso/serviceconnections/a",
  kind: "serviceConnection",
  name: "sc-web-prod",
  organization: "contoso",
  type: "AzureRM",
  azureScope: `${SUB}/resourcegroups/rg-web-prod`,
  authorizationScheme: "WorkloadIdentityFederation",
};
const scPlatform: DevOpsRef = {
  key: "devops://contoso/serviceconnections/b",
  kind: "serviceConnection",
  name: "sc-platform",
  organization: "contoso",
  type: "AzureRM",
  azureScope: SUB,
  authorizationScheme: "ServicePrincipal",
};
const pipeline = (id: number, name: string, yamlPath?: string): DevOpsRef => ({
  key: `devops://contoso/p/pipelines/${id}`,
  kind: "pipeline",
  name,
  organization: "contoso",
  pipelineKind: yamlPath === undefined ? "classic" : "yaml",
  ...(yamlPath === undefined ? {} : { yamlPath }),
});

const sample: ChangeSources = {
  paths: [
    {
      via: scWeb,
      level: "resourceGroup",
      scope: `${SUB}/resourcegroups/rg-web-prod`,
      pipelines: [pipeline(1, "web-deploy", "/azure-pipelines.yml")],
      pipelinesTotal: 1,
    },
    {
      via: scPlatform,
      level: "subscription",
      scope: SUB,
      pipelines: [pipeline(2, "infra-deploy", "/pipelines/infra.yml")],
      pipelinesTotal: 1,
    },
  ],
  recentRuns: [
    {
      key: "devops://contoso/p/pipelines/1/runs/311",
      kind: "build",
      id: 311,
      pipelineKey: "devops://contoso/p/pipelines/1",
      pipelineName: "web-deploy",
      name: "20261203.1",
      result: "succeeded",
      startTime: "2026-12-03T10:39:40Z",
      finishTime: "2026-12-03T10:41:10Z",
      via: [scWeb],
    },
    {
      key: "devops://contoso/p/pipelines/2/runs/305",
      kind: "build",
      id: 305,
      pipelineKey: "devops://contoso/p/pipelines/2",
      pipelineName: "infra-deploy",
      name: "20261202.4",
      result: "succeeded",
      startTime: "2026-12-02T16:00:10Z",
      via: [scPlatform],
    },
  ],
  totals: { paths: 2, recentRuns: 2 },
  truncated: false,
  windowStart: "2026-11-30T11:00:00.000Z",
};

describe("the explorer's Azure DevOps text", () => {
  it("says each path with the level and scope it reaches and its pipelines, then the recent runs, newest first", () => {
    const t = changeSourcesText(sample);
    expect(t.summary).toBe("2 paths, 2 recent runs");
    expect(t.paths).toEqual([
      {
        name: "service connection sc-web-prod",
        details: "AzureRM, workload identity federation",
        reach: "reaches its resource group",
        scope: `${SUB}/resourcegroups/rg-web-prod`,
        pipelines: ["web-deploy (YAML /azure-pipelines.yml)"],
        pipelinesTitle: "Pipelines that used it (1)",
      },
      {
        name: "service connection sc-platform",
        details: "AzureRM, service principal secret",
        reach: "reaches its subscription",
        scope: SUB,
        pipelines: ["infra-deploy (YAML /pipelines/infra.yml)"],
        pipelinesTitle: "Pipelines that used it (1)",
      },
    ]);
    expect(t.runsTitle).toBe("Recent runs (2), newest first");
    expect(t.runs).toEqual([
      "web-deploy run 311 (20261203.1), succeeded, started 2026-12-03 10:39 UTC, through sc-web-prod",
      "infra-deploy run 305 (20261202.4), succeeded, started 2026-12-02 16:00 UTC, through sc-platform",
    ]);
    expect(t.lastRunNote).toBe("the run that last deployed through them");
    expect(t.window).toBe("Runs since 2026-11-30 11:00 UTC");
    expect([t.morePaths, t.moreRuns]).toEqual([undefined, undefined]);
  });

  it("says how many more there are when the API cut a list, from the exact totals", () => {
    const cut: ChangeSources = {
      ...sample,
      paths: [{ ...sample.paths[0]!, pipelinesTotal: 21 }],
      recentRuns: sample.recentRuns.slice(0, 1),
      totals: { paths: 51, recentRuns: 2 },
      truncated: true,
    };
    const t = changeSourcesText(cut);
    expect(t.summary).toBe("51 paths, 2 recent runs");
    expect(t.morePaths).toBe("50 more paths not listed");
    expect(t.paths[0]!.more).toBe("20 more pipelines not listed");
    expect(t.paths[0]!.pipelinesTitle).toBe("Pipelines that used it (21)");
    expect(t.moreRuns).toBe("1 more run not listed");
  });

  it("names environments, resource-level reach, releases and runs without optional fields", () => {
    const env: DevOpsRef = { key: "devops://contoso/p/environments/1", kind: "environment", name: "aks-prod", organization: "contoso" };
    const t = changeSourcesText({
      paths: [
        {
          via: env,
          level: "resource",
          scope: "/subscriptions/x/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks",
          pipelines: [],
          pipelinesTotal: 0,
        },
      ],
      recentRuns: [],
      totals: { paths: 1, recentRuns: 0 },
      truncated: false,
    });
    expect(t.paths[0]).toMatchObject({
      name: "environment aks-prod",
      details: "",
      reach: "reaches the resource itself",
      pipelines: [],
      pipelinesTitle: "Pipelines that used it (0)",
    });
    expect([t.summary, t.runs, t.lastRunNote, t.window]).toEqual(["1 path, 0 recent runs", [], undefined, undefined]);
    expect(recentRunText({ key: "k", kind: "release", id: 41, pipelineKey: "devops://contoso/p/releases/1", via: [] })).toBe(
      "devops://contoso/p/releases/1 release 41",
    );
    expect(utcMinute("not a time")).toBe("not a time");
  });

  it("gives a changed resource's run lines as the API wrote them, and the rest as a count", () => {
    const run = {
      pipeline: "web-deploy",
      runId: 311,
      via: "sc-web-prod",
      at: "2026-12-03T10:40:00.000Z",
      text: "pipeline web-deploy run 311 used sc-web-prod at 10:40",
    };
    expect(changeRunsText({ key: "k", devopsRuns: [run], devopsRunsTotal: 1 })).toEqual({
      runs: ["pipeline web-deploy run 311 used sc-web-prod at 10:40"],
    });
    expect(changeRunsText({ key: "k", devopsRuns: Array.from({ length: 10 }, () => run), devopsRunsTotal: 12 }).more).toBe(
      "2 more runs not listed",
    );
    expect(changeRunsText({ key: "k" })).toEqual({ runs: [] });
  });
});
