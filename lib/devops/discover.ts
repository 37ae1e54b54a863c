import type { WebApi } from "azure-devops-node-api";

import type { Logger } from "../log/index.js";
import { describeError, type Now } from "../resilience/index.js";
import { sanitiseText } from "../security/index.js";
import type { DevOpsCalls } from "./calls.js";
import { lists } from "./lists.js";
import {
  type DevOpsConnectionUse,
  type DevOpsEnvironment,
  type DevOpsEnvironmentResource,
  type DevOpsError,
  devopsKey,
  type DevOpsPipeline,
  type DevOpsProject,
  type DevOpsRepository,
  type DevOpsRun,
  type DevOpsServiceConnection,
  type DevOpsSnapshot,
  organizationOf,
} from "./model.js";
import { serviceConnectionOf } from "./redact.js";

/** Options of {@link discoverDevOps}. */
export interface DiscoverDevOpsOptions {
  /** The organisation URL (`https://dev.azure.com/{org}`). */
  orgUrl: string;
  /** A connected client ({@link connectDevOps}). */
  api: WebApi;
  /** The call composition ({@link createDevOpsCalls}): rate limit, retry, breaker, counters. */
  calls: DevOpsCalls;
  /** Runs, deployments and connection uses older than this are not read. @default 168 (7 days) */
  windowHours?: number;
  /** The previous snapshot: a project (or the connections) that cannot be read is carried forward from it, marked stale. */
  previous?: DevOpsSnapshot;
  now?: Now;
  log?: Logger;
  signal?: AbortSignal;
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const inWindow = (time: unknown, start: number): boolean => typeof time === "string" && Date.parse(time) >= start;

/**
 * A failed read as the snapshot records it: its code and a message with any secret in it replaced
 * (lib/security), as every run error is.
 */
export function devopsError(organization: string, what: string, error: unknown, project?: string): DevOpsError {
  const d = describeError(error);
  return { organization, ...(project !== undefined && { project }), what, code: d.code, message: sanitiseText(d.message) };
}

/**
 * Reads one Azure DevOps organisation with the real client: projects, Git repositories, build
 * definitions (YAML and classic, with repository and YAML path), release definitions and stages,
 * environments and their resources, service connections (never secrets), and, inside the window,
 * builds, release deployments, environment deployment records and each connection's execution
 * history. A project that fails is carried forward from `previous`, marked stale, never dropped.
 */
export async function discoverDevOps(options: DiscoverDevOpsOptions): Promise<DevOpsSnapshot> {
  const { api, calls, signal } = options;
  const now = options.now ?? Date.now;
  const org = organizationOf(options.orgUrl);
  const windowStartMs = now() - (options.windowHours ?? 168) * 3_600_000;
  const windowStart = new Date(windowStartMs).toISOString();
  const errors: DevOpsError[] = [];
  const fail = (what: string, e: unknown, project?: string): void => {
    const error = devopsError(org, what, e, project);
    errors.push(error);
    options.log?.warn("devops: read failed", { organization: org, project, what, code: error.code });
  };

  // The first client of a connection sends OPTIONS _apis/Location and GET _apis/resourceAreas
  // (two requests, two tokens); the client caches the areas, so the other clients send nothing.
  // One at a time: clients created in parallel would each fetch the areas.
  const core = await calls.run(() => api.getCoreApi(), signal, 2);
  const [build, git, release, agent, endpoints] = await Promise.all([
    api.getBuildApi(),
    api.getGitApi(),
    api.getReleaseApi(),
    api.getTaskAgentApi(),
    api.getServiceEndpointApi(),
  ]);

  let rawProjects: Json[];
  try {
    rawProjects = await calls.listAll(core, lists.projects(), signal);
  } catch (e) {
    fail("projects", e);
    const previous = options.previous;
    return {
      organization: org,
      url: options.orgUrl,
      readAt: new Date(now()).toISOString(),
      windowStart,
      projects: (previous?.projects ?? []).map((p) => ({ ...p, stale: true })),
      serviceConnections: previous?.serviceConnections ?? [],
      errors,
      stats: { ...calls.stats },
    };
  }

  const connections = new Map<string, DevOpsServiceConnection>();
  const projects: DevOpsProject[] = [];
  for (const raw of rawProjects) {
    const id = String(raw.id);
    const name = String(raw.name);
    try {
      projects.push(
        await readProject({
          org,
          id,
          name,
          state: str(raw.state),
          calls,
          build,
          git,
          release,
          agent,
          endpoints,
          windowStartMs,
          windowStart,
          connections,
          signal,
        }),
      );
    } catch (e) {
      fail("project", e, name);
      const before = options.previous?.projects.find((p) => p.id === id);
      if (before) projects.push({ ...before, stale: true });
      for (const c of options.previous?.serviceConnections ?? []) {
        if (c.projectKeys.includes(devopsKey(org, id)) && !connections.has(c.key)) connections.set(c.key, c);
      }
    }
  }
  // A project that vanished from the list is gone; one that failed is above, stale.
  return {
    organization: org,
    url: options.orgUrl,
    readAt: new Date(now()).toISOString(),
    windowStart,
    projects,
    serviceConnections: [...connections.values()],
    errors,
    stats: { ...calls.stats },
  };
}

interface ProjectRead {
  org: string;
  id: string;
  name: string;
  state: string | undefined;
  calls: DevOpsCalls;
  build: Awaited<ReturnType<WebApi["getBuildApi"]>>;
  git: Awaited<ReturnType<WebApi["getGitApi"]>>;
  release: Awaited<ReturnType<WebApi["getReleaseApi"]>>;
  agent: Awaited<ReturnType<WebApi["getTaskAgentApi"]>>;
  endpoints: Awaited<ReturnType<WebApi["getServiceEndpointApi"]>>;
  windowStartMs: number;
  windowStart: string;
  connections: Map<string, DevOpsServiceConnection>;
  signal: AbortSignal | undefined;
}

/** One project, whole or not at all: any failed read fails the project (so it is carried forward). */
async function readProject(r: ProjectRead): Promise<DevOpsProject> {
  const repositories = await readRepositories(r);
  const pipelines = await readBuildPipelines(r, new Set(repositories.map((x) => x.id.toLowerCase())));
  pipelines.push(...(await readReleasePipelines(r)));
  const runs = [...(await readBuilds(r)), ...(await readDeployments(r))];
  const { environments, records } = await readEnvironments(r);
  runs.push(...records);
  const connectionUses = await readConnectionUses(r);
  return {
    key: keyIn(r),
    id: r.id,
    name: r.name,
    ...(r.state && { state: r.state }),
    repositories,
    pipelines,
    environments,
    runs,
    connectionUses,
  };
}

/** The key of a project's object (of the project itself, without parts). */
const keyIn = (r: ProjectRead, ...parts: (string | number)[]): string => devopsKey(r.org, r.id, ...parts);

/** The key of the pipeline a run names: a release definition's when its plan type is `release`, else a build definition's. */
const pipelineKeyOf = (r: ProjectRead, definitionId: unknown, planType?: unknown): string =>
  String(planType).toLowerCase() === "release" ? keyIn(r, "releases", String(definitionId)) : keyIn(r, "pipelines", String(definitionId));

/** The project's Git repositories. */
async function readRepositories(r: ProjectRead): Promise<DevOpsRepository[]> {
  return (await r.calls.listAll(r.git, lists.repositories(r.id), r.signal)).map((x) => ({
    key: keyIn(r, "repositories", String(x.id)),
    id: String(x.id),
    name: String(x.name),
    ...(str(x.defaultBranch) && { defaultBranch: str(x.defaultBranch) }),
  }));
}

/** The project's build definitions (YAML and classic), linked to their repository when it is one of `repoIds` (lower-cased). */
async function readBuildPipelines(r: ProjectRead, repoIds: ReadonlySet<string>): Promise<DevOpsPipeline[]> {
  return (await r.calls.listAll(r.build, lists.buildDefinitions(r.id), r.signal)).map((d) => {
    const process = (d.process ?? {}) as Json;
    const repository = (d.repository ?? undefined) as Json | undefined;
    const yaml = num(process.type) === 2;
    const repoId = str(repository?.id);
    return {
      key: keyIn(r, "pipelines", String(d.id)),
      id: Number(d.id),
      name: String(d.name),
      kind: yaml ? "yaml" : "classic",
      ...(str(d.path) && { folder: str(d.path) }),
      ...(yaml && str(process.yamlFilename) && { yamlPath: str(process.yamlFilename) }),
      ...(repoId !== undefined &&
        repository && {
          repository: { id: repoId, ...(str(repository.name) && { name: str(repository.name) }), type: String(repository.type) },
        }),
      ...(repoId !== undefined &&
        repoIds.has(repoId.toLowerCase()) &&
        String(repository?.type).toLowerCase() === "tfsgit" && { repositoryKey: keyIn(r, "repositories", repoId) }),
    };
  });
}

/** The project's release definitions, with their stages. */
async function readReleasePipelines(r: ProjectRead): Promise<DevOpsPipeline[]> {
  const pipelines: DevOpsPipeline[] = [];
  for (const d of await r.calls.listAll(r.release, lists.releaseDefinitions(r.id), r.signal)) {
    const stages = Array.isArray(d.environments) ? (d.environments as Json[]).map((s) => ({ id: Number(s.id), name: String(s.name) })) : [];
    pipelines.push({
      key: keyIn(r, "releases", String(d.id)),
      id: Number(d.id),
      name: String(d.name),
      kind: "release",
      ...(str(d.path) && { folder: str(d.path) }),
      stages,
    });
  }
  return pipelines;
}

/** The builds queued inside the window. */
async function readBuilds(r: ProjectRead): Promise<DevOpsRun[]> {
  const runs: DevOpsRun[] = [];
  for (const b of await r.calls.listAll(r.build, lists.builds(r.id, r.windowStart), r.signal)) {
    if (!inWindow(b.queueTime, r.windowStartMs)) continue;
    const def = (b.definition ?? {}) as Json;
    runs.push({
      key: keyIn(r, "runs", String(b.id)),
      kind: "build",
      id: Number(b.id),
      pipelineKey: keyIn(r, "pipelines", String(def.id)),
      ...(str(b.buildNumber) && { name: str(b.buildNumber) }),
      ...(str(b.result) && { result: str(b.result) }),
      ...(str(b.startTime) && { startTime: str(b.startTime) }),
      ...(str(b.finishTime) && { finishTime: str(b.finishTime) }),
    });
  }
  return runs;
}

/** The release deployments started inside the window. */
async function readDeployments(r: ProjectRead): Promise<DevOpsRun[]> {
  const runs: DevOpsRun[] = [];
  for (const d of await r.calls.listAll(r.release, lists.deployments(r.id, r.windowStart), r.signal)) {
    if (!inWindow(d.startedOn, r.windowStartMs)) continue;
    const def = (d.releaseDefinition ?? {}) as Json;
    runs.push({
      key: keyIn(r, "deployments", String(d.id)),
      kind: "release",
      id: Number(d.id),
      pipelineKey: keyIn(r, "releases", String(def.id)),
      ...(str(d.deploymentStatus) && { result: str(d.deploymentStatus) }),
      ...(str(d.startedOn) && { startTime: str(d.startedOn) }),
      ...(str(d.completedOn) && { finishTime: str(d.completedOn) }),
    });
  }
  return runs;
}

/** The project's environments, each with its resources, and their deployment records inside the window (as runs). */
async function readEnvironments(r: ProjectRead): Promise<{ environments: DevOpsEnvironment[]; records: DevOpsRun[] }> {
  const environments: DevOpsEnvironment[] = [];
  const records: DevOpsRun[] = [];
  for (const e of await r.calls.listAll(r.agent, lists.environments(r.id), r.signal)) {
    const envId = Number(e.id);
    const resources = await readEnvironmentResources(r, envId);
    const envKey = keyIn(r, "environments", envId);
    environments.push({ key: envKey, id: envId, name: String(e.name), resources });
    records.push(...(await readDeploymentRecords(r, envId, envKey)));
  }
  return { environments, records };
}

/** An environment's resources: a Kubernetes resource with its cluster, namespace and connection (one GET each). */
async function readEnvironmentResources(r: ProjectRead, envId: number): Promise<DevOpsEnvironmentResource[]> {
  const detail = (await r.calls.get(r.agent, lists.environment(r.id, envId), undefined, r.signal)).body;
  const resources: DevOpsEnvironmentResource[] = [];
  for (const ref of (Array.isArray(detail.resources) ? detail.resources : []) as Json[]) {
    const type = String(ref.type) as DevOpsEnvironmentResource["type"];
    const base = {
      id: Number(ref.id),
      name: String(ref.name),
      type,
      ...(Array.isArray(ref.tags) && ref.tags.length > 0 && { tags: ref.tags as string[] }),
    };
    if (type !== "kubernetes") {
      resources.push(base);
      continue;
    }
    const k = (await r.calls.get(r.agent, lists.kubernetesResource(r.id, envId, base.id), undefined, r.signal)).body;
    resources.push({
      ...base,
      ...(str(k.clusterName) && { clusterName: str(k.clusterName) }),
      ...(str(k.namespace) && { namespace: str(k.namespace) }),
      ...(str(k.serviceEndpointId) && { connectionKey: devopsKey(r.org, "serviceconnections", String(k.serviceEndpointId)) }),
    });
  }
  return resources;
}

/** An environment's deployment records started inside the window, as runs of the pipelines that deployed. */
async function readDeploymentRecords(r: ProjectRead, envId: number, envKey: string): Promise<DevOpsRun[]> {
  const runs: DevOpsRun[] = [];
  for (const d of await r.calls.listAll(r.agent, lists.deploymentRecords(r.id, envId), r.signal)) {
    if (!inWindow(d.startTime, r.windowStartMs)) continue;
    const def = (d.definition ?? {}) as Json;
    const owner = (d.owner ?? {}) as Json;
    runs.push({
      key: keyIn(r, "environments", envId, "records", String(d.id)),
      kind: "environment",
      id: Number(owner.id ?? d.id),
      pipelineKey: pipelineKeyOf(r, def.id, d.planType),
      environmentKey: envKey,
      ...(str(d.result) && { result: str(d.result) }),
      ...(str(d.startTime) && { startTime: str(d.startTime) }),
      ...(str(d.finishTime) && { finishTime: str(d.finishTime) }),
    });
  }
  return runs;
}

/**
 * The project's service connections (into `r.connections`) and, for each connection not seen in
 * an earlier project, its execution history inside the window.
 */
async function readConnectionUses(r: ProjectRead): Promise<DevOpsConnectionUse[]> {
  const connectionUses: DevOpsConnectionUse[] = [];
  for (const raw of await r.calls.listAll(r.endpoints, lists.serviceEndpoints(r.id), r.signal)) {
    const c = serviceConnectionOf(r.org, raw);
    // Shared connections appear in several projects: read their history once, from the first.
    if (r.connections.has(c.key)) continue;
    r.connections.set(c.key, c);
    for (const h of await r.calls.listAll(r.endpoints, lists.executionHistory(r.id, c.id), r.signal)) {
      const data = (h.data ?? {}) as Json;
      if (!inWindow(data.startTime, r.windowStartMs)) continue;
      const def = (data.definition ?? {}) as Json;
      connectionUses.push({
        connectionKey: c.key,
        pipelineKey: pipelineKeyOf(r, def.id, data.planType),
        runId: Number(data.id ?? (data.owner as Json | undefined)?.id),
        ...(str(data.planType) && { planType: str(data.planType) }),
        ...(str(data.result) && { result: str(data.result) }),
        ...(str(data.startTime) && { startTime: str(data.startTime) }),
        ...(str(data.finishTime) && { finishTime: str(data.finishTime) }),
      });
    }
  }
  return connectionUses;
}
