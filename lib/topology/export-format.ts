import { z } from "zod";

/** Relation labels of docs/interfaces.md section 3. */
export const relationSchema = z.enum(["contains", "network", "hosting", "data", "identity", "security", "monitoring", "reference"]);

/**
 * One resource of an export: the ARM object as discovery read it (extra ARM fields such as
 * `identity`, `zones` and `managedBy` kept), plus its canonical key and the parts of its id.
 * `stale` marks a resource carried forward from an earlier run because its type could not be read.
 */
export const exportResourceSchema = z.looseObject({
  key: z.string(),
  id: z.string(),
  type: z.string(),
  name: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string().optional(),
  location: z.string().optional(),
  kind: z.string().optional(),
  sku: z.record(z.string(), z.unknown()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  properties: z.unknown().optional(),
  stale: z.boolean().optional(),
});

/**
 * How an edge's direction was decided (lib/topology/edge-rules.ts `Direction`). Additive to
 * version 1: exports written before it have no `direction`.
 */
export const directionSchema = z.enum(["containment", "writable", "read-only mirror", "rule", "inferred"]);

/** A dependency edge: `from` depends on `to`. */
export const edgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  relation: relationSchema,
  via: z.string(),
  direction: directionSchema.optional(),
});

/** A failure recorded in a run: a type or a whole subscription that could not be read. */
export const runErrorSchema = z.object({
  subscriptionId: z.string(),
  type: z.string(),
  code: z.string(),
  message: z.string(),
  attempts: z.number().int().nonnegative(),
});

/** Request counters of a run, or of one type within it. */
export const callStatsSchema = z.object({
  requests: z.number(),
  throttled: z.number(),
  retries: z.number(),
});

/**
 * Relations of DevOps edges (docs/interfaces.md section 3): `uses` (a pipeline uses a repository
 * or service connection), `deploys` (a connection can deploy to an Azure scope, a pipeline to an
 * environment, an environment resource to its cluster or VM), `trusts` (an identity's federated
 * credential trusts a connection or repository).
 */
export const devopsRelationSchema = z.enum(["uses", "deploys", "trusts"]);

/** A DevOps object as a node: project, repository, pipeline, environment or service connection. */
export const devopsNodeSchema = z.looseObject({
  key: z.string(),
  kind: z.enum(["project", "repository", "pipeline", "environment", "serviceConnection"]),
  name: z.string(),
  organization: z.string(),
  projectKey: z.string().optional(),
  stale: z.boolean().optional(),
});

/**
 * A DevOps edge, `from` -relation-> `to`. `changeSource` edges (deploys, trusts) say who can change
 * `to`; they are not failure dependencies, so the failure model never reads them (they are kept
 * apart from `edges`).
 */
export const devopsEdgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  relation: devopsRelationSchema,
  via: z.string(),
  changeSource: z.boolean(),
});

/** Export version 2's addition: the DevOps organisations read, their nodes, edges and recent runs. */
export const devopsSectionSchema = z.object({
  organizations: z.array(z.looseObject({ organization: z.string(), url: z.string(), readAt: z.string(), windowStart: z.string() })),
  nodes: z.array(devopsNodeSchema),
  edges: z.array(devopsEdgeSchema),
  /** Runs inside the window: each with the pipeline, and the connections and environments it used. */
  runs: z.array(z.looseObject({ key: z.string(), pipelineKey: z.string(), startTime: z.string().optional() })),
});

/**
 * The export format (docs/interfaces.md section 3): version 2 adds the optional `devops` section and
 * nothing else, so a version 1 export is read unchanged.
 */
export const exportSchema = z.object({
  version: z.union([z.literal(1), z.literal(2)]),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  scope: z.looseObject({ subscriptions: z.array(z.string()) }),
  resources: z.array(exportResourceSchema),
  external: z.array(z.object({ key: z.string(), id: z.string(), type: z.string() })),
  edges: z.array(edgeSchema),
  errors: z.array(runErrorSchema),
  stats: z.looseObject({
    durationMs: z.number(),
    requests: z.number(),
    throttled: z.number(),
    retries: z.number(),
    resources: z.number(),
    edges: z.number(),
  }),
  devops: devopsSectionSchema.optional(),
});

export type ExportResource = z.infer<typeof exportResourceSchema>;
export type ExportEdge = z.infer<typeof edgeSchema>;
export type RunError = z.infer<typeof runErrorSchema>;
export type TopologyExport = z.infer<typeof exportSchema>;
export type DevOpsNode = z.infer<typeof devopsNodeSchema>;
export type DevOpsEdge = z.infer<typeof devopsEdgeSchema>;
export type DevOpsSection = z.infer<typeof devopsSectionSchema>;
