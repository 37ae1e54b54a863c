/**
 * Discovery over Azure Resource Manager: the readers, one subscription's discovery, a whole run,
 * the management-group ancestry, and the error a caller's abort ends it with. See docs/discovery.md.
 */
export { type ArmCalls, type ArmCallSettings, createArmCalls } from "./arm-calls.js";
export { ArmHttpReader, type ArmHttpReaderOptions, DEFAULT_MAX_PAGES } from "./arm-http.js";
export { type ArmReader, ArmRequestError, isArmRequestError } from "./arm-reader.js";
export { runDiscovery, type RunDiscoveryOptions } from "./discover.js";
export { discoverSubscription, type DiscoverSubscriptionOptions, type SubscriptionResult } from "./discover-subscription.js";
export { DiscoveryAbortedError, isDiscoveryAbortedError } from "./discovery-aborted.js";
export { ancestryOf, type ManagementGroupAncestry, type ManagementGroupRead, readManagementGroups } from "./management-groups.js";
