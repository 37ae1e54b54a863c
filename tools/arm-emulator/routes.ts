import { parseProviderPath, pathSegments, type ProviderPath } from "./ids.js";
import type { ThrottleScope } from "./throttle.js";

/** Route templates as the request log names them. */
export const routeTemplates = {
  subscriptions: "/subscriptions",
  entities: "/providers/Microsoft.Management/getEntities",
  subscription: "/subscriptions/{subscriptionId}",
  resourceGroups: "/subscriptions/{subscriptionId}/resourcegroups",
  resourceGroup: "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}",
  resources: "/subscriptions/{subscriptionId}/resources",
  resourceGroupResources: "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/resources",
  providers: "/subscriptions/{subscriptionId}/providers",
  provider: "/subscriptions/{subscriptionId}/providers/{namespace}",
  typeList: "/subscriptions/{subscriptionId}/providers/{namespace}/{type}",
  resourceGroupTypeList: "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/providers/{namespace}/{type}",
  childList: "{parentId}/{childType}",
  resourceById: "{resourceId}",
  unknown: "(unknown)",
} as const;

/** A route template the request log counts under. */
export type RouteTemplate = (typeof routeTemplates)[keyof typeof routeTemplates];

/** What a request path asks for. */
export type RouteTarget =
  | { kind: "subscriptions" }
  /** `POST /providers/Microsoft.Management/getEntities`: the management group hierarchy. */
  | { kind: "entities" }
  | { kind: "subscription"; subscriptionId: string }
  | { kind: "resourceGroups"; subscriptionId: string }
  | { kind: "resourceGroup"; subscriptionId: string; resourceGroup: string }
  | { kind: "genericList"; subscriptionId: string; resourceGroup: string | undefined }
  | { kind: "providers"; subscriptionId: string }
  | { kind: "provider"; subscriptionId: string; namespace: string }
  | { kind: "collection"; subscriptionId: string; path: ProviderPath }
  | { kind: "resource"; subscriptionId: string; path: ProviderPath }
  | { kind: "unknown" };

/** A matched route: the target, its log template, and the throttle bucket it draws from. */
export interface RouteMatch {
  target: RouteTarget;
  template: RouteTemplate;
  scope: ThrottleScope;
  /** The decoded path with doubled and trailing slashes removed, original casing. */
  path: string;
  /** The same, still percent-encoded: safe to put in a URL. */
  encodedPath: string;
}

/** Matches a request path (no query) to an ARM route; ids and keywords match case-insensitively. */
export function matchRoute(rawPath: string): RouteMatch {
  const raw = pathSegments(rawPath);
  const segments = raw.map(safeDecode);
  const path = `/${segments.join("/")}`;
  const encodedPath = `/${raw.join("/")}`;
  const lower = segments.map((s) => s.toLowerCase());
  const tenant = { kind: "tenant" } as const;
  const done = (target: RouteTarget, template: RouteTemplate, scope: ThrottleScope = tenant): RouteMatch => ({
    target,
    template,
    scope,
    path,
    encodedPath,
  });
  if (lower.length === 3 && lower[0] === "providers" && lower[1] === "microsoft.management" && lower[2] === "getentities") {
    return done({ kind: "entities" }, routeTemplates.entities);
  }
  if (lower[0] !== "subscriptions") return done({ kind: "unknown" }, routeTemplates.unknown);
  const subscriptionId = segments[1];
  if (subscriptionId === undefined) return done({ kind: "subscriptions" }, routeTemplates.subscriptions);
  const scope: ThrottleScope = { kind: "subscription", subscriptionId };
  const rest = lower.slice(2);
  const group = rest[0] === "resourcegroups" ? segments[3] : undefined;

  if (rest.length === 0) return done({ kind: "subscription", subscriptionId }, routeTemplates.subscription, scope);
  if (rest.length === 1 && rest[0] === "resourcegroups") {
    return done({ kind: "resourceGroups", subscriptionId }, routeTemplates.resourceGroups, scope);
  }
  if (rest.length === 2 && group !== undefined) {
    return done({ kind: "resourceGroup", subscriptionId, resourceGroup: group }, routeTemplates.resourceGroup, scope);
  }
  if (rest.length === 1 && rest[0] === "resources") {
    return done({ kind: "genericList", subscriptionId, resourceGroup: undefined }, routeTemplates.resources, scope);
  }
  if (rest.length === 3 && group !== undefined && rest[2] === "resources") {
    return done({ kind: "genericList", subscriptionId, resourceGroup: group }, routeTemplates.resourceGroupResources, scope);
  }
  if (rest.length === 1 && rest[0] === "providers") {
    return done({ kind: "providers", subscriptionId }, routeTemplates.providers, scope);
  }
  if (rest.length === 2 && rest[0] === "providers" && segments[3] !== undefined) {
    return done({ kind: "provider", subscriptionId, namespace: segments[3] }, routeTemplates.provider, scope);
  }
  const providerPath = parseProviderPath(segments);
  if (!providerPath || providerPath.types.length === 0) return done({ kind: "unknown" }, routeTemplates.unknown, scope);
  if (providerPath.names.length === providerPath.types.length) {
    return done({ kind: "resource", subscriptionId, path: providerPath }, routeTemplates.resourceById, scope);
  }
  const template =
    providerPath.types.length > 1 || providerPath.scope.length > 4
      ? routeTemplates.childList
      : providerPath.resourceGroup !== undefined
        ? routeTemplates.resourceGroupTypeList
        : providerPath.scope.length === 2
          ? routeTemplates.typeList
          : routeTemplates.unknown;
  if (template === routeTemplates.unknown) return done({ kind: "unknown" }, template, scope);
  return done({ kind: "collection", subscriptionId, path: providerPath }, template, scope);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
