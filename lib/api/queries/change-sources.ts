import { type ChangeAnnotation, changersOf, type ChangersOptions } from "../../devops/changers.js";
import type { DevOpsNode, DevOpsSection } from "../../topology/export-format.js";

/** Most change paths one resource detail lists. */
export const CHANGE_PATHS_LIMIT = 50;
/** Most pipelines listed per change path. */
export const CHANGE_PIPELINES_LIMIT = 20;
/** Most recent runs one resource detail lists. */
export const RECENT_RUNS_LIMIT = 20;
/** Most runs listed per changed resource of `GET /changes`. */
export const CHANGE_RUNS_LIMIT = 10;

/** A DevOps object as the API shows it. */
export interface DevOpsRef {
  key: string;
  kind: DevOpsNode["kind"];
  name: string;
  organization: string;
  /** Service connections: `AzureRM`, … */
  type?: string;
  /** Service connections: the Azure scope they can deploy to. */
  azureScope?: string;
  /** Service connections: `WorkloadIdentityFederation`, `ServicePrincipal`, … */
  authorizationScheme?: string;
  /** Pipelines: `yaml`, `classic` or `release`. */
  pipelineKind?: string;
  /** YAML pipelines: the YAML file. */
  yamlPath?: string;
}

/** Who can change a resource from Azure DevOps, and who recently did (`GET /resources/detail`). */
export interface ChangeSources {
  /** Service connections and environments reaching the resource through its scope chain, nearest first. */
  paths: {
    via: DevOpsRef;
    level: "resource" | "resourceGroup" | "subscription" | "managementGroup";
    scope: string;
    pipelines: DevOpsRef[];
    pipelinesTotal: number;
  }[];
  /** Runs inside the window that used one of the paths, newest first; `[0]` is the run that last could have changed it. */
  recentRuns: {
    key: string;
    kind: string;
    id: number;
    pipelineKey: string;
    pipelineName?: string;
    name?: string;
    result?: string;
    startTime?: string;
    finishTime?: string;
    via: DevOpsRef[];
  }[];
  /** Exact counts before the lists were cut. */
  totals: { paths: number; recentRuns: number };
  /** True when a list (or a path's pipelines) holds fewer entries than its total. */
  truncated: boolean;
  /** Start of the runs window: the earliest of the organisations'. */
  windowStart?: string;
}

/** The API's view of a DevOps node: a fixed set of fields. */
export function devopsRef(n: DevOpsNode): DevOpsRef {
  const pick = (k: string) => (typeof n[k] === "string" ? { [k]: n[k] } : {});
  return {
    key: n.key,
    kind: n.kind,
    name: n.name,
    organization: n.organization,
    ...pick("type"),
    ...pick("azureScope"),
    ...pick("authorizationScheme"),
    ...pick("pipelineKind"),
    ...pick("yamlPath"),
  };
}

/**
 * {@link changersOf} over the snapshot's devops section, bounded (lists capped, totals exact);
 * `options` carries the snapshot's management groups (`changersOptionsOf(meta)`).
 */
export function changeSourcesOf(section: DevOpsSection, resourceKey: string, options: ChangersOptions = {}): ChangeSources {
  const { paths, recentRuns } = changersOf(section, resourceKey, options);
  const nodes = new Map(section.nodes.map((n) => [n.key, n]));
  const starts = section.organizations.map((o) => o.windowStart).sort();
  const truncated =
    paths.length > CHANGE_PATHS_LIMIT ||
    recentRuns.length > RECENT_RUNS_LIMIT ||
    paths.some((p) => p.pipelines.length > CHANGE_PIPELINES_LIMIT);
  return {
    paths: paths.slice(0, CHANGE_PATHS_LIMIT).map((p) => ({
      via: devopsRef(p.via),
      level: p.level,
      scope: p.scope,
      pipelines: p.pipelines.slice(0, CHANGE_PIPELINES_LIMIT).map(devopsRef),
      pipelinesTotal: p.pipelines.length,
    })),
    recentRuns: recentRuns.slice(0, RECENT_RUNS_LIMIT).map((r) => ({
      key: r.key,
      kind: r.kind,
      id: r.id,
      pipelineKey: r.pipelineKey,
      ...(r.pipelineName !== undefined && { pipelineName: r.pipelineName }),
      ...(r.name !== undefined && { name: r.name }),
      ...(r.result !== undefined && { result: r.result }),
      ...(r.startTime !== undefined && { startTime: r.startTime }),
      ...(r.finishTime !== undefined && { finishTime: r.finishTime }),
      via: r.via.flatMap((k) => {
        const n = nodes.get(k);
        return n === undefined ? [] : [devopsRef(n)];
      }),
    })),
    totals: { paths: paths.length, recentRuns: recentRuns.length },
    truncated,
    ...(starts[0] !== undefined && { windowStart: starts[0] }),
  };
}

/** A changed resource's runs, capped at {@link CHANGE_RUNS_LIMIT} with the exact count. */
export function boundedRuns(annotation: ChangeAnnotation | undefined): { devopsRuns: ChangeAnnotation["runs"]; devopsRunsTotal: number } {
  const runs = annotation?.runs ?? [];
  return { devopsRuns: runs.slice(0, CHANGE_RUNS_LIMIT), devopsRunsTotal: runs.length };
}
