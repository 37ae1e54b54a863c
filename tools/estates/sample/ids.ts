// Subscriptions, resource groups and id helpers of the sample estate. Everything is derived from
// names, never from randomness, so the builder writes the same bytes on every run.

/** Tenant of every identity in the sample. */
export const TENANT_ID = "0b6f3c2d-7a1e-4c9b-8d2f-5e4a3b2c1d0e";

/** The production subscription (web tier, data, AKS, monitoring). */
export const SUB_PROD = "6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c";

/** The corporate subscription (intranet VMs behind a load balancer, one web app). */
export const SUB_CORP = "2a7e9c41-5b3d-4e8f-a6c2-9d1b3f5e7a80";

/** A platform subscription outside the estate: the target of the one external reference. */
export const SUB_PLATFORM = "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70";

/** `/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider}/{type}/{name}[/{child}/{name}...]`. */
export function resourceId(sub: string, rg: string, provider: string, ...typeAndNames: string[]): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/${provider}/${typeAndNames.join("/")}`;
}

/** A child path under `parent` (`…/subnets/a`, `…/ipConfigurations/ipconfig1`). */
export function childId(parent: string, ...typeAndNames: string[]): string {
  return `${parent}/${typeAndNames.join("/")}`;
}

/** The same id with its resource group name upper-cased, as the network RP writes back-references. */
export function upperResourceGroup(id: string): string {
  return id.replace(/\/resourceGroups\/([^/]+)\//i, (_m, rg: string) => `/resourceGroups/${rg.toUpperCase()}/`);
}

/** The same id with `resourcegroups` spelled in lower case, as several RPs return it. */
export function lowerResourceGroupsSegment(id: string): string {
  return id.replace(/\/resourceGroups\//i, "/resourcegroups/");
}

/** The same id with everything from `/providers/` on lower-cased (Insights and OperationalInsights style). */
export function lowerProviderPath(id: string): string {
  const at = id.toLowerCase().indexOf("/providers/");
  return at < 0 ? id : id.slice(0, at) + id.slice(at).toLowerCase();
}

function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche so near-identical inputs do not share prefixes.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/** A GUID-shaped string derived from `text` (stable across runs; not a real GUID). */
export function guidFrom(text: string): string {
  const hex = [1, 2, 3, 4].map((seed) => fnv1a(text, seed).toString(16).padStart(8, "0")).join("");
  const variant = ((parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A weak etag as the network RP returns it: `W/"guid"`. */
export function weakEtag(text: string): string {
  return `W/"${guidFrom(`etag:${text}`)}"`;
}

/** A MAC address derived from `text`, in the `00-0D-3A-..` form Azure NICs show. */
export function macFrom(text: string): string {
  const hex = fnv1a(text, 7).toString(16).padStart(8, "0").toUpperCase();
  return `00-0D-3A-${hex.slice(0, 2)}-${hex.slice(2, 4)}-${hex.slice(4, 6)}`;
}
