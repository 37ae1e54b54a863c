/**
 * The failure model: what is down, degraded, observability-impaired or unknown when resources, a
 * zone or a region fail (docs/topology.md, "Failure model").
 */
export type { FailureAnswer, FailureEntry, FailurePage, FailureReason, GroupReason, PathReason } from "./answer.js";
export { answerOf, decodeOffsetCursor, DEFAULT_FAILURE_LIMIT, encodeOffsetCursor, MAX_FAILURE_LIMIT, scenarioAnswer } from "./answer.js";
export type { DependencyKind, DependencyRule, EdgeFacts } from "./dependency-rules.js";
export { dependencyRules } from "./dependency-rules.js";
export type { FailureModel, FailureModelOptions, Groups } from "./model.js";
export { buildFailureModel, failureModelOf } from "./model.js";
export type { Placements } from "./placement.js";
export { placementsOf } from "./placement.js";
export type { NodePool, PlacementDecision, PlacementRule } from "./placement-rules.js";
export { ALL_ZONES, placementRules, regionName } from "./placement-rules.js";
export type { OwnLoss, Propagation, Seeds } from "./propagate.js";
export { propagate } from "./propagate.js";
export type { ChangeRisk, FailureRiskScan, PlacementSummary, SinglePointOfFailure, ZoneExposure } from "./risk-scan.js";
export { estateZones, failureRiskScan, placementSummary } from "./risk-scan.js";
export type { FailureSet, ResolvedScenario, SeedCause, ZoneRef } from "./scenario.js";
export { resolveScenario, seedsOf } from "./scenario.js";
export type { SingleFailureCounts } from "./single-failures.js";
export { singleFailureCounts } from "./single-failures.js";
export type { FactSource, FactSourceKey } from "./sources.js";
export { factSources } from "./sources.js";
