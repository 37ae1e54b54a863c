import { armErrors, type ArmResponse } from "../arm-errors.js";
import { canonicalKey, fullType, pathSegments, type ProviderPath } from "../ids.js";
import { page } from "../paging.js";
import type { CatalogType } from "../provider-catalog.js";
import type { HandlerContext } from "./context.js";

/** The type a path names, if the estate knows it and offers the requested api-version. */
function resolveType(ctx: HandlerContext, path: ProviderPath, location: string | undefined): CatalogType | ArmResponse {
  const ns = ctx.index.catalog.namespace(path.namespace);
  if (!ns) return armErrors.invalidNamespace(path.namespace);
  const type = ctx.index.catalog.type(fullType(path));
  if (!type) return armErrors.invalidResourceType(path.types.join("/"), ns.namespace, ctx.apiVersion);
  const wanted = ctx.apiVersion.toLowerCase();
  if (!type.apiVersions.some((v) => v.toLowerCase() === wanted)) {
    const at = location ?? type.locations[0] ?? "global";
    return armErrors.noRegisteredProvider(at, ctx.apiVersion, type.resourceType, type.apiVersions, type.locations);
  }
  return type;
}

/** Why nothing is found under a path: a missing group or parent, or undefined when both exist. */
function missingScope(ctx: HandlerContext, path: ProviderPath, segments: readonly string[]): ArmResponse | undefined {
  if (path.resourceGroup !== undefined) {
    const group = canonicalKey(`/subscriptions/${path.subscriptionId}/resourcegroups/${path.resourceGroup}`);
    if (!ctx.index.resourceGroups.has(group)) return armErrors.resourceGroupNotFound(path.resourceGroup);
  }
  if (segments.length > path.scope.length + 4) {
    const parent = segments.slice(0, -2);
    if (!ctx.index.resources.has(canonicalKey(parent.join("/")))) {
      return armErrors.parentResourceNotFound(parent[parent.length - 1] ?? "");
    }
  }
  return undefined;
}

function isError(x: CatalogType | ArmResponse): x is ArmResponse {
  return "status" in x;
}

/**
 * `GET .../providers/{ns}/{type}` (a subscription's or group's resources of a top-level type) and
 * `GET {parentId}/{childType}` (children under a parent): full objects, paged.
 */
export function listCollection(ctx: HandlerContext, path: ProviderPath): ArmResponse {
  const type = resolveType(ctx, path, undefined);
  if (isError(type)) return type;
  const segments = pathSegments(ctx.path);
  const items = ctx.index.collections.get(canonicalKey(ctx.path));
  if (!items) {
    const missing = missingScope(ctx, path, [...segments, "(name)"]);
    if (missing) return missing;
  }
  return page(items ?? [], ctx, (r) => r.body);
}

/** `GET {resourceId}`: the full object of any resource, children included, exactly as in the estate. */
export function getResource(ctx: HandlerContext, path: ProviderPath): ArmResponse {
  const found = ctx.index.resources.get(canonicalKey(ctx.path));
  const type = resolveType(ctx, path, found?.body.location);
  if (isError(type)) return type;
  if (found) return { status: 200, body: found.body };
  const segments = pathSegments(ctx.path);
  const missing = missingScope(ctx, path, segments);
  if (missing) return missing;
  const named = segments.slice(path.scope.length + 1).join("/");
  return armErrors.resourceNotFound(named, path.resourceGroup);
}
