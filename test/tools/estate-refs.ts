// Small reference helpers for the estate tests: canonical keys, nearest-node resolution, JSON-path
// lookup of an edge's `via`, and a scan of every ARM id a payload mentions. They check the golden
// edge list against the sample estate; they are not the discovery engine's edge inference.
import type { ArmResource } from "../../tools/estates/schema.js";

/** One golden edge (docs/interfaces.md section 3). */
export interface GoldenEdge {
  from: string;
  to: string;
  relation: string;
  via: string;
  /** How the direction was decided: containment, writable, read-only mirror, rule, inferred. */
  direction: string;
}

/** The canonical key of an ARM id: lower-cased, no trailing slash. */
export function canonical(id: string): string {
  return id.toLowerCase().replace(/\/+$/, "");
}

const RESOURCE_ID = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+/i;

/** True for a resource-group-scoped ARM resource id (the only ids that name estate resources). */
export function isResourceId(value: string): boolean {
  return RESOURCE_ID.test(value);
}

/** The id of the resource a child path belongs to, one level up (`…/subnets/a` → the vnet); undefined at top level. */
export function parentKey(key: string): string | undefined {
  const at = key.indexOf("/providers/");
  const segments = key.slice(at + "/providers/".length).split("/");
  if (segments.length <= 3) return undefined;
  return key.slice(0, key.length - segments.slice(-2).join("/").length - 1);
}

/** The nearest estate resource of a reference (walking up child paths), or undefined when none is. */
export function resolveToNode(ref: string, nodes: ReadonlySet<string>): string | undefined {
  for (let key: string | undefined = canonical(ref); key !== undefined; key = parentKey(key)) {
    if (nodes.has(key)) return key;
  }
  return undefined;
}

const TOKEN = /^(?:([A-Za-z_$][A-Za-z0-9_$]*)|\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;

/** The value at `via` in `payload`, and the last key on the way (for references held in keys). */
export function lookUp(payload: unknown, via: string): { found: boolean; key: string | number | undefined; value: unknown } {
  let rest = via;
  let value: unknown = payload;
  let key: string | number | undefined;
  while (rest.length > 0) {
    const m = TOKEN.exec(rest);
    if (!m) return { found: false, key, value: undefined };
    rest = rest.slice(m[0].length);
    key = m[1] ?? m[2] ?? (m[3] !== undefined ? Number(m[3]) : (JSON.parse(m[4] ?? '""') as string));
    if (value === null || typeof value !== "object" || !(key in value)) return { found: false, key, value: undefined };
    value = (value as Record<string | number, unknown>)[key];
  }
  return { found: true, key, value };
}

/** One ARM id found in a payload: where it is and what it says. */
export interface FoundReference {
  path: string;
  ref: string;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const step = (key: string): string => (IDENT.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

/**
 * Every resource id a payload mentions, in string values and object keys (and `hidden-link:` tag
 * keys), skipping embedded copies of the holder's own child nodes (a vnet's `subnets`).
 */
export function referencesIn(resource: ArmResource, isNode: (key: string) => boolean): FoundReference[] {
  const holder = canonical(resource.id);
  const found: FoundReference[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    if (value !== null && typeof value === "object") {
      const own = (value as { id?: unknown }).id;
      if (path !== "" && typeof own === "string" && canonical(own).startsWith(`${holder}/`) && isNode(canonical(own))) return;
      for (const [k, v] of Object.entries(value)) {
        const p = path === "" ? k : `${path}${step(k)}`;
        if (isResourceId(k)) found.push({ path: p, ref: k });
        if (path === "tags" && k.toLowerCase().startsWith("hidden-link:")) found.push({ path: p, ref: k.slice("hidden-link:".length) });
        walk(v, p);
      }
      return;
    }
    if (typeof value === "string" && isResourceId(value)) found.push({ path, ref: value });
  };
  walk(resource, "");
  return found;
}
