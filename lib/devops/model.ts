// What DevOps discovery returns: one organisation's objects, normalised, with stable keys.
// Keys are lower-cased `devops://{org}/...` paths built from ids, never names, so a rename keeps them.

/** A run of a pipeline, a release deployment or an environment deployment, inside the window. */
export interface DevOpsRun {
  key: string;
  /** `build` (YAML or classic pipeline run), `release` (release deployment), `environment` (deployment record). */
  kind: "build" | "release" | "environment";
  id: number;
  /** Key of the pipeline or release definition that ran. */
  pipelineKey: string;
  name?: string;
  result?: string;
  startTime?: string;
  finishTime?: string;
  /** For environment deployment records: the environment's key. */
  environmentKey?: string;
}

/** A use of a service connection (its execution history), inside the window. */
export interface DevOpsConnectionUse {
  connectionKey: string;
  /** Key of the pipeline or release definition whose run used it. */
  pipelineKey: string;
  runId: number;
  planType?: string;
  result?: string;
  startTime?: string;
  finishTime?: string;
}

export interface DevOpsRepository {
  key: string;
  id: string;
  name: string;
  defaultBranch?: string;
}

export interface DevOpsPipeline {
  key: string;
  id: number;
  name: string;
  /** `yaml` (process type 2) or `classic` (designer build) or `release` (release definition). */
  kind: "yaml" | "classic" | "release";
  folder?: string;
  yamlPath?: string;
  /** Key of its repository, when it is an Azure Repos Git repository of the organisation. */
  repositoryKey?: string;
  /** Repository as the definition names it (id, name, type: TfsGit, GitHub, ...). */
  repository?: { id: string; name?: string; type: string };
  /** Release definitions: their stages. */
  stages?: { id: number; name: string }[];
}

/** A resource of an environment: a Kubernetes namespace on a cluster, or a VM with an agent. */
export interface DevOpsEnvironmentResource {
  id: number;
  name: string;
  type: "kubernetes" | "virtualMachine" | "generic";
  clusterName?: string;
  namespace?: string;
  /** Key of the service connection used to reach the cluster. */
  connectionKey?: string;
  tags?: string[];
}

export interface DevOpsEnvironment {
  key: string;
  id: number;
  name: string;
  resources: DevOpsEnvironmentResource[];
}

/** A service connection without its secrets: type, Azure scope, authorisation scheme. */
export interface DevOpsServiceConnection {
  key: string;
  id: string;
  name: string;
  type: string;
  url?: string;
  /** `Subscription`, `ManagementGroup`, ... as `data.scopeLevel` says. */
  scopeLevel?: string;
  /** The Azure scope it can deploy to, lower-cased: a subscription, resource group or management group id. */
  azureScope?: string;
  /** `ServicePrincipal`, `WorkloadIdentityFederation`, `ManagedServiceIdentity`, ... */
  authorizationScheme?: string;
  /** Non-secret authorisation fields (tenant, principal id, WIF issuer/subject); values of anything else are dropped. */
  authorization: Record<string, string>;
  /** Non-secret `data` fields (subscription id and name, environment, scope level). */
  data: Record<string, string>;
  /** Keys of the projects it is shared with. */
  projectKeys: string[];
}

export interface DevOpsProject {
  key: string;
  id: string;
  name: string;
  state?: string;
  /** Carried forward from an earlier snapshot because it could not be read this time. */
  stale?: boolean;
  repositories: DevOpsRepository[];
  pipelines: DevOpsPipeline[];
  environments: DevOpsEnvironment[];
  runs: DevOpsRun[];
  connectionUses: DevOpsConnectionUse[];
}

/** A failure of one DevOps read, recorded; the project it belongs to is carried forward. */
export interface DevOpsError {
  organization: string;
  project?: string;
  what: string;
  code: string;
  message: string;
}

/** One organisation, discovered. */
export interface DevOpsSnapshot {
  organization: string;
  url: string;
  readAt: string;
  /** Start of the runs window (ISO-8601). */
  windowStart: string;
  projects: DevOpsProject[];
  serviceConnections: DevOpsServiceConnection[];
  errors: DevOpsError[];
  stats: { requests: number; throttled: number; retries: number; pages: number };
  /** Carried forward whole from an earlier snapshot: this run could not read the organisation. */
  stale?: boolean;
}

/** The key of an organisation-level or project-level DevOps object. */
export function devopsKey(org: string, ...parts: (string | number)[]): string {
  return ["devops:/", org, ...parts.map(String)].join("/").toLowerCase();
}

/**
 * The organisation's name in its URL, lower-cased: `https://dev.azure.com/{org}` (or an
 * emulator's `https://127.0.0.1:PORT/{org}`), else the first label of `{org}.visualstudio.com`.
 */
export function organizationOf(orgUrl: string): string {
  const url = new URL(orgUrl);
  const [first] = url.pathname.split("/").filter(Boolean);
  return (first ?? url.hostname.split(".")[0] ?? orgUrl).toLowerCase();
}
