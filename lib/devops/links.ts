import type { DevOpsEdge, DevOpsNode, DevOpsSection, ExportResource } from "../topology/export-format.js";
import type { DevOpsServiceConnection, DevOpsSnapshot } from "./model.js";

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
  const nodes = new Map<string, DevOpsNode>();
  const edges = new Map<string, DevOpsEdge>();
  const runs = new Map<string, LinkedRun>();
  const addNode = (n: DevOpsNode) => {
    if (!nodes.has(n.key)) nodes.set(n.key, n);
  };
  const addEdge = (e: DevOpsEdge) => {
    const id = `${e.from}|${e.to}|${e.relation}`;
    if (!edges.has(id)) edges.set(id, e);
  };
  const byType = (type: string) => resources.filter((r) => r.type.toLowerCase() === type);
  const clusters = byType("microsoft.containerservice/managedclusters");
  const vms = byType("microsoft.compute/virtualmachines");
  const connections = new Map<string, DevOpsServiceConnection>();

  for (const snap of snapshots) {
    const org = snap.organization;
    for (const c of snap.serviceConnections) {
      connections.set(c.key, c);
      addNode({
        key: c.key,
        kind: "serviceConnection",
        name: c.name,
        organization: org,
        type: c.type,
        ...(c.azureScope && { azureScope: c.azureScope }),
        ...(c.authorizationScheme && { authorizationScheme: c.authorizationScheme }),
      });
      if (c.azureScope)
        addEdge({
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
    for (const p of snap.projects) {
      addNode({ key: p.key, kind: "project", name: p.name, organization: org, ...(p.stale && { stale: true }) });
      for (const r of p.repositories) addNode({ key: r.key, kind: "repository", name: r.name, organization: org, projectKey: p.key });
      for (const pl of p.pipelines) {
        addNode({
          key: pl.key,
          kind: "pipeline",
          name: pl.name,
          organization: org,
          projectKey: p.key,
          pipelineKind: pl.kind,
          ...(pl.yamlPath && { yamlPath: pl.yamlPath }),
          ...(pl.folder && { folder: pl.folder }),
        });
        if (pl.repositoryKey) addEdge({ from: pl.key, to: pl.repositoryKey, relation: "uses", via: "repository", changeSource: false });
      }
      for (const env of p.environments) {
        addNode({ key: env.key, kind: "environment", name: env.name, organization: org, projectKey: p.key });
        env.resources.forEach((res, i) => {
          const scope = res.connectionKey
            ? (connections.get(res.connectionKey)?.azureScope ??
              snap.serviceConnections.find((c) => c.key === res.connectionKey)?.azureScope)
            : undefined;
          const within = (r: ExportResource) => scope === undefined || lower(r.id).startsWith(`${scope}/`);
          const candidates =
            res.type === "kubernetes"
              ? clusters.filter((c) => c.name.toLowerCase() === res.clusterName?.toLowerCase() && within(c))
              : res.type === "virtualMachine"
                ? vms.filter((v) => v.name.toLowerCase() === res.name.toLowerCase())
                : [];
          // Only an unambiguous match makes an edge: a name shared by two clusters says nothing.
          const only = candidates.length === 1 ? candidates[0] : undefined;
          if (only)
            addEdge({
              from: env.key,
              to: only.key,
              relation: "deploys",
              via: `resources[${i}]${res.type === "kubernetes" ? ".clusterName" : ".name"}`,
              changeSource: true,
            });
        });
      }
      const runOf = (pipelineKey: string, id: number, kind: string): LinkedRun => {
        const key = `${pipelineKey}/runs/${id}`;
        let run = runs.get(key);
        if (!run) {
          run = { key, kind, id, pipelineKey, connectionKeys: [], environmentKeys: [], connectionUses: [] };
          runs.set(key, run);
        }
        return run;
      };
      const stamp = (run: LinkedRun, r: { name?: string; result?: string; startTime?: string; finishTime?: string }) => {
        if (r.name && !run.name) run.name = r.name;
        if (r.result && !run.result) run.result = r.result;
        if (r.startTime && (!run.startTime || r.startTime < run.startTime)) run.startTime = r.startTime;
        if (r.finishTime && (!run.finishTime || r.finishTime > run.finishTime)) run.finishTime = r.finishTime;
      };
      for (const r of p.runs) {
        const run = runOf(r.pipelineKey, r.id, r.kind === "environment" ? "build" : r.kind);
        stamp(run, r);
        if (r.environmentKey) {
          if (!run.environmentKeys.includes(r.environmentKey)) run.environmentKeys.push(r.environmentKey);
          addEdge({
            from: r.pipelineKey,
            to: r.environmentKey,
            relation: "deploys",
            via: "environmentdeploymentrecords",
            changeSource: true,
          });
        }
      }
      for (const u of p.connectionUses) {
        const run = runOf(u.pipelineKey, u.runId, u.planType?.toLowerCase() === "release" ? "release" : "build");
        stamp(run, u);
        if (!run.connectionKeys.includes(u.connectionKey)) run.connectionKeys.push(u.connectionKey);
        run.connectionUses.push({ connectionKey: u.connectionKey, ...(u.startTime && { startTime: u.startTime }) });
        addEdge({
          from: u.pipelineKey,
          to: u.connectionKey,
          relation: "uses",
          via: "serviceendpoint/executionhistory",
          changeSource: false,
        });
      }
    }
  }

  // Federated credentials: ARM data, no DevOps access needed.
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
  for (const fic of byType(FEDERATED_CREDENTIAL_TYPE)) {
    const subject = (fic.properties as { subject?: unknown } | undefined)?.subject;
    if (typeof subject !== "string") continue;
    const named = parseFederatedSubject(subject);
    if (!named) continue;
    const from = identityKeyOf(fic.id);
    if (named.kind === "connection") {
      const to = connectionBySubject.get(subject.toLowerCase());
      if (to) addEdge({ from, to, relation: "trusts", via: `${fic.name}.properties.subject`, changeSource: true });
    } else {
      const to = githubRepositoryKey(named.repository);
      addNode({
        key: to,
        kind: "repository",
        name: named.repository,
        organization: named.repository.split("/")[0] ?? "",
        provider: "github",
      });
      addEdge({ from, to, relation: "trusts", via: `${fic.name}.properties.subject`, changeSource: true });
    }
  }

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
    nodes: [...nodes.values()].sort(byKey),
    edges: [...edges.values()].sort((a, b) => (`${a.from}|${a.to}|${a.relation}` < `${b.from}|${b.to}|${b.relation}` ? -1 : 1)),
    runs: [...runs.values()].sort(byKey),
  };
}
