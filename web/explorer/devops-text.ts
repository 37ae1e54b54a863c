// What the page says about Azure DevOps, as plain text (no DOM), so the words can be unit-tested.
import type { ChangeEntry, ChangeLevel, ChangeSources, DevOpsRef, RecentRun } from "./types.js";

const KINDS: Record<string, string> = { serviceConnection: "service connection", environment: "environment", pipeline: "pipeline" };

const LEVELS: Record<ChangeLevel, string> = {
  resource: "the resource itself",
  resourceGroup: "its resource group",
  subscription: "its subscription",
  managementGroup: "a management group above it",
};

const SCHEMES: Record<string, string> = {
  WorkloadIdentityFederation: "workload identity federation",
  ServicePrincipal: "service principal secret",
  ManagedServiceIdentity: "managed identity",
};

/** `2026-12-03 10:39 UTC` of an ISO time; the text itself when it is not one. */
export function utcMinute(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `service connection sc-web-prod`, `environment aks-prod`. */
export function refName(ref: DevOpsRef): string {
  return `${KINDS[ref.kind] ?? ref.kind} ${ref.name}`;
}

/** What a connection is beyond its name: `AzureRM, workload identity federation`. */
export function refDetails(ref: DevOpsRef): string {
  return [ref.type, ref.authorizationScheme === undefined ? undefined : (SCHEMES[ref.authorizationScheme] ?? ref.authorizationScheme)]
    .filter((x) => x !== undefined)
    .join(", ");
}

/** A pipeline: `web-deploy (YAML /azure-pipelines.yml)`, `legacy-build (classic)`. */
export function pipelineText(ref: DevOpsRef): string {
  const kind = ref.pipelineKind === "yaml" ? "YAML" : ref.pipelineKind;
  const about = [kind, ref.yamlPath].filter((x) => x !== undefined).join(" ");
  return about === "" ? ref.name : `${ref.name} (${about})`;
}

/** A recent run: `web-deploy run 311 (20261203.1), succeeded, started 2026-12-03 10:39 UTC, through sc-web-prod`. */
export function recentRunText(run: RecentRun): string {
  const what = `${run.pipelineName ?? run.pipelineKey} ${run.kind === "release" ? "release" : "run"} ${run.id}${run.name === undefined ? "" : ` (${run.name})`}`;
  const parts = [
    what,
    run.result,
    run.startTime === undefined ? undefined : `started ${utcMinute(run.startTime)}`,
    run.via.length === 0 ? undefined : `through ${run.via.map((v) => v.name).join(", ")}`,
  ];
  return parts.filter((x) => x !== undefined && x !== "").join(", ");
}

/** `N more …` when a list holds fewer than its total, else undefined. */
export function moreText(shown: number, total: number, what: string): string | undefined {
  return total > shown ? `${total - shown} more ${what} not listed` : undefined;
}

/** One path of {@link ChangeSourcesText}. */
export interface PathText {
  /** `service connection sc-web-prod`. */
  name: string;
  /** `AzureRM, workload identity federation` (may be empty). */
  details: string;
  /** `reaches its resource group`. */
  reach: string;
  scope: string;
  pipelines: string[];
  /** `Pipelines that used it (1)`. */
  pipelinesTitle: string;
  more?: string;
}

/** The "Who can change it" section as text. */
export interface ChangeSourcesText {
  /** `2 paths, 2 recent runs`. */
  summary: string;
  paths: PathText[];
  morePaths?: string;
  runsTitle: string;
  runs: string[];
  /** Said of `runs[0]`: it is the run that last deployed through the paths. */
  lastRunNote?: string;
  moreRuns?: string;
  /** `Runs since 2026-11-30 11:00 UTC`. */
  window?: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The words of the "Who can change it" section for a resource detail's `changeSources`. */
export function changeSourcesText(cs: ChangeSources): ChangeSourcesText {
  const paths = cs.paths.map((p): PathText => {
    const more = moreText(p.pipelines.length, p.pipelinesTotal, p.pipelinesTotal - p.pipelines.length === 1 ? "pipeline" : "pipelines");
    return {
      name: refName(p.via),
      details: refDetails(p.via),
      reach: `reaches ${LEVELS[p.level] ?? p.level}`,
      scope: p.scope,
      pipelines: p.pipelines.map(pipelineText),
      pipelinesTitle: `Pipelines that used it (${p.pipelinesTotal})`,
      ...(more === undefined ? {} : { more }),
    };
  });
  const morePaths = moreText(cs.paths.length, cs.totals.paths, cs.totals.paths - cs.paths.length === 1 ? "path" : "paths");
  const moreRuns = moreText(cs.recentRuns.length, cs.totals.recentRuns, cs.totals.recentRuns - cs.recentRuns.length === 1 ? "run" : "runs");
  return {
    summary: `${plural(cs.totals.paths, "path")}, ${plural(cs.totals.recentRuns, "recent run")}`,
    paths,
    ...(morePaths === undefined ? {} : { morePaths }),
    runsTitle: `Recent runs (${cs.totals.recentRuns}), newest first`,
    runs: cs.recentRuns.map(recentRunText),
    ...(cs.recentRuns.length > 0 ? { lastRunNote: "the run that last deployed through them" } : {}),
    ...(moreRuns === undefined ? {} : { moreRuns }),
    ...(cs.windowStart === undefined ? {} : { window: `Runs since ${utcMinute(cs.windowStart)}` }),
  };
}

/** A changed resource's run lines (`devopsRuns[].text`), and `N more` when the API cut the list. */
export function changeRunsText(entry: ChangeEntry): { runs: string[]; more?: string } {
  const runs = (entry.devopsRuns ?? []).map((r) => r.text);
  const more = moreText(
    runs.length,
    entry.devopsRunsTotal ?? runs.length,
    (entry.devopsRunsTotal ?? 0) - runs.length === 1 ? "run" : "runs",
  );
  return more === undefined ? { runs } : { runs, more };
}
