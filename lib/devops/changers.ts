import type { DevOpsNode, DevOpsSection } from "../topology/export-format.js";
import { parseResourceId } from "../topology/ids.js";
import type { LinkedRun } from "./links.js";

/** One way a resource can be changed from Azure DevOps. */
export interface ChangePath {
  /** The service connection or environment that reaches the resource. */
  via: DevOpsNode;
  /** Which link of the scope chain it reaches: the resource itself, its group, subscription or a management group. */
  level: "resource" | "resourceGroup" | "subscription" | "managementGroup";
  /** The scope key the connection or environment deploys to. */
  scope: string;
  /** Pipelines that used it (its execution history) or deployed through it (environment records). */
  pipelines: DevOpsNode[];
}

/** Who can change a resource, and who recently did. */
export interface Changers {
  paths: ChangePath[];
  /** Runs inside the window that used one of the paths' connections or environments, newest first. */
  recentRuns: (LinkedRun & { pipelineName?: string; via: string[] })[];
}

/** Options of {@link changersOf}. */
export interface ChangersOptions {
  /** Management groups above a subscription, nearest first (an export's: {@link changersOptionsOf}). @default none */
  managementGroupsOf?: (subscriptionId: string) => readonly string[];
}

/**
 * The management-group ancestry an export's `scope.managementGroups` holds (docs/interfaces.md
 * section 3): groups above each subscription, nearest first, by lower-cased subscription id.
 * Undefined when the export has none (not read, or not visible); malformed entries are skipped.
 */
export function managementGroupsOf(exported: { scope: Record<string, unknown> } | undefined): Record<string, string[]> | undefined {
  const value = exported?.scope.managementGroups;
  if (typeof value !== "object" || value === null) return undefined;
  const out: Record<string, string[]> = {};
  for (const [subscriptionId, chain] of Object.entries(value)) {
    if (Array.isArray(chain) && chain.every((g) => typeof g === "string")) out[subscriptionId.toLowerCase()] = chain;
  }
  return out;
}

/** {@link ChangersOptions} for an export: `managementGroupsOf` from its `scope.managementGroups`. */
export function changersOptionsOf(exported: { scope: Record<string, unknown> }): ChangersOptions {
  const ancestry = managementGroupsOf(exported);
  return ancestry === undefined ? {} : { managementGroupsOf: (subscriptionId) => ancestry[subscriptionId.toLowerCase()] ?? [] };
}

/**
 * The scope chain of a resource, narrowest first: itself, its resource group, its subscription,
 * then the management groups above it.
 */
export function scopeChain(resourceKey: string, options: ChangersOptions = {}): { key: string; level: ChangePath["level"] }[] {
  const key = resourceKey.toLowerCase();
  const parts = parseResourceId(key);
  const chain: { key: string; level: ChangePath["level"] }[] = [{ key, level: "resource" }];
  if (parts?.subscriptionId) {
    if (parts.resourceGroup)
      chain.push({
        key: `/subscriptions/${parts.subscriptionId}/resourcegroups/${parts.resourceGroup}`.toLowerCase(),
        level: "resourceGroup",
      });
    chain.push({ key: `/subscriptions/${parts.subscriptionId}`.toLowerCase(), level: "subscription" });
    for (const mg of options.managementGroupsOf?.(parts.subscriptionId) ?? []) {
      chain.push({ key: `/providers/microsoft.management/managementgroups/${mg}`.toLowerCase(), level: "managementGroup" });
    }
  }
  return chain.filter((c, i) => chain.findIndex((d) => d.key === c.key) === i);
}

/** What {@link changersOf} looks up, built once per section (answers for many resources share it). */
interface ChangersIndex {
  nodes: Map<string, DevOpsNode>;
  /** `deploys` edges from a connection or environment, by the scope they reach. */
  deploysTo: Map<string, { via: DevOpsNode; edge: DevOpsSection["edges"][number] }[]>;
  /** Pipelines that used (or deployed through) a connection or environment, by its key. */
  pipelinesOf: Map<string, DevOpsNode[]>;
  /** Runs by each connection or environment they used. */
  runsOf: Map<string, LinkedRun[]>;
}

const indexes = new WeakMap<DevOpsSection, ChangersIndex>();

function indexOf(section: DevOpsSection): ChangersIndex {
  const known = indexes.get(section);
  if (known !== undefined) return known;
  const nodes = new Map(section.nodes.map((n) => [n.key, n]));
  const deploysTo = new Map<string, { via: DevOpsNode; edge: DevOpsSection["edges"][number] }[]>();
  const pipelineKeys = new Map<string, Set<string>>();
  for (const e of section.edges) {
    const from = nodes.get(e.from);
    if (e.relation === "deploys" && from !== undefined && (from.kind === "serviceConnection" || from.kind === "environment")) {
      const list = deploysTo.get(e.to) ?? [];
      list.push({ via: from, edge: e });
      deploysTo.set(e.to, list);
    }
    if ((e.relation === "uses" || e.relation === "deploys") && from?.kind === "pipeline") {
      const set = pipelineKeys.get(e.to) ?? new Set<string>();
      set.add(e.from);
      pipelineKeys.set(e.to, set);
    }
  }
  const pipelinesOf = new Map([...pipelineKeys].map(([k, set]) => [k, [...set].flatMap((p) => nodes.get(p) ?? [])]));
  const runsOf = new Map<string, LinkedRun[]>();
  for (const run of section.runs as LinkedRun[]) {
    for (const k of new Set([...run.connectionKeys, ...run.environmentKeys])) {
      const list = runsOf.get(k) ?? [];
      list.push(run);
      runsOf.set(k, list);
    }
  }
  const index = { nodes, deploysTo, pipelinesOf, runsOf };
  indexes.set(section, index);
  return index;
}

/**
 * For a resource, the service connections and environments that can change it (through its scope
 * chain: resource → resource group → subscription → management group), the pipelines that use
 * them, and the runs in the section's window that used them. The section's lookups are built once
 * and kept while the section is.
 */
export function changersOf(section: DevOpsSection, resourceKey: string, options: ChangersOptions = {}): Changers {
  const index = indexOf(section);
  const paths = pathsOf(index, resourceKey, options);
  return { paths, recentRuns: recentRunsVia(index, new Set(paths.map((p) => p.via.key))) };
}

function pathsOf(index: ChangersIndex, resourceKey: string, options: ChangersOptions): ChangePath[] {
  const paths: ChangePath[] = [];
  for (const { key, level } of scopeChain(resourceKey, options)) {
    for (const { via } of index.deploysTo.get(key) ?? [])
      paths.push({ via, level, scope: key, pipelines: index.pipelinesOf.get(via.key) ?? [] });
  }
  return paths;
}

/** The runs that used any of `viaKeys`, newest first (equal starts in key order). */
function recentRunsVia(index: ChangersIndex, viaKeys: ReadonlySet<string>): Changers["recentRuns"] {
  const runs = new Set<LinkedRun>();
  for (const k of viaKeys) for (const run of index.runsOf.get(k) ?? []) runs.add(run);
  return [...runs]
    .map((run) => {
      const via = [...run.connectionKeys, ...run.environmentKeys].filter((k) => viaKeys.has(k));
      const name = index.nodes.get(run.pipelineKey)?.name;
      return { ...run, ...(name !== undefined && { pipelineName: name }), via };
    })
    .sort((a, b) => (b.startTime ?? "").localeCompare(a.startTime ?? "") || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One changed resource, annotated with the runs that touched its scope inside the change window. */
export interface ChangeAnnotation {
  key: string;
  runs: { pipeline: string; runId: number; via: string; at: string; text: string }[];
}

/**
 * Annotates changed resources (`GET /api/changes`) with the runs that used a connection or
 * environment reaching them within [`from`, `to`] (ISO-8601 or epoch ms), e.g. "pipeline
 * web-deploy run 311 used sc-web-prod at 10:40". The time is the use's start, in UTC.
 *
 * Warning: resources reached by the same connections and environments share one `runs` array;
 * copy it before changing it.
 */
export function annotateChanges(
  section: DevOpsSection,
  changedKeys: readonly string[],
  window: { from: string | number; to: string | number },
  options: ChangersOptions = {},
): ChangeAnnotation[] {
  const from = typeof window.from === "number" ? window.from : Date.parse(window.from);
  const to = typeof window.to === "number" ? window.to : Date.parse(window.to);
  const index = indexOf(section);
  // Resources of one group reach the same connections: their runs are worked out once.
  const byVia = new Map<string, ChangeAnnotation["runs"]>();
  return changedKeys.map((key) => {
    const viaKeys = [...new Set(pathsOf(index, key, options).map((p) => p.via.key))];
    const signature = viaKeys.join("|");
    let runs = byVia.get(signature);
    if (runs === undefined) {
      runs = recentRunsVia(index, new Set(viaKeys)).flatMap((r) =>
        r.via.flatMap((viaKey) => {
          // A connection's own use time when its history has one; else the run's start (environments).
          const time = r.connectionUses.find((u) => u.connectionKey === viaKey)?.startTime ?? r.startTime;
          const at = time === undefined ? NaN : Date.parse(time);
          if (!(at >= from && at <= to)) return [];
          const via = index.nodes.get(viaKey)?.name ?? viaKey;
          const pipeline = r.pipelineName ?? r.pipelineKey;
          const iso = new Date(at).toISOString();
          return [{ pipeline, runId: r.id, via, at: iso, text: `pipeline ${pipeline} run ${r.id} used ${via} at ${iso.slice(11, 16)}` }];
        }),
      );
      byVia.set(signature, runs);
    }
    return { key: key.toLowerCase(), runs };
  });
}
