/**
 * Azure DevOps discovery: the pipelines and service connections that deploy into the estate
 * (docs/devops.md). Connect with {@link connectDevOps}, pace with {@link createDevOpsCalls}, read
 * with {@link discoverDevOps}.
 */
export { AZURE_DEVOPS_RESOURCE, connectDevOps, type ConnectOptions, type DevOpsAuth, devopsAuthOf } from "./auth.js";
export {
  createDevOpsCalls,
  type DevOpsCalls,
  type DevOpsCallSettings,
  type DevOpsCallStats,
  devopsLimiter,
  DevOpsRequestError,
  isDevOpsRequestError,
} from "./calls.js";
export {
  annotateChanges,
  type ChangeAnnotation,
  type ChangePath,
  type Changers,
  changersOf,
  type ChangersOptions,
  changersOptionsOf,
  managementGroupsOf,
  scopeChain,
} from "./changers.js";
export { devopsError, discoverDevOps, type DiscoverDevOpsOptions } from "./discover.js";
export { devopsSection, type LinkedRun, parseFederatedSubject } from "./links.js";
export * from "./model.js";
export { loadDevOpsSnapshot, saveDevOpsSnapshot } from "./previous.js";
export { serviceConnectionOf } from "./redact.js";
