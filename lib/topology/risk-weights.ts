/**
 * The weights of the risk score, as data (docs/topology.md explains the formula and works
 * examples). Change a weight here, and the docs' examples with it.
 */
import type { RedundancyLevel } from "./redundancy-rules.js";

/** Weights of the risk score. */
export interface RiskWeights {
  /** Points for each doubling of the blast radius: `perDoubling × log2(1 + blastRadius)`. @default 10 */
  blastPointsPerDoubling: number;
  /** Cap on the blast-radius points. @default 50 */
  blastCap: number;
  /** Points for each doubling of the entry points reached: `perDoubling × log2(1 + entryPoints)`. @default 10 */
  entryPointsPerDoubling: number;
  /** Cap on the entry-point points. @default 30 */
  entryCap: number;
  /** Points for what a resource is, by lower-cased type or `namespace/*`; the most specific wins. @default kindPoints */
  kind: Readonly<Record<string, number>>;
  /** Points for a type the `kind` table does not name. @default 8 */
  defaultKindPoints: number;
  /** Multiplier by redundancy level. @default { none: 1, instance: 0.7, zone: 0.5, region: 0.4 } */
  redundancy: Readonly<Record<RedundancyLevel, number>>;
}

/**
 * Points by kind (at most 20): state that is hard to rebuild and secrets first, then the shared
 * plumbing many things run through, then workloads, then telemetry.
 */
export const kindPoints: Readonly<Record<string, number>> = {
  "microsoft.sql/*": 20,
  "microsoft.documentdb/*": 20,
  "microsoft.storage/*": 20,
  "microsoft.dbforpostgresql/*": 20,
  "microsoft.dbformysql/*": 20,
  "microsoft.keyvault/*": 18,
  "microsoft.servicebus/*": 18,
  "microsoft.eventhub/*": 18,
  "microsoft.cache/*": 16,
  "microsoft.network/*": 14,
  "microsoft.managedidentity/*": 14,
  "microsoft.containerservice/*": 14,
  "microsoft.containerregistry/*": 14,
  "microsoft.apimanagement/*": 14,
  "microsoft.web/*": 12,
  "microsoft.compute/*": 12,
  "microsoft.app/*": 12,
  "microsoft.insights/*": 4,
  "microsoft.operationalinsights/*": 4,
  "microsoft.alertsmanagement/*": 4,
  "microsoft.portal/*": 2,
};

/** The weights TopDeck uses by default. */
export const defaultRiskWeights: RiskWeights = {
  blastPointsPerDoubling: 10,
  blastCap: 50,
  entryPointsPerDoubling: 10,
  entryCap: 30,
  kind: kindPoints,
  defaultKindPoints: 8,
  redundancy: { none: 1, instance: 0.7, zone: 0.5, region: 0.4 },
};
