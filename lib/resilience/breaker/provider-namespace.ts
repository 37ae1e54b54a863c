/**
 * The breaker key for an ARM request: its provider namespace, lower-cased ("microsoft.network"),
 * from a resource id, a request URL or a resource type; "arm" for calls above any provider
 * (subscriptions, the generic resource list).
 */
export function providerNamespaceOf(idUrlOrType: string): string {
  const path = idUrlOrType.split("?")[0] ?? "";
  const providers = [...path.matchAll(/\/providers\/([^/]+)/gi)].map((m) => m[1] ?? "");
  const last = providers[providers.length - 1];
  if (last) return last.toLowerCase();
  const type = /^([A-Za-z0-9]+\.[A-Za-z0-9.]+)\/[^/]/.exec(path);
  return type?.[1] ? type[1].toLowerCase() : "arm";
}
