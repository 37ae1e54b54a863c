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
export { discoverDevOps, type DiscoverDevOpsOptions } from "./discover.js";
export * from "./model.js";
export { serviceConnectionOf } from "./redact.js";
