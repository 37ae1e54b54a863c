import { armErrors, type ArmResponse } from "../arm-errors.js";
import { page } from "../paging.js";
import type { CatalogNamespace } from "../provider-catalog.js";
import type { HandlerContext } from "./context.js";

function providerBody(subscriptionId: string, ns: CatalogNamespace): unknown {
  return {
    id: `/subscriptions/${subscriptionId}/providers/${ns.namespace}`,
    namespace: ns.namespace,
    registrationState: "Registered",
    registrationPolicy: "RegistrationRequired",
    resourceTypes: ns.types.map((t) => ({
      resourceType: t.resourceType,
      locations: t.locations,
      apiVersions: t.apiVersions,
    })),
  };
}

/** `GET /subscriptions/{id}/providers`: every namespace with its types and api-versions (newest first). */
export function listProviders(ctx: HandlerContext, subscriptionId: string): ArmResponse {
  return page([...ctx.index.catalog.namespaces.values()], ctx, (ns) => providerBody(subscriptionId, ns));
}

/** `GET /subscriptions/{id}/providers/{namespace}`. */
export function getProvider(ctx: HandlerContext, subscriptionId: string, namespace: string): ArmResponse {
  const ns = ctx.index.catalog.namespace(namespace);
  return ns ? { status: 200, body: providerBody(subscriptionId, ns) } : armErrors.invalidNamespace(namespace);
}
