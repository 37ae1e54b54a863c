/**
 * api-version choice. ARM rejects a provider call whose api-version the type does not offer, and
 * each type offers its own list; the providers API gives them, newest first but not guaranteed.
 */

const dated = /^(\d{4}-\d{2}-\d{2})(-.+)?$/;

/** Newest stable version; the newest preview only when the type offers no stable one. */
export function pickApiVersion(versions: readonly string[]): string | undefined {
  let stable: string | undefined;
  let preview: string | undefined;
  for (const v of versions) {
    const m = dated.exec(v.trim());
    if (m === null) continue;
    if (m[2] === undefined) {
      if (stable === undefined || v > stable) stable = v;
    } else if (preview === undefined || m[1]! > preview.slice(0, 10) || (m[1] === preview.slice(0, 10) && v > preview)) {
      preview = v;
    }
  }
  return stable ?? preview;
}

/** A provider namespace as the providers API lists it (only what discovery reads). */
export interface ProviderInfo {
  namespace: string;
  resourceTypes?: Array<{ resourceType: string; apiVersions?: string[] }>;
}

/** The chosen api-version of every type the providers offer, keyed by lower-cased full type. */
export function apiVersionsByType(providers: readonly ProviderInfo[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of providers) {
    for (const t of p.resourceTypes ?? []) {
      const version = pickApiVersion(t.apiVersions ?? []);
      if (version !== undefined) out.set(`${p.namespace}/${t.resourceType}`.toLowerCase(), version);
    }
  }
  return out;
}
