/** The canonical form of an ARM id or path: lower case, single slashes, no trailing slash. */
export function canonicalKey(idOrPath: string): string {
  return `/${pathSegments(idOrPath).join("/")}`.toLowerCase();
}

/** The non-empty segments of a path (ARM tolerates doubled slashes, as `//subscriptions/...`). */
export function pathSegments(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

/** A path below `/subscriptions/{id}/.../providers/{namespace}`, split into its parts. */
export interface ProviderPath {
  subscriptionId: string;
  resourceGroup: string | undefined;
  /** Segments before the last `providers` segment (the scope: subscription, group or parent resource). */
  scope: string[];
  namespace: string;
  /** Type segments after the namespace, e.g. ["servers", "databases"]. */
  types: string[];
  /** Name segments, one per type for an id, one fewer for a collection. */
  names: string[];
}

/**
 * Splits `/subscriptions/{s}[/resourceGroups/{g}][/...]/providers/{ns}/{type}/{name}/...` at its
 * last `providers` segment; undefined when the path has none or no namespace after it.
 */
export function parseProviderPath(segments: readonly string[]): ProviderPath | undefined {
  if (segments[0]?.toLowerCase() !== "subscriptions" || segments[1] === undefined) return undefined;
  let p = -1;
  for (let i = segments.length - 2; i >= 2; i--) {
    if (segments[i]?.toLowerCase() === "providers") {
      p = i;
      break;
    }
  }
  const namespace = segments[p + 1];
  if (p < 0 || namespace === undefined) return undefined;
  const tail = segments.slice(p + 2);
  return {
    subscriptionId: segments[1],
    resourceGroup: segments[2]?.toLowerCase() === "resourcegroups" && p >= 4 ? segments[3] : undefined,
    scope: segments.slice(0, p),
    namespace,
    types: tail.filter((_, i) => i % 2 === 0),
    names: tail.filter((_, i) => i % 2 === 1),
  };
}

/** The full type of a provider path, e.g. `Microsoft.Sql/servers/databases`. */
export function fullType(path: Pick<ProviderPath, "namespace" | "types">): string {
  return [path.namespace, ...path.types].join("/");
}
