import { changeSourcesOf } from "../lib/api/queries/change-sources.js";
import { changersOptionsOf } from "../lib/devops/changers.js";
import type { TopologyExport } from "../lib/topology/export-format.js";

/** The sample web app the demo shows Azure DevOps' reach into. */
export const DEMO_WEB_APP = "app-web-prod-weu";

const levels: Record<string, string> = {
  resource: "the resource itself",
  resourceGroup: "its resource group",
  subscription: "its subscription",
  managementGroup: "a management group above it",
};

/**
 * The demo's Azure DevOps lines: for the sample web app, the connections and pipelines that can
 * deploy to it (through its scope chain) and the run that last did; then the links' counts.
 */
export function devopsDemoLines(result: TopologyExport, api?: string): string[] {
  const section = result.devops;
  if (section === undefined) return [];
  const web = result.resources.find((r) => r.type.toLowerCase() === "microsoft.web/sites" && r.name === DEMO_WEB_APP);
  const lines = [`  Azure DevOps (the sample organisation ${section.organizations.map((o) => o.organization).join(", ")}):`];
  const byRelation = new Map<string, number>();
  for (const e of section.edges) byRelation.set(e.relation, (byRelation.get(e.relation) ?? 0) + 1);
  lines.push(
    `    links: ${[...byRelation].map(([r, n]) => `${r} ${n}`).join(", ")} (deploys and trusts say who can change what; the failure model never follows them)`,
  );
  if (web === undefined) return lines;
  // The groups above the web app's subscription (scope.managementGroups) end its scope chain.
  const sources = changeSourcesOf(section, web.key, changersOptionsOf(result));
  const groups = (p: { level: string; scope: string }) => (p.level === "managementGroup" ? ` ${p.scope.split("/").pop()}` : "");
  lines.push(`    who can deploy to the web app ${web.name}:`);
  for (const p of sources.paths) {
    const pipelines = p.pipelines.map((x) => x.name).join(", ") || "no pipeline used it in the window";
    lines.push(
      `      ${p.via.kind === "serviceConnection" ? "service connection" : "environment"} ${p.via.name}, scoped to ${levels[p.level] ?? p.level}${groups(p)}: ${pipelines}`,
    );
  }
  const [last] = sources.recentRuns;
  if (last === undefined) lines.push(`    no run used them since ${sources.windowStart ?? "the window's start"}`);
  else {
    const at = last.startTime === undefined ? "" : ` started ${last.startTime.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC")}`;
    lines.push(
      `    the run that last deployed through them: pipeline ${last.pipelineName ?? last.pipelineKey} run ${last.id}${last.name === undefined ? "" : ` (${last.name})`}, ${last.result ?? "result unknown"}${at}, through ${last.via.map((v) => v.name).join(", ")}`,
    );
  }
  if (api !== undefined) lines.push(`    ${api}/resources/detail?id=${encodeURIComponent(web.key)}  (changeSources)`);
  return lines;
}
