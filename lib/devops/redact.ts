import type { DevOpsServiceConnection } from "./model.js";
import { devopsKey } from "./model.js";

// Only these fields of a service connection are kept; every other `authorization.parameters` or
// `data` value (keys, certificates, passwords, tokens) is dropped before anything is stored or logged.
const AUTH_KEEP = new Set([
  "tenantid",
  "serviceprincipalid",
  "authenticationtype",
  "scope",
  "workloadidentityfederationissuer",
  "workloadidentityfederationsubject",
]);
const DATA_KEEP = new Set([
  "subscriptionid",
  "subscriptionname",
  "environment",
  "scopelevel",
  "managementgroupid",
  "managementgroupname",
  "creationmode",
  "azurespnrolename",
]);
const SECRET_LIKE = /key|secret|password|token|certificate|credential|pfx|pem/i;

function keep(source: unknown, allowed: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof source !== "object" || source === null) return out;
  for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
    if (!allowed.has(k.toLowerCase()) || SECRET_LIKE.test(k) || typeof v !== "string" || v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** The Azure scope a connection can deploy to: its `scope`, else its management group, else its subscription. */
function azureScopeOf(auth: Record<string, string>, data: Record<string, string>): string | undefined {
  const lower = (r: Record<string, string>, k: string) => Object.entries(r).find(([key]) => key.toLowerCase() === k)?.[1];
  const scope = lower(auth, "scope");
  if (scope?.startsWith("/")) return scope.replace(/\/+$/, "").toLowerCase();
  const level = lower(data, "scopelevel")?.toLowerCase();
  const mg = lower(data, "managementgroupid");
  if (level === "managementgroup" && mg) return `/providers/microsoft.management/managementgroups/${mg}`.toLowerCase();
  const sub = lower(data, "subscriptionid");
  return sub ? `/subscriptions/${sub}`.toLowerCase() : undefined;
}

/** A ServiceEndpoint payload reduced to what TopDeck keeps: never a secret. */
export function serviceConnectionOf(org: string, endpoint: Record<string, unknown>): DevOpsServiceConnection {
  const authorization = (endpoint.authorization ?? {}) as { scheme?: unknown; parameters?: unknown };
  const auth = keep(authorization.parameters, AUTH_KEEP);
  const data = keep(endpoint.data, DATA_KEEP);
  const id = String(endpoint.id);
  const refs = Array.isArray(endpoint.serviceEndpointProjectReferences)
    ? (endpoint.serviceEndpointProjectReferences as { projectReference?: { id?: string } }[])
    : [];
  const azureScope = azureScopeOf(auth, data);
  return {
    key: devopsKey(org, "serviceconnections", id),
    id,
    name: String(endpoint.name),
    type: String(endpoint.type),
    ...(typeof endpoint.url === "string" && { url: endpoint.url }),
    ...(data.scopeLevel !== undefined && { scopeLevel: data.scopeLevel }),
    ...(azureScope !== undefined && { azureScope }),
    ...(typeof authorization.scheme === "string" && { authorizationScheme: authorization.scheme }),
    authorization: auth,
    data,
    projectKeys: refs.flatMap((r) => (r.projectReference?.id ? [devopsKey(org, r.projectReference.id)] : [])),
  };
}
