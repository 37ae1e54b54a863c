// The API's answers as the page reads them (docs/interfaces.md section 4); only the fields it uses. test/web/explorer-types.check.ts
// checks at type-check time that the API's answer types still fit these.

export interface CountList {
  rows: { name: string; count: number }[];
  distinct: number;
}

export interface Summary {
  resources: number;
  subscriptions: CountList;
  resourceGroups: CountList;
  types: CountList;
  locations: CountList;
  mostDependedOn: { key: string; type: string; name: string; dependents: number }[];
  keptRuns: string[];
  snapshot: { runId: string };
}

export interface ResourceSummary {
  key: string;
  id: string;
  type: string;
  name: string;
  resourceGroup?: string;
  location?: string;
  tags?: Record<string, string>;
}

export interface ResourcePage {
  items: ResourceSummary[];
  next?: string;
}

export interface GraphNode {
  key: string;
  type: string;
  name: string;
  origin: string;
  resourceGroup?: string;
  level: number;
  more: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  relation: string;
  via: string;
  direction?: string;
}

export interface Neighbourhood {
  resource: {
    key: string;
    type: string;
    name?: string;
    subscriptionId?: string;
    location?: string;
    resourceGroup?: string;
    properties?: unknown;
    tags?: Record<string, string>;
    sku?: unknown;
    kind?: string;
  };
  redundancy?: { level: string; evidence: { rule: string; level: string; evidence: string }[] };
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

export interface FailureEntry {
  key: string;
  type: string;
  name: string;
  distance: number;
  reason: { kind: string; path?: string[]; relations?: string[]; group?: string; lost?: number; of?: number; detail?: string };
}

export interface FailureAnswer {
  down: FailureEntry[];
  degraded: FailureEntry[];
  observability: FailureEntry[];
  unknown: FailureEntry[];
  entryPoints: { down: FailureEntry[]; degraded: FailureEntry[] };
  totals: { down: number; degraded: number; observability: number; unknown: number; entryPointsDown: number; entryPointsDegraded: number };
  truncated: boolean;
}

export interface Risk {
  totals: { resources: number; singlePointsOfFailure: number; zones: number };
  singlePointsOfFailure: { key: string; type: string; name: string; entryPointsDown: number; down: number }[];
  zones: { region: string; zone: string; totals: FailureAnswer["totals"]; entryPointsDown: { key: string; name: string }[] }[];
}

/** A run that used a connection or environment reaching a changed resource inside the change window. */
export interface ChangeRun {
  pipeline: string;
  runId: number;
  via: string;
  at: string;
  /** A line for people: `pipeline web-deploy run 311 used sc-web-prod at 10:40`. */
  text: string;
}

/** A resource entry of `GET /changes`; `devopsRuns` when the snapshot read Azure DevOps. */
export interface ChangeEntry {
  key: string;
  type?: string;
  name?: string;
  paths?: string[];
  /** At most 10, newest first. */
  devopsRuns?: ChangeRun[];
  /** Exact count of `devopsRuns` before the cut. */
  devopsRunsTotal?: number;
}

export interface Changes {
  since: string;
  resources: { added: ChangeEntry[]; removed: ChangeEntry[]; changed: (ChangeEntry & { paths: string[] })[] };
  totals: { resources: { added: number; removed: number; changed: number }; edges: { added: number; removed: number } };
  /** The window runs are looked for in: the `since` run's start to the current run's finish. */
  devopsWindow?: { from: string; to: string };
}

/** An Azure DevOps object as the API shows it (docs/api.md, "Azure DevOps in the answers"). */
export interface DevOpsRef {
  key: string;
  kind: string;
  name: string;
  organization: string;
  type?: string;
  azureScope?: string;
  authorizationScheme?: string;
  pipelineKind?: string;
  yamlPath?: string;
}

/** How far up a resource's scope chain a connection or environment reaches it. */
export type ChangeLevel = "resource" | "resourceGroup" | "subscription" | "managementGroup";

/** A run in the window that used one of the paths. */
export interface RecentRun {
  key: string;
  /** `build`, `release` or `environment` (an environment deployment record), as the snapshot holds it. */
  kind: string;
  id: number;
  pipelineKey: string;
  pipelineName?: string;
  name?: string;
  result?: string;
  startTime?: string;
  finishTime?: string;
  via: DevOpsRef[];
}

/** `changeSources` of `GET /resources/detail`: who can change the resource from Azure DevOps, and who recently did. */
export interface ChangeSources {
  paths: { via: DevOpsRef; level: ChangeLevel; scope: string; pipelines: DevOpsRef[]; pipelinesTotal: number }[];
  /** Newest first: `[0]` is the run that last deployed through the paths. */
  recentRuns: RecentRun[];
  totals: { paths: number; recentRuns: number };
  truncated: boolean;
  windowStart?: string;
}

/** `GET /resources/detail`: only what the page reads of it. */
export interface ResourceDetail {
  resource: { key: string };
  changeSources?: ChangeSources;
}

export interface Run {
  runId: string;
  status: string;
  progress: { subscriptions: { total: number | null; done: number; failed: number } };
  subscriptions: {
    subscriptionId: string;
    status: string;
    typesDone: number;
    typesTotal: number;
    types: Record<string, { resources: number; failed?: boolean }>;
  }[];
  errors: unknown[];
}

export interface GroupView {
  group: { subscriptionId: string; resourceGroup: string; resources: number };
  types: { type: string; count: number }[];
  nodes: { id: string; kind: "type" | "resource" | "group" | "others"; label: string; type: string; count: number }[];
  edges: { from: string; to: string; relations: string[]; count: number }[];
  edgesLeftOut: number;
  groupsFolded: number;
}

export interface Caller {
  kind: "local" | "key" | "principal";
  roles: string[];
  canStartRuns: boolean;
}
