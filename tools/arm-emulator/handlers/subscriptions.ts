import type { EstateSubscription } from "../../estates/schema.js";
import { armErrors, type ArmResponse } from "../arm-errors.js";
import type { IndexedResourceGroup } from "../estate-index.js";
import { page } from "../paging.js";
import { emulatorTenantId, type HandlerContext } from "./context.js";

function subscriptionBody(s: EstateSubscription): unknown {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: emulatorTenantId,
    displayName: s.displayName,
    state: "Enabled",
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
  };
}

function resourceGroupBody(g: IndexedResourceGroup): unknown {
  return {
    id: g.id,
    name: g.name,
    type: "Microsoft.Resources/resourceGroups",
    location: g.location,
    properties: { provisioningState: "Succeeded" },
  };
}

/** `GET /subscriptions`: every subscription of the estate. */
export function listSubscriptions(ctx: HandlerContext): ArmResponse {
  const all = [...ctx.index.subscriptions.values()].map((s) => s.subscription);
  const answer = page(all, ctx, subscriptionBody);
  if (answer.status === 200) Object.assign(answer.body as object, { count: { type: "Total", value: all.length } });
  return answer;
}

/** `GET /subscriptions/{id}`. */
export function getSubscription(subscription: EstateSubscription): ArmResponse {
  return { status: 200, body: subscriptionBody(subscription) };
}

/** `GET /subscriptions/{id}/resourcegroups`: groups derived from resource ids. */
export function listResourceGroups(ctx: HandlerContext, subscription: EstateSubscription): ArmResponse {
  return page(ctx.index.resourceGroupsOf(subscription.subscriptionId), ctx, resourceGroupBody);
}

/** `GET /subscriptions/{id}/resourcegroups/{name}`. */
export function getResourceGroup(ctx: HandlerContext, subscription: EstateSubscription, name: string): ArmResponse {
  const key = `/subscriptions/${subscription.subscriptionId}/resourcegroups/${name}`.toLowerCase();
  const group = ctx.index.resourceGroups.get(key);
  return group ? { status: 200, body: resourceGroupBody(group) } : armErrors.resourceGroupNotFound(name);
}
