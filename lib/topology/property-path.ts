/**
 * Reading values out of ARM payloads by path, as the rule tables name them: property names joined
 * by `.`, `[n]` for one array element and `[*]` for every element.
 */

/** One value found at a path, with the concrete path it was found at (`[*]` replaced by indices). */
export interface Found {
  path: string;
  value: unknown;
}

/** A step: a property name, an array index, or null for every element (`[*]`). */
type Step = string | number | null;

const cache = new Map<string, readonly Step[]>();

function steps(path: string): readonly Step[] {
  let parsed = cache.get(path);
  if (parsed === undefined) {
    const out: Step[] = [];
    for (const part of path.split(".")) {
      const m = /^([^[]*)((?:\[(?:\*|\d+)\])*)$/.exec(part);
      if (m === null) throw new RangeError(`Expected a property path like a.b[*].c, got ${path}`);
      if (m[1] !== "") out.push(m[1]!);
      for (const index of m[2]!.matchAll(/\[(\*|\d+)\]/g)) out.push(index[1] === "*" ? null : Number(index[1]));
    }
    parsed = out;
    cache.set(path, parsed);
  }
  return parsed;
}

/** Every value at `path` in `root`; empty when the path leads nowhere. */
export function valuesAt(root: unknown, path: string): Found[] {
  const parsed = steps(path);
  if (!parsed.includes(null)) {
    // No wildcard: one walk, no intermediate lists (the rule tables mostly read plain paths).
    let value = root;
    for (const step of parsed) {
      if (step === null || typeof step === "number") value = Array.isArray(value) && step !== null ? (value[step] as unknown) : undefined;
      else if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.hasOwn(value, step))
        value = (value as Record<string, unknown>)[step];
      else value = undefined;
      if (value === undefined) return [];
    }
    return [{ path, value }];
  }
  let current: Found[] = [{ path: "", value: root }];
  for (const step of parsed) {
    const next: Found[] = [];
    for (const { path: at, value } of current) {
      if (step === null) {
        if (Array.isArray(value)) value.forEach((item, i) => next.push({ path: `${at}[${i}]`, value: item }));
      } else if (typeof step === "number") {
        if (Array.isArray(value) && step < value.length) next.push({ path: `${at}[${step}]`, value: value[step] });
      } else if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.hasOwn(value, step)) {
        next.push({ path: at === "" ? step : `${at}.${step}`, value: (value as Record<string, unknown>)[step] });
      }
    }
    current = next;
  }
  return current.filter((f) => f.value !== undefined);
}

/** The first value at `path`, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  return valuesAt(root, path)[0]?.value;
}
