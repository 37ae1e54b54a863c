import type { DevOpsEdge, DevOpsNode, DevOpsSection, ExportResource } from "../topology/export-format.js";
import type { DevOpsEnvironment, DevOpsEnvironmentResource, DevOpsProject, DevOpsServiceConnection, DevOpsSnapshot } from "./model.js";

/** The ARM type of a user-assigned identity's federated credential. */
export const FEDERATED_CREDENTIAL_TYPE = "microsoft.managedidentity/userassignedidentities/federatedidentitycredentials";

/** A run in the export: the pipeline's run with every connection and environment it used. */
export interface LinkedRun extends Record<string, unknown> {
  key: string;
  kind: string;
  id: number;
  pipelineKey: string;
  name?: string;
  result?: string;
  startTime?: string;
  finishTime?: string;
  connectionKeys: string[];
  environmentKeys: string[];
  /** When each connection was used (its execution record's start). */
  connectionUses: { connectionKey: string; startTime?: string }[];
}

const lower = (s: string) => s.toLowerCase().replace(/\/+$/, "");

/** The key of a GitHub repository named by a federated credential (`repo:owner/name:...`). */
export function githubRepositoryKey(ownerAndName: string): string {
  return `github://${ownerAndName}`.toLowerCase();
}

/** What a federated credential's subject names: an Azure DevOps connection or a GitHub repository. */
export function parseFederatedSubject(
  subject: string,
): { kind: "connection"; org: string; project: string; name: string } | { kind: "github"; repository: string } | undefined {
  const sc = /^sc:\/\/([^/]+)\/([^/]+)\/(.+)$/.exec(subject);
  if (sc) return { kind: "connection", org: sc[1] ?? "", project: sc[2] ?? "", name: sc[3] ?? "" };
  const gh = /^repo:([^/:]+\/[^:]+):/.exec(subject);
  if (gh) return { kind: "github", repository: gh[1] ?? "" };
  return undefined;
}

/** The parent identity's key of a federated credential id (`…/userAssignedIdentities/x/federatedIdentityCredentials/y`). */
function identityKeyOf(credentialId: string): string {
  return lower(credentialId).replace(/\/federatedidentitycredentials\/[^/]+$/, "");
}

/**
 * The DevOps part of an export: nodes for projects, repositories, pipelines, environments and
 * service connections, and the edges between them and the estate (docs/devops.md "Links"):
 * a pipeline `uses` its repository and the connections its runs used; a pipeline `deploys` to the
 * environments it deployed to; a connection `deploys` to its Azure scope; an environment `deploys`
 * to the AKS cluster or VM its resources name; a user-assigned identity `trusts` the connection or
 * GitHub repository its federated credentials name. Deploy and trust edges are change sources.
 * Deterministic: the same inputs give the same lists in the same order.
 */
export function devopsSection(snapshots: readonly DevOpsSnapshot[], resources: readonly ExportResource[]): DevOpsSection {
  const links = new SectionLinks();
  const targets: DeployTargets = {
    clusters: ofType(resources, "microsoft.containerservice/managedclusters"),
    vms: ofType(resources, "microsoft.compute/virtualmachines"),
    connections: new Map(),
  };
  for (const snap of snapshots) {
    addServiceConnections(links, snap, targets.connections);
    for (const p of snap.projects) addProject(links, snap, p, targets);
  }
  addFederatedTrusts(links, snapshots, ofType(resources, FEDERATED_CREDENTIAL_TYPE));
  return sortedSection(links, snapshots);
}

/** The section's nodes, edges and runs as they are found: the first of a key wins. */
class SectionLinks {
  readonly nodes = new Map<string, DevOpsNode>();
  readonly edges = new Map<string, DevOpsEdge>();
  readonly runs = new Map<string, LinkedRun>();

  addNode(n: DevOpsNode): void {
    if (!this.nodes.has(n.key)) this.nodes.set(n.key, n);
  }

  addEdge(e: DevOpsEdge): void {
    const id = `${e.from}|${e.to}|${e.relation}`;
    if (!this.edges.has(id)) this.edges.set(id, e);
  }

  /** The run of a pipeline, created on first sight. */
  runOf(pipelineKey: string, id: number, kind: string): LinkedRun {
    const key = `${pipelineKey}/runs/${id}`;
    let run = this.runs.get(key);
    if (!run) {
      run = { key, kind, id, pipelineKey, connectionKeys: [], environmentKeys: [], connectionUses: [] };
      this.runs.set(key, run);
    }
    return run;
  }
}

/** What an environment's resources may deploy to, and the connections read so far (their Azure scopes). */
interface DeployTargets {
  clusters: ExportResource[];
  vms: ExportResource[];
  connections: Map<string, DevOpsServiceConnection>;
}

const ofType = (resources: readonly ExportResource[], type: string) => resources.filter((r) => r.type.toLowerCase() === type);

/** A node per service connection, and its `deploys` edge to its Azure scope. */
function addServiceConnections(links: SectionLinks, snap: DevOpsSnapshot, connections: Map<string, DevOpsServiceConnection>): void {
  for (const c of snap.serviceConnections) {
    connections.set(c.key, c);
    links.addNode({
      key: c.key,
      kind: "serviceConnection",
      name: c.name,
      organization: snap.organization,
      type: c.type,
      ...(c.azureScope && { azureScope: c.azureScope }),
      ...(c.authorizationScheme && { authorizationScheme: c.authorizationScheme }),
    });
    if (c.azureScope)
      links.addEdge({
        from: c.key,
        to: c.azureScope,
        relation: "deploys",
        via: c.authorization.scope
          ? "authorization.parameters.scope"
          : c.scopeLevel?.toLowerCase() === "managementgroup"
            ? "data.managementGroupId"
            : "data.subscriptionId",
        changeSource: true,
      });
  }
}

/** A project's node, its repositories, pipelines and environments, and its runs. */
function addProject(links: SectionLinks, snap: DevOpsSnapshot, p: DevOpsProject, targets: DeployTargets): void {
  const org = snap.organization;
  links.addNode({ key: p.key, kind: "project", name: p.name, organization: org, ...(p.stale && { stale: true }) });
  for (const r of p.repositories) links.addNode({ key: r.key, kind: "repository", name: r.name, organization: org, projectKey: p.key });
  addPipelines(links, org, p);
  for (const env of p.environments) addEnvironment(links, snap, p, env, targets);
  addRuns(links, p);
}

/** A node per pipeline, and its `uses` edge to its repository. */
function addPipelines(links: SectionLinks, org: string, p: DevOpsProject): void {
  for (const pl of p.pipelines) {
    links.addNode({
      key: pl.key,
      kind: "pipeline",
      name: pl.name,
      organization: org,
      projectKey: p.key,
      pipelineKind: pl.kind,
      ...(pl.yamlPath && { yamlPath: pl.yamlPath }),
      ...(pl.folder && { folder: pl.folder }),
    });
    if (pl.repositoryKey) links.addEdge({ from: pl.key, to: pl.repositoryKey, relation: "uses", via: "repository", changeSource: false });
  }
}

/** An environment's node, and a `deploys` edge to the cluster or VM each of its resources names. */
function addEnvironment(links: SectionLinks, snap: DevOpsSnapshot, p: DevOpsProject, env: DevOpsEnvironment, targets: DeployTargets): void {
  links.addNode({ key: env.key, kind: "environment", name: env.name, organization: snap.organization, projectKey: p.key });
  env.resources.forEach((res, i) => {
    const only = deployTargetOf(snap, res, targets);
    if (only)
      links.addEdge({
        from: env.key,
        to: only.key,
        relation: "deploys",
        via: `resources[${i}]${res.type === "kubernetes" ? ".clusterName" : ".name"}`,
        changeSource: true,
      });
  });
}

/** The one cluster (within its connection's Azure scope) or VM an environment resource names, if only one. */
function deployTargetOf(snap: DevOpsSnapshot, res: DevOpsEnvironmentResource, targets: DeployTargets): ExportResource | undefined {
  const scope = res.connectionKey
    ? (targets.connections.get(res.connectionKey)?.azureScope ??
      snap.serviceConnections.find((c) => c.key === res.connectionKey)?.azureScope)
    : undefined;
  const within = (r: ExportResource) => scope === undefined || lower(r.id).startsWith(`${scope}/`);
  const candidates =
    res.type === "kubernetes"
      ? targets.clusters.filter((c) => c.name.toLowerCase() === res.clusterName?.toLowerCase() && within(c))
      : res.type === "virtualMachine"
        ? targets.vms.filter((v) => v.name.toLowerCase() === res.name.toLowerCase())
        : [];
  // Only an unambiguous match makes an edge: a name shared by two clusters says nothing.
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * The project's runs, from its runs (with the `deploys` edges of environment deployments) and
 * its connection uses (with the pipelines' `uses` edges to the connections).
 */
function addRuns(links: SectionLinks, p: DevOpsProject): void {
  for (const r of p.runs) {
    const run = links.runOf(r.pipelineKey, r.id, r.kind === "environment" ? "build" : r.kind);
    stamp(run, r);
    if (r.environmentKey) {
      if (!run.environmentKeys.includes(r.environmentKey)) run.environmentKeys.push(r.environmentKey);
      links.addEdge({
        from: r.pipelineKey,
        to: r.environmentKey,
        relation: "deploys",
        via: "environmentdeploymentrecords",
        changeSource: true,
      });
    }
  }
  for (const u of p.connectionUses) {
    const run = links.runOf(u.pipelineKey, u.runId, u.planType?.toLowerCase() === "release" ? "release" : "build");
    stamp(run, u);
    if (!run.connectionKeys.includes(u.connectionKey)) run.connectionKeys.push(u.connectionKey);
    run.connectionUses.push({ connectionKey: u.connectionKey, ...(u.startTime && { startTime: u.startTime }) });
    links.addEdge({
      from: u.pipelineKey,
      to: u.connectionKey,
      relation: "uses",
      via: "serviceendpoint/executionhistory",
      changeSource: false,
    });
  }
}

/** Fills a run's name and result from the first record that has them, and widens its start and finish. */
function stamp(run: LinkedRun, r: { name?: string; result?: string; startTime?: string; finishTime?: string }): void {
  if (r.name && !run.name) run.name = r.name;
  if (r.result && !run.result) run.result = r.result;
  if (r.startTime && (!run.startTime || r.startTime < run.startTime)) run.startTime = r.startTime;
  if (r.finishTime && (!run.finishTime || r.finishTime > run.finishTime)) run.finishTime = r.finishTime;
}

/**
 * A user-assigned identity `trusts` the connection or GitHub repository its federated credentials
 * name (a GitHub repository gets a node of its own). ARM data, no DevOps access needed.
 */
function addFederatedTrusts(links: SectionLinks, snapshots: readonly DevOpsSnapshot[], credentials: readonly ExportResource[]): void {
  const connectionBySubject = connectionsBySubject(snapshots);
  for (const fic of credentials) {
    const subject = (fic.properties as { subject?: unknown } | undefined)?.subject;
    if (typeof subject !== "string") continue;
    const named = parseFederatedSubject(subject);
    if (!named) continue;
    const from = identityKeyOf(fic.id);
    if (named.kind === "connection") {
      const to = connectionBySubject.get(subject.toLowerCase());
      if (to) links.addEdge({ from, to, relation: "trusts", via: `${fic.name}.properties.subject`, changeSource: true });
    } else {
      const to = githubRepositoryKey(named.repository);
      links.addNode({
        key: to,
        kind: "repository",
        name: named.repository,
        organization: named.repository.split("/")[0] ?? "",
        provider: "github",
      });
      links.addEdge({ from, to, relation: "trusts", via: `${fic.name}.properties.subject`, changeSource: true });
    }
  }
}

/**
 * The connection key a federated subject names, by lower-cased subject: `sc://org/project/name`
 * for each project a connection is shared with, and the connection's own workload identity subject.
 */
function connectionsBySubject(snapshots: readonly DevOpsSnapshot[]): Map<string, string> {
  const connectionBySubject = new Map<string, string>();
  for (const snap of snapshots) {
    for (const c of snap.serviceConnections) {
      for (const projectKey of c.projectKeys) {
        const project = snap.projects.find((p) => p.key === projectKey);
        if (project) connectionBySubject.set(`sc://${snap.organization}/${project.name}/${c.name}`.toLowerCase(), c.key);
      }
      const subject = Object.entries(c.authorization).find(([k]) => k.toLowerCase() === "workloadidentityfederationsubject")?.[1];
      if (subject) connectionBySubject.set(subject.toLowerCase(), c.key);
    }
  }
  return connectionBySubject;
}

/** The section as exported: the organisations in their order, the nodes, edges and runs sorted. */
function sortedSection(links: SectionLinks, snapshots: readonly DevOpsSnapshot[]): DevOpsSection {
  const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return {
    organizations: snapshots.map((s) => ({
      organization: s.organization,
      url: s.url,
      readAt: s.readAt,
      windowStart: s.windowStart,
      errors: s.errors,
      stats: s.stats,
      ...(s.stale && { stale: true }),
    })),
    nodes: [...links.nodes.values()].sort(byKey),
    edges: [...links.edges.values()].sort((a, b) => (`${a.from}|${a.to}|${a.relation}` < `${b.from}|${b.to}|${b.relation}` ? -1 : 1)),
    runs: [...links.runs.values()].sort(byKey),
  };
}
