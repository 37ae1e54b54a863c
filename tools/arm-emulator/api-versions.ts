/** The version offered for a type the estate gives none for. */
export const defaultApiVersion = "2023-01-01";

const wellFormed = /^(\d{4}-\d{2}-\d{2})(-[a-z]+)?$/i;

/** True for `yyyy-MM-dd` with an optional suffix such as `-preview`. */
export function isWellFormedApiVersion(version: string): boolean {
  return wellFormed.test(version);
}

/** Sorts newest first, as ARM lists them; for the same date the stable version comes first. */
export function newestFirst(versions: readonly string[]): string[] {
  const unique = [...new Map(versions.map((v) => [v.toLowerCase(), v])).values()];
  return unique.sort((a, b) => {
    const da = a.slice(0, 10);
    const db = b.slice(0, 10);
    if (da !== db) return da < db ? 1 : -1;
    return (a.length > 10 ? 1 : 0) - (b.length > 10 ? 1 : 0);
  });
}

/**
 * The versions offered for a type: its own entry in the estate's `apiVersions`, else the nearest
 * parent type's (subnets share their virtual network's), else the one default stable version.
 * Keys match case-insensitively.
 */
export function offeredApiVersions(type: string, apiVersions: Readonly<Record<string, readonly string[]>> | undefined): string[] {
  const byType = new Map(Object.entries(apiVersions ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const parts = type.toLowerCase().split("/");
  for (let n = parts.length; n >= 2; n--) {
    const own = byType.get(parts.slice(0, n).join("/"));
    if (own && own.length > 0) return newestFirst(own);
  }
  return [defaultApiVersion];
}
