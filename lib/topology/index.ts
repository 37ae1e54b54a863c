/**
 * Topology analysis over the export format: the compact graph, blast radius, redundancy and
 * single points of failure, risk, changes between exports, and JSON / Mermaid / DOT exports.
 * Pure functions, no I/O: the function app, the CLI and any front end share them.
 */
export type { Check, RelatedResource, RuleContext, ValueTest } from "./checks.js";
export {
  absentOrNot,
  atLeast,
  dependency,
  dependent,
  every,
  isTrue,
  matches,
  minItems,
  oneOf,
  present,
  property,
  ruleContext,
} from "./checks.js";
export type { DiffOptions, DiffSource, ResourceChange, ResourceRef, TopologyDiff } from "./diff.js";
export { changedPaths, diffExports, volatileFields } from "./diff.js";
export type { RenderDotOptions } from "./dot.js";
export { escapeDot, renderDot } from "./dot.js";
export type { Direction, Relation } from "./edge-rules.js";
export type { EntryPointRule } from "./entry-point-rules.js";
export { entryPointRules } from "./entry-point-rules.js";
export type { EntryPointMatch, EntryPoints } from "./entry-points.js";
export { entryPoints } from "./entry-points.js";
export type { ExportEdge, ExportResource, TopologyExport } from "./export-format.js";
export { exportSchema } from "./export-format.js";
export * from "./failure/index.js";
export type { GraphSource, Neighbour, NodeOrigin } from "./graph.js";
export { buildGraph, MONITORING, relationCodes, TopologyGraph } from "./graph.js";
export { canonicalKey, parseResourceId } from "./ids.js";
export type { Impact, ImpactedResource, ImpactOptions } from "./impact.js";
export { impactOf } from "./impact.js";
export type { RenderMermaidOptions } from "./mermaid.js";
export { escapeMermaid, renderMermaid } from "./mermaid.js";
export type { Found } from "./property-path.js";
export { valueAt, valuesAt } from "./property-path.js";
export type { ReachCounts } from "./reach.js";
export { reachCounts } from "./reach.js";
export type { Redundancy, RedundancyAssessor, RedundancyEvidence } from "./redundancy.js";
export { redundancyAssessor, redundancyLevels, redundancyOf } from "./redundancy.js";
export type { RedundancyLevel, RedundancyRule } from "./redundancy-rules.js";
export { redundancyRules } from "./redundancy-rules.js";
export type { RenderJsonOptions } from "./render-json.js";
export { renderJson } from "./render-json.js";
export type { RiskFactor, RiskInputs, RiskOptions, RiskScore } from "./risk.js";
export { kindPointsOf, riskOf, riskScan, scoreRisk } from "./risk.js";
export type { RiskWeights } from "./risk-weights.js";
export { defaultRiskWeights, kindPoints } from "./risk-weights.js";
export type { Components } from "./scc.js";
export { outageComponents } from "./scc.js";
export type { NodeGroup, ScopedGraph, TopologyScope } from "./scope.js";
export { groupBySubscription, scopeOf } from "./scope.js";
export type { SpofOptions } from "./spof.js";
export { singlePointsOfFailure } from "./spof.js";
