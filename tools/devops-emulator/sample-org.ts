// The sample Azure DevOps organisation, linked to the sample estate (tools/estates/sample): service
// connections scoped to its subscriptions, resource groups and its management group mg-platform,
// an AKS environment on its cluster,
// a VM environment on its intranet VMs, and pipelines that used them. Shapes follow the REST
// payloads of Azure DevOps 7.2 (ServiceEndpoint from Endpoints_Create's AzureRM example).
import { guidFrom, SUB_CORP, SUB_PROD, TENANT_ID } from "../estates/sample/ids.js";
import type { OrganisationInput } from "./organisation.js";

const projectId = guidFrom("devops:project:web");
const repo = (name: string) => ({ id: guidFrom(`devops:repo:${name}`), name, defaultBranch: "refs/heads/main" });
const repos = { app: repo("web-app"), infra: repo("platform-infra") };
const buildRepo = (r: { id: string; name: string }) => ({ id: r.id, name: r.name, type: "TfsGit", defaultBranch: "refs/heads/main" });
const creator = { displayName: "Platform Team", id: guidFrom("devops:user:platform"), uniqueName: "platform@contoso.example" };

const run = (id: number, definition: { id: number; name: string }, startTime: string, finishTime: string, planType = "Build") => ({
  definition: { id: definition.id, name: definition.name },
  owner: { id, name: String(id) },
  planType,
  result: "succeeded",
  id,
  startTime,
  finishTime,
});

/** The `data` of a connection scoped to a subscription. */
const subscriptionData = (subscriptionId: string, subscriptionName: string) => ({
  subscriptionId,
  subscriptionName,
  environment: "AzureCloud",
  scopeLevel: "Subscription",
  creationMode: "Manual",
});

/** The `data` of a connection scoped to a management group (scope level ManagementGroup). */
const managementGroupData = (managementGroupId: string, managementGroupName: string) => ({
  managementGroupId,
  managementGroupName,
  environment: "AzureCloud",
  scopeLevel: "ManagementGroup",
  creationMode: "Manual",
});

/** An AzureRM service connection in Endpoints_Create's shape; `scope` narrows it to a resource group. */
function armConnection(name: string, data: Record<string, string>, scheme: string, history: ReturnType<typeof run>[], scope?: string) {
  const id = guidFrom(`devops:endpoint:${name}`);
  return {
    data,
    id,
    name,
    type: "AzureRM",
    url: "https://management.azure.com/",
    createdBy: creator,
    authorization: {
      parameters: {
        tenantid: TENANT_ID,
        serviceprincipalid: guidFrom(`devops:spn:${name}`),
        ...(scheme === "ServicePrincipal" ? { authenticationType: "spnKey", serviceprincipalkey: "sample-secret-never-read" } : {}),
        ...(scheme === "WorkloadIdentityFederation"
          ? {
              workloadIdentityFederationIssuer: "https://vstoken.dev.azure.com/contoso",
              workloadIdentityFederationSubject: `sc://contoso/web/${name}`,
            }
          : {}),
        ...(scope === undefined ? {} : { scope }),
      },
      scheme,
    },
    isShared: false,
    isReady: true,
    owner: "library",
    serviceEndpointProjectReferences: [{ projectReference: { id: projectId, name: "web" }, name }],
    executionHistory: history,
  };
}

const webDeploy = { id: 1, name: "web-deploy" };
const infraDeploy = { id: 2, name: "infra-deploy" };
const legacy = { id: 3, name: "legacy-build" };
const intranet = { id: 1, name: "intranet-release" };

/** The sample organisation `contoso` with one project `web`. */
export const sampleOrganisation: OrganisationInput = {
  name: "contoso",
  projects: [
    {
      id: projectId,
      name: "web",
      description: "Web tier and platform of the sample estate",
      state: "wellFormed",
      visibility: "private",
      repositories: [repos.app, repos.infra],
      buildDefinitions: [
        { ...webDeploy, path: "\\web", process: { type: 2, yamlFilename: "/azure-pipelines.yml" }, repository: buildRepo(repos.app) },
        {
          ...infraDeploy,
          path: "\\platform",
          process: { type: 2, yamlFilename: "/pipelines/infra.yml" },
          repository: buildRepo(repos.infra),
        },
        { ...legacy, path: "\\web", process: { type: 1 }, repository: buildRepo(repos.app) },
      ],
      builds: [
        {
          id: 311,
          buildNumber: "20261203.1",
          status: "completed",
          result: "succeeded",
          definition: webDeploy,
          queueTime: "2026-12-03T10:39:30Z",
          startTime: "2026-12-03T10:39:40Z",
          finishTime: "2026-12-03T10:41:10Z",
          sourceBranch: "refs/heads/main",
          repository: { id: repos.app.id, type: "TfsGit" },
        },
        {
          id: 305,
          buildNumber: "20261202.4",
          status: "completed",
          result: "succeeded",
          definition: infraDeploy,
          queueTime: "2026-12-02T16:00:00Z",
          startTime: "2026-12-02T16:00:10Z",
          finishTime: "2026-12-02T16:12:00Z",
          sourceBranch: "refs/heads/main",
          repository: { id: repos.infra.id, type: "TfsGit" },
        },
        {
          id: 290,
          buildNumber: "20261120.1",
          status: "completed",
          result: "failed",
          definition: legacy,
          queueTime: "2026-11-20T09:00:00Z",
          startTime: "2026-11-20T09:00:05Z",
          finishTime: "2026-11-20T09:03:00Z",
          sourceBranch: "refs/heads/main",
          repository: { id: repos.app.id, type: "TfsGit" },
        },
      ],
      releaseDefinitions: [
        { ...intranet, path: "\\", revision: 3, releaseNameFormat: "Release-$(rev:r)", environments: [{ id: 1, name: "corp", rank: 1 }] },
      ],
      deployments: [
        {
          id: 41,
          releaseDefinition: intranet,
          releaseEnvironment: { id: 7, name: "corp" },
          definitionEnvironmentId: 1,
          deploymentStatus: "succeeded",
          operationStatus: "Approved",
          attempt: 1,
          queuedOn: "2026-12-02T08:00:00Z",
          startedOn: "2026-12-02T08:00:30Z",
          completedOn: "2026-12-02T08:05:00Z",
          projectReference: { id: projectId, name: "web" },
        },
      ],
      environments: [
        {
          id: 1,
          name: "aks-prod",
          description: "AKS production cluster, namespace web",
          createdBy: creator,
          createdOn: "2026-06-01T00:00:00Z",
          resources: [
            {
              id: 1,
              name: "web",
              type: "kubernetes",
              clusterName: "aks-prod-weu",
              namespace: "web",
              serviceEndpointId: guidFrom("devops:endpoint:sc-aks-prod"),
            },
          ],
          deploymentRecords: [
            {
              id: 501,
              environmentId: 1,
              resourceId: 1,
              definition: { id: 2, name: "infra-deploy" },
              owner: { id: 305, name: "20261202.4" },
              planType: "Build",
              stageName: "deploy",
              jobName: "deploy_web",
              result: "succeeded",
              queueTime: "2026-12-02T16:05:00Z",
              startTime: "2026-12-02T16:05:10Z",
              finishTime: "2026-12-02T16:10:00Z",
            },
          ],
        },
        {
          id: 2,
          name: "corp-vms",
          createdBy: creator,
          createdOn: "2026-06-01T00:00:00Z",
          resources: [
            {
              id: 2,
              name: "vm-intranet-01",
              type: "virtualMachine",
              tags: ["intranet"],
              agent: { id: 11, name: "vm-intranet-01", osDescription: "Linux 5.15", status: "online" },
            },
            {
              id: 3,
              name: "vm-intranet-02",
              type: "virtualMachine",
              tags: ["intranet"],
              agent: { id: 12, name: "vm-intranet-02", osDescription: "Linux 5.15", status: "online" },
            },
          ],
          deploymentRecords: [],
        },
      ],
    },
  ],
  serviceEndpoints: [
    armConnection(
      "sc-web-prod",
      subscriptionData(SUB_PROD, "contoso-prod"),
      "WorkloadIdentityFederation",
      [run(311, webDeploy, "2026-12-03T10:40:00Z", "2026-12-03T10:41:00Z")],
      `/subscriptions/${SUB_PROD}/resourcegroups/rg-web-prod`,
    ),
    armConnection(
      "sc-aks-prod",
      subscriptionData(SUB_PROD, "contoso-prod"),
      "WorkloadIdentityFederation",
      [run(305, infraDeploy, "2026-12-02T16:05:00Z", "2026-12-02T16:10:00Z")],
      `/subscriptions/${SUB_PROD}/resourcegroups/rg-aks-prod`,
    ),
    armConnection("sc-platform", subscriptionData(SUB_PROD, "contoso-prod"), "ServicePrincipal", [
      run(305, infraDeploy, "2026-12-02T16:00:30Z", "2026-12-02T16:04:00Z"),
    ]),
    armConnection("sc-corp", subscriptionData(SUB_CORP, "contoso-corp"), "ServicePrincipal", [
      run(41, intranet, "2026-12-02T08:01:00Z", "2026-12-02T08:04:00Z", "Release"),
    ]),
    // Reaches both subscriptions through the management group above them (tools/estates/build-sample.ts); never used in the window.
    armConnection("sc-landing-zone", managementGroupData("mg-platform", "Platform"), "WorkloadIdentityFederation", []),
  ],
};

/** The moment the sample organisation's times are written relative to: its last run ended 20 minutes before. */
export const SAMPLE_ORG_AS_OF = "2026-12-03T11:00:00Z";

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * The sample organisation with every time moved by whole minutes so that {@link SAMPLE_ORG_AS_OF}
 * falls on `nowMs`: its runs stay inside a 7-day window whenever the demo runs (the golden tests
 * use {@link sampleOrganisation} as written).
 */
export function sampleOrganisationAt(nowMs: number): OrganisationInput {
  const shiftMs = Math.round((nowMs - Date.parse(SAMPLE_ORG_AS_OF)) / 60_000) * 60_000;
  const move = (value: unknown): unknown => {
    if (typeof value === "string") return isoTime.test(value) ? new Date(Date.parse(value) + shiftMs).toISOString() : value;
    if (Array.isArray(value)) return value.map(move);
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, move(v)]));
    return value;
  };
  return move(sampleOrganisation) as OrganisationInput;
}
