// The API's answers as the page reads them (docs/interfaces.md section 4); only the fields it uses.

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
  resource: { key: string; type: string; name?: string; subscriptionId?: string; location?: string; resourceGroup?: string; properties?: unknown; tags?: Record<string, string>; sku?: unknown; kind?: string };
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

export interface Changes {
  since: string;
  resources: { added: { key: string; type?: string; name?: string }[]; removed: { key: string; type?: string; name?: string }[]; changed: { key: string; paths: string[] }[] };
  totals: { resources: { added: number; removed: number; changed: number }; edges: { added: number; removed: number } };
}

export interface Run {
  runId: string;
  status: string;
  progress: { subscriptions: { total: number | null; done: number; failed: number } };
  subscriptions: { subscriptionId: string; status: string; typesDone: number; typesTotal: number; types: Record<string, { resources: number; failed?: boolean }> }[];
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
