/**
 * ARM resource ids: canonical keys and their parts. ARM ids are case-insensitive, and real
 * payloads mix `resourceGroups`/`resourcegroups` and provider casing, so every comparison goes
 * through `canonicalKey`.
 */

/** The parts of an ARM resource id. `type` is the full type, children included. */
export interface ResourceIdParts {
  subscriptionId: string;
  resourceGroup: string | undefined;
  provider: string | undefined;
  /** e.g. `Microsoft.Network/virtualNetworks/subnets`; "" for a subscription or resource group. */
  type: string;
  name: string;
}

/** The canonical key of an ARM id: lower-cased, surrounding space and trailing slashes removed. */
export function canonicalKey(id: string): string {
  const trimmed = id.trim();
  // Called for every id-like string of every payload: the regex only when there is a slash to cut.
  return (trimmed.charCodeAt(trimmed.length - 1) === 47 ? trimmed.replace(/\/+$/, "") : trimmed).toLowerCase();
}

/**
 * The canonical key of `id` when it lies below the canonical key `of` in the id hierarchy, else
 * undefined. Most ids in a payload point elsewhere: an ASCII mismatch with `of` settles it
 * without lower-casing the id.
 */
export function keyBelow(id: string, of: string): string | undefined {
  if (id.charCodeAt(0) === 47 && id.length > of.length) {
    for (let i = 0; i < of.length; i++) {
      let c = id.charCodeAt(i);
      if (c >= 128) break;
      if (c >= 65 && c <= 90) c += 32;
      if (c !== of.charCodeAt(i)) return undefined;
    }
  }
  const key = canonicalKey(id);
  return key.length > of.length && key.charCodeAt(of.length) === 47 && key.startsWith(of) ? key : undefined;
}

const armIdShape = /^\/subscriptions\/[^/\s]+(\/[^/\s]+\/[^/\s]+)*\/?$/i;

/** True when a string is, as a whole, an ARM id below a subscription (no spaces, even segments). */
export function looksLikeArmId(value: string): boolean {
  return value.length < 2048 && value.startsWith("/") && armIdShape.test(value.trim());
}

/**
 * Splits an id into its parts. Extension resources (`…/providers/A/x/n/providers/B/y/m`) take the
 * last provider's type. Returns undefined for strings that are not ARM ids.
 */
export function parseResourceId(id: string): ResourceIdParts | undefined {
  let start = 0;
  let end = id.length;
  while (start < end && (id.charCodeAt(start) === 47 || id.charCodeAt(start) <= 32)) start++;
  while (end > start && (id.charCodeAt(end - 1) === 47 || id.charCodeAt(end - 1) <= 32)) end--;
  // Segment by segment, by slash positions: called for every resource of a run and every end of
  // its edges, and splitting made a string for every segment and an array per id.
  const first = segmentEnd(id, start, end);
  if (first === end || !segmentIs(id, start, first, "subscriptions")) return undefined;
  let at = segmentEnd(id, first + 1, end);
  const subscriptionId = id.slice(first + 1, at);
  let resourceGroup: string | undefined;
  if (at < end) {
    const next = segmentEnd(id, at + 1, end);
    if (segmentIs(id, at + 1, next, "resourcegroups")) {
      if (next === end) {
        at = end;
      } else {
        at = segmentEnd(id, next + 1, end);
        resourceGroup = id.slice(next + 1, at);
      }
    }
  }
  let provider: string | undefined;
  let name = resourceGroup ?? subscriptionId;
  let type = "";
  // `at` is the end of the last segment read; the next segment, if any, starts after its slash.
  while (at < end) {
    const keyStart = at + 1;
    const keyEnd = segmentEnd(id, keyStart, end);
    if (keyEnd === end) return undefined; // a type segment without its name
    const valueEnd = segmentEnd(id, keyEnd + 1, end);
    if (segmentIs(id, keyStart, keyEnd, "providers")) {
      provider = id.slice(keyEnd + 1, valueEnd);
      type = provider;
    } else {
      if (provider !== undefined) type += `/${id.slice(keyStart, keyEnd)}`;
      name = id.slice(keyEnd + 1, valueEnd);
    }
    at = valueEnd;
  }
  return { subscriptionId, resourceGroup, provider, type: provider === undefined ? "" : type, name };
}

/** Where the segment starting at `from` ends: the next slash before `end`, else `end`. */
function segmentEnd(id: string, from: number, end: number): number {
  const slash = id.indexOf("/", from);
  return slash < 0 || slash > end ? end : slash;
}

/**
 * `id.slice(from, to)` equals `word` (lower-case ASCII letters) ignoring case, without slicing:
 * an ASCII letter is `word`'s or its upper case (no other code unit ORs with 0x20 into a letter),
 * and no non-ASCII character lower-cases into these words.
 */
function segmentIs(id: string, from: number, to: number, word: string): boolean {
  if (to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) if ((id.charCodeAt(from + i) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * The ids this id sits under, nearest first, down to the top-level resource: for
 * `…/networkInterfaces/nic1/ipConfigurations/ip1` that is `…/networkInterfaces/nic1`. Only
 * type/name pairs are cut, so a resource is never resolved to its resource group.
 */
export function ancestorKeys(key: string): string[] {
  // Positions of the slashes rather than split segments: called for every resource and most
  // references of a run, and splitting made a dozen short-lived strings per key.
  const slashes: number[] = [];
  for (let i = key.indexOf("/"); i >= 0; i = key.indexOf("/", i + 1)) slashes.push(i);
  const isProviders = (segment: number): boolean => {
    const start = segment === 0 ? 0 : slashes[segment - 1]! + 1;
    const end = segment < slashes.length ? slashes[segment]! : key.length;
    return end - start === 9 && key.startsWith("providers", start);
  };
  let providersAt = slashes.length;
  while (providersAt >= 0 && !isProviders(providersAt)) providersAt--;
  if (providersAt < 0) return [];
  // segments: …, providers, ns, type1, name1, type2, name2 …; the top level ends at providersAt + 3.
  // The first `n` segments, joined, end where the n-th slash is.
  const topEnd = providersAt + 4;
  const out: string[] = [];
  for (let end = slashes.length - 1; end >= topEnd; end -= 2) out.push(key.slice(0, slashes[end - 1]));
  if (out.length === 0) {
    // An extension resource whose own type has no parent pair: its scope is the resource before /providers.
    for (let j = providersAt - 1; j > 0; j--) {
      if (isProviders(j)) {
        out.push(key.slice(0, slashes[providersAt - 1]));
        break;
      }
    }
  }
  return out;
}

/** The lower-cased type of a key, as `parseResourceId` gives it. */
export function typeOfKey(key: string): string {
  return parseResourceId(key)?.type ?? "";
}
