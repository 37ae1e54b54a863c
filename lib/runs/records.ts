import { z } from "zod";

import { snapshotManifestSchema } from "../cache/snapshot/manifest.js";
import { runErrorSchema } from "../topology/export-format.js";
import { type SubscriptionId, subscriptionIdSchema } from "../topology/subscription-id.js";

/** A run's life: queued → running → succeeded | partial (committed with recorded errors) | failed. */
export const runStatusSchema = z.enum(["queued", "running", "succeeded", "partial", "failed"]);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** One subscription's part of a run. */
export const subscriptionStatusSchema = z.enum(["queued", "running", "done", "failed"]);
export type SubscriptionStatus = z.infer<typeof subscriptionStatusSchema>;

/** What started a run. */
export const runTriggerSchema = z.enum(["http", "timer", "serve", "cli"]);
export type RunTrigger = z.infer<typeof runTriggerSchema>;

const callStats = z.object({ requests: z.number(), pages: z.number(), throttled: z.number(), retries: z.number() });

const typeStatsSchema = callStats.extend({
  type: z.string(),
  resources: z.number(),
  durationMs: z.number(),
  method: z.enum(["list", "get", "envelope"]),
  failed: z.boolean(),
});

/** The run's figures once it committed (or failed to). */
export const runResultSchema = z.object({
  committed: z.boolean(),
  resources: z.number(),
  edges: z.number(),
  external: z.number(),
  stale: z.number(),
  errors: z.number(),
  requests: z.number(),
  pages: z.number(),
  throttled: z.number(),
  retries: z.number(),
  durationMs: z.number(),
  /** Azure DevOps figures, for a run that read organisations. */
  devops: z
    .object({ organizations: z.number(), stale: z.number(), errors: z.number(), nodes: z.number(), edges: z.number(), runs: z.number() })
    .optional(),
});
export type RunResult = z.infer<typeof runResultSchema>;

/** A run's discovery filter, normalised (lib/runs/scope.ts); part of its scope. */
export const runFilterSchema = z.object({
  resourceGroups: z.array(z.string()).optional(),
  includeTypes: z.array(z.string()).optional(),
  excludeTypes: z.array(z.string()).optional(),
});

/**
 * A run's record: who started it, its scope lock (the owner token is the run id), the
 * subscriptions it covers (null until a tenant-wide run has listed them), and its outcome.
 */
export const runRecordSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  scope: z.string(),
  trigger: runTriggerSchema,
  status: runStatusSchema,
  requestedAt: z.string(),
  finishedAt: z.string().optional(),
  lock: z.object({ name: z.string(), fencingToken: z.number().int(), ttlMs: z.number().int() }),
  subscriptions: z.array(subscriptionIdSchema()).nullable(),
  /** What a filtered run reads (absent: everything); its scope includes it. */
  filter: runFilterSchema.optional(),
  /** Failures and calls of listing the subscriptions (tenant-wide runs). */
  planErrors: z.array(runErrorSchema),
  planStats: callStats,
  /** Azure DevOps organisation URLs the run also discovers, one step each (absent: none). */
  organizations: z.array(z.string()).optional(),
  /** Why a failed run failed. */
  failure: z.string().optional(),
  result: runResultSchema.optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/** One subscription's report: progress while it runs, then its figures and its staged part. */
export const subscriptionReportSchema = z.object({
  subscriptionId: subscriptionIdSchema(),
  status: subscriptionStatusSchema,
  /** Deliveries of its queue message so far. */
  attempts: z.number().int(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  typesDone: z.number(),
  typesTotal: z.number(),
  resources: z.number(),
  throttled: z.number(),
  /** Types finished so far, with their figures. */
  types: z.array(typeStatsSchema),
  errors: z.array(runErrorSchema),
  stats: callStats,
  /** Where the subscription's resources are staged until the run commits. */
  part: snapshotManifestSchema.optional(),
  /** The last failure of a delivery that did not finish (what the poison report quotes). */
  lastError: z.string().optional(),
});
export type SubscriptionReport = z.infer<typeof subscriptionReportSchema>;

/** A recorded failure of an Azure DevOps read (lib/devops `DevOpsError`). */
export const devopsErrorSchema = z.object({
  organization: z.string(),
  project: z.string().optional(),
  what: z.string(),
  code: z.string(),
  message: z.string(),
});

/**
 * One Azure DevOps organisation's step of a run: its progress, then its figures. A failed step
 * carries the organisation's previous snapshot forward (stale) when the run assembles.
 */
export const organizationReportSchema = z.object({
  /** The organisation's name (lower case), its key in the run. */
  organization: z.string(),
  url: z.string(),
  status: subscriptionStatusSchema,
  attempts: z.number().int(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  projects: z.number(),
  /** Projects carried forward from the previous snapshot (their reads failed). */
  staleProjects: z.number(),
  errors: z.array(devopsErrorSchema),
  stats: callStats,
  /** The last failure of a delivery that did not finish. */
  lastError: z.string().optional(),
});
export type OrganizationReport = z.infer<typeof organizationReportSchema>;

/** The pointer to a scope's latest run. */
export const latestRunSchema = z.object({ runId: z.string() });

/** A queue message: list the subscriptions of a tenant-wide run, discover one subscription, or one Azure DevOps organisation (by name). */
export const runMessageSchema = z.discriminatedUnion("kind", [
  z.object({ v: z.literal(1), kind: z.literal("plan"), runId: z.string().min(1).max(100) }),
  z.object({ v: z.literal(1), kind: z.literal("subscription"), runId: z.string().min(1).max(100), subscriptionId: subscriptionIdSchema() }),
  z.object({ v: z.literal(1), kind: z.literal("devops"), runId: z.string().min(1).max(100), organization: z.string().min(1).max(200) }),
]);
export type RunMessage = z.infer<typeof runMessageSchema>;

/** True when a run will not change any more. */
export function isFinal(status: RunStatus): boolean {
  return status === "succeeded" || status === "partial" || status === "failed";
}

/** A fresh report for a subscription no delivery has touched yet. */
export function queuedReport(subscriptionId: SubscriptionId): SubscriptionReport {
  return {
    subscriptionId,
    status: "queued",
    attempts: 0,
    typesDone: 0,
    typesTotal: 0,
    resources: 0,
    throttled: 0,
    types: [],
    errors: [],
    stats: { requests: 0, pages: 0, throttled: 0, retries: 0 },
  };
}

/** A fresh report for an organisation no delivery has touched yet. */
export function queuedOrganizationReport(organization: string, url: string): OrganizationReport {
  return {
    organization,
    url,
    status: "queued",
    attempts: 0,
    projects: 0,
    staleProjects: 0,
    errors: [],
    stats: { requests: 0, pages: 0, throttled: 0, retries: 0 },
  };
}
