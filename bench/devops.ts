/**
 * `npm run bench -- devops [--quick]`: Azure DevOps discovery with the real azure-devops-node-api
 * client against the DevOps emulator (50 ms latency, 200 requests a minute per organisation, the
 * client's limit at the same 200) on a generated organisation of 50 projects, 2,000 pipelines and
 * 10,000 runs in the window (`--quick`: a tenth). Reports wall time against the lower bound the
 * limit allows (requests / 200 a minute, or the latency floor if higher), `ratio`, and
 * requests per object read.
 */
import { connectDevOps, createDevOpsCalls, discoverDevOps } from "../lib/devops/index.js";
import { type OrganisationInput, parseOrganisation } from "../tools/devops-emulator/organisation.js";
import { startDevOpsEmulator } from "../tools/devops-emulator/server.js";
import { printResult } from "./_result.js";

const LATENCY_MS = 50;
const PER_MINUTE = 200;

function organisation(projects: number, pipelinesPerProject: number, runsPerProject: number, now: number): OrganisationInput {
  const iso = (ms: number) => new Date(ms).toISOString();
  const guid = (n: number, kind: number) => `${kind.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
  const endpoints = [];
  const list = [];
  for (let p = 0; p < projects; p++) {
    const projectId = guid(p, 1);
    const repoId = guid(p, 2);
    const connectionId = guid(p, 3);
    const pipelines = Array.from({ length: pipelinesPerProject }, (_, i) => ({
      id: i + 1,
      name: `pipeline-${i + 1}`,
      path: "\\",
      process: { type: 2, yamlFilename: `/pipelines/p${i + 1}.yml` },
      repository: { id: repoId, name: "app", type: "TfsGit" },
    }));
    const builds = Array.from({ length: runsPerProject }, (_, i) => ({
      id: i + 1,
      buildNumber: `b${i + 1}`,
      status: "completed",
      result: "succeeded",
      definition: { id: (i % pipelinesPerProject) + 1, name: `pipeline-${(i % pipelinesPerProject) + 1}` },
      queueTime: iso(now - (i + 1) * 60_000),
      startTime: iso(now - (i + 1) * 60_000 + 5_000),
      finishTime: iso(now - (i + 1) * 60_000 + 50_000),
    }));
    list.push({
      id: projectId,
      name: `project-${p}`,
      repositories: [{ id: repoId, name: "app" }],
      buildDefinitions: pipelines,
      builds,
      environments: [
        {
          id: 1,
          name: "prod",
          resources: [
            { id: 1, name: "web", type: "kubernetes" as const, clusterName: `aks-${p}`, namespace: "web", serviceEndpointId: connectionId },
          ],
          deploymentRecords: [],
        },
      ],
    });
    endpoints.push({
      id: connectionId,
      name: `sc-${p}`,
      type: "AzureRM",
      data: { subscriptionId: guid(p, 4), scopeLevel: "Subscription" },
      authorization: { scheme: "WorkloadIdentityFederation", parameters: { tenantid: guid(0, 5) } },
      serviceEndpointProjectReferences: [{ projectReference: { id: projectId, name: `project-${p}` } }],
      executionHistory: builds.slice(0, 20).map((b) => ({
        id: b.id,
        definition: b.definition,
        owner: { id: b.id, name: b.buildNumber },
        planType: "Build",
        result: "succeeded",
        startTime: b.startTime,
        finishTime: b.finishTime,
      })),
    });
  }
  return { name: "bench", projects: list, serviceEndpoints: endpoints };
}

export default async function devopsBench(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const projects = quick ? 5 : 50;
  const now = Date.now();
  const org = parseOrganisation(organisation(projects, 40, 200, now));
  const em = await startDevOpsEmulator({ org, latencyMs: LATENCY_MS, limit: { perMinute: PER_MINUTE } });
  try {
    const api = await connectDevOps({ orgUrl: em.orgUrl, auth: { kind: "pat", pat: "emulator-pat" }, caFile: em.caCertPath });
    const calls = createDevOpsCalls({ organization: "bench", requestsPerMinute: PER_MINUTE });
    const started = performance.now();
    const snapshot = await discoverDevOps({ orgUrl: em.orgUrl, api, calls, windowHours: 24 * 30 });
    const wallMs = performance.now() - started;
    const log = em.requestLog();
    const requests = log.total;
    // The limit allows PER_MINUTE requests a minute: at best the requests take that long, or the
    // latency of sending them one after another, whichever is longer.
    const lowerBoundMs = Math.max((requests * 60_000) / PER_MINUTE, requests * LATENCY_MS);
    const objects = snapshot.projects.reduce(
      (n, p) => n + 1 + p.repositories.length + p.pipelines.length + p.environments.length + p.runs.length + p.connectionUses.length,
      snapshot.serviceConnections.length,
    );
    const pipelines = snapshot.projects.reduce((n, p) => n + p.pipelines.length, 0);
    const runs = snapshot.projects.reduce((n, p) => n + p.runs.length, 0);
    process.stdout.write(
      `${snapshot.projects.length} projects, ${pipelines} pipelines, ${runs} runs, ${snapshot.serviceConnections.length} connections; ` +
        `${requests} requests (${log.throttled} answered 429), ${snapshot.errors.length} errors; wall ${(wallMs / 1000).toFixed(1)} s, lower bound ${(lowerBoundMs / 1000).toFixed(1)} s\n`,
    );
    printResult("devops", {
      projects: snapshot.projects.length,
      pipelines,
      runs,
      requests,
      throttled: log.throttled,
      errors: snapshot.errors.length,
      wallS: wallMs / 1000,
      lowerBoundS: lowerBoundMs / 1000,
      ratio: wallMs / lowerBoundMs,
      requestsPerObject: requests / objects,
    });
  } finally {
    await em.close();
  }
}
