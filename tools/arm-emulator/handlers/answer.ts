import { isWellFormedApiVersion } from "../api-versions.js";
import { armErrors, type ArmResponse } from "../arm-errors.js";
import type { RouteTarget } from "../routes.js";
import type { HandlerContext } from "./context.js";
import { listGenericResources } from "./generic-list.js";
import { listEntities } from "./management-groups.js";
import { getProvider, listProviders } from "./providers.js";
import { getResource, listCollection } from "./resources.js";
import { getResourceGroup, getSubscription, listResourceGroups, listSubscriptions } from "./subscriptions.js";

/** Answers a matched GET from the estate: the route's handler, or the ARM error that applies. */
export function answerRoute(target: RouteTarget, ctx: HandlerContext): ArmResponse {
  if (target.kind === "unknown") return armErrors.pathNotFound(ctx.path);
  if (target.kind !== "collection" && target.kind !== "resource" && !isWellFormedApiVersion(ctx.apiVersion)) {
    // ARM's own routes take any of its dated versions; provider routes check the type's list.
    return armErrors.invalidApiVersion(ctx.apiVersion);
  }
  if (target.kind === "subscriptions") return listSubscriptions(ctx);
  if (target.kind === "entities") return listEntities(ctx);
  const indexed = ctx.index.subscriptions.get(target.subscriptionId.toLowerCase());
  if (!indexed) return armErrors.subscriptionNotFound(target.subscriptionId);
  const subscription = indexed.subscription;
  switch (target.kind) {
    case "subscription":
      return getSubscription(subscription);
    case "resourceGroups":
      return listResourceGroups(ctx, subscription);
    case "resourceGroup":
      return getResourceGroup(ctx, subscription, target.resourceGroup);
    case "genericList":
      return listGenericResources(ctx, indexed, target.resourceGroup);
    case "providers":
      return listProviders(ctx, subscription.subscriptionId);
    case "provider":
      return getProvider(ctx, subscription.subscriptionId, target.namespace);
    case "collection":
      return listCollection(ctx, target.path);
    case "resource":
      return getResource(ctx, target.path);
  }
}
