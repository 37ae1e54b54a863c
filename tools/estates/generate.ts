/**
 * Large synthetic estates for benchmarks: exactly N resources over T types over S subscriptions,
 * with references between them in their properties so graph builds have edges.
 *
 *   npx tsx tools/estates/generate.ts --resources N --types T --subscriptions S [--seed N]
 *                                     [--references K] [--group-size G] --out FILE
 *
 * Every value is a pure function of (seed, resource index), so the output is the same for a seed,
 * any resource can be built without the others, and the CLI streams the file instead of holding
 * one large string.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import type { ArmResource, Estate } from "./schema.js";

/** What to generate. */
export interface GenerateOptions {
  /** Exact number of resources (child entries included). */
  resources: number;
  /** Exact number of distinct resource types; from 2 on, one of them is a child type. */
  types: number;
  /** Exact number of subscriptions; each gets at least one resource. */
  subscriptions: number;
  /** @default 1 */
  seed?: number;
  /** References each resource makes to other resources. @default 2 */
  referencesPerResource?: number;
  /** Resources per resource group, roughly (a subscription's resources are spread over groups of this size). @default 200 */
  groupSize?: number;
}

/** The options are out of range; the message names the option. */
export class GenerateOptionsError extends RangeError {
  override readonly name = "GenerateOptionsError";
  readonly code = "TOPDECK_GENERATE_OPTIONS";
}

/** Real top-level types used first; `Contoso.Synthetic{i}/things` follow once these run out. */
const REAL_TYPES: readonly (readonly [type: string, short: string])[] = [
  ["Microsoft.Network/virtualNetworks", "vnet"],
  ["Microsoft.Web/sites", "app"],
  ["Microsoft.Web/serverfarms", "asp"],
  ["Microsoft.Compute/virtualMachines", "vm"],
  ["Microsoft.Compute/disks", "disk"],
  ["Microsoft.Network/networkInterfaces", "nic"],
  ["Microsoft.Network/publicIPAddresses", "pip"],
  ["Microsoft.Network/networkSecurityGroups", "nsg"],
  ["Microsoft.Storage/storageAccounts", "st"],
  ["Microsoft.KeyVault/vaults", "kv"],
  ["Microsoft.Sql/servers", "sql"],
  ["Microsoft.Insights/components", "appi"],
  ["Microsoft.OperationalInsights/workspaces", "law"],
  ["Microsoft.ManagedIdentity/userAssignedIdentities", "id"],
  ["Microsoft.ContainerService/managedClusters", "aks"],
  ["Microsoft.ContainerRegistry/registries", "cr"],
  ["Microsoft.Cache/Redis", "redis"],
  ["Microsoft.DocumentDB/databaseAccounts", "cosmos"],
  ["Microsoft.ServiceBus/namespaces", "sb"],
  ["Microsoft.Network/loadBalancers", "lb"],
  ["Microsoft.Network/applicationGateways", "agw"],
  ["Microsoft.Network/privateEndpoints", "pe"],
  ["Microsoft.Network/routeTables", "rt"],
];
/** The child type; its parents are the resources of type 0 (virtual networks). */
const CHILD_TYPE = "Microsoft.Network/virtualNetworks/subnets";
const LOCATIONS = ["westeurope", "northeurope", "eastus2", "swedencentral"] as const;

/** A 32-bit hash of (seed, a, b): the generator's only source of variety. */
function mix(seed: number, a: number, b: number): number {
  let h = (seed ^ Math.imul(a + 0x632be5ab, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

function guid(seed: number, a: number): string {
  const hex = [0, 1, 2, 3].map((b) => mix(seed, a, b).toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Where each resource goes; built in one pass over small typed arrays. */
interface Layout {
  n: number;
  seed: number;
  refs: number;
  types: { type: string; short: string }[];
  childType: number;
  typeOf: Uint32Array;
  parentOf: Int32Array;
  subOf: Uint32Array;
  groupOf: Uint32Array;
  /** Children of resource r are childList[childStart[r] .. childStart[r + 1]). */
  childStart: Uint32Array;
  childList: Uint32Array;
  subscriptionIds: string[];
  ids: (string | undefined)[];
}

function validate(opts: GenerateOptions): Required<GenerateOptions> {
  const o = { seed: 1, referencesPerResource: 2, groupSize: 200, ...opts };
  const whole = (name: keyof GenerateOptions, min: number): void => {
    const v = o[name];
    if (!Number.isInteger(v) || v < min)
      throw new GenerateOptionsError(`Expected \`${name}\` to be an integer from ${min} up, got ${String(v)}`);
  };
  whole("resources", 1);
  whole("types", 1);
  whole("subscriptions", 1);
  whole("referencesPerResource", 0);
  whole("groupSize", 1);
  if (!Number.isInteger(o.seed)) throw new GenerateOptionsError(`Expected \`seed\` to be an integer, got ${String(o.seed)}`);
  if (o.types > o.resources)
    throw new GenerateOptionsError(
      `Expected \`types\` (${o.types}) to be at most \`resources\` (${o.resources}): every type gets a resource`,
    );
  const childless = o.types >= 2 ? 1 : 0;
  if (o.subscriptions + childless > o.resources) {
    throw new GenerateOptionsError(
      `Expected \`subscriptions\` (${o.subscriptions}) to be below \`resources\` (${o.resources}): each subscription needs a top-level resource`,
    );
  }
  return o;
}

function typeCatalog(count: number): { type: string; short: string }[] {
  // The child type comes second, right after its parent type, so any estate of 2+ types has it.
  const known = [REAL_TYPES[0], [CHILD_TYPE, "snet"] as const, ...REAL_TYPES.slice(1)];
  return Array.from({ length: count }, (_v, i) => {
    const real = known[i];
    return real ? { type: real[0], short: real[1] } : { type: `Contoso.Synthetic${i - known.length}/things`, short: "thing" };
  });
}

function layout(opts: GenerateOptions): Layout {
  const o = validate(opts);
  const n = o.resources;
  const seed = o.seed >>> 0;
  const types = typeCatalog(o.types);
  const childType = types.findIndex((t) => t.type === CHILD_TYPE);
  const typeOf = new Uint32Array(n);
  // Children may use up what is left once every subscription has a top-level resource.
  const childCap = childType < 0 ? 0 : n - Math.max(o.subscriptions, o.types - 1);
  let children = 0;
  for (let r = 0; r < n; r++) {
    let t = r < o.types ? r : mix(seed, r, 1) % o.types;
    if (t === childType && r >= o.types && children >= childCap) t = 0;
    if (t === childType) children++;
    typeOf[r] = t;
  }
  const parents: number[] = [];
  for (let r = 0; r < n; r++) if (typeOf[r] === 0 && childType >= 0) parents.push(r);
  const parentOf = new Int32Array(n).fill(-1);
  const subOf = new Uint32Array(n);
  const groupOf = new Uint32Array(n);
  const groups = Math.max(1, Math.ceil(n / o.subscriptions / o.groupSize));
  let topLevel = 0;
  for (let r = 0; r < n; r++) {
    if (typeOf[r] === childType) continue;
    subOf[r] = topLevel++ % o.subscriptions;
    groupOf[r] = mix(seed, r, 2) % groups;
  }
  const childCount = new Uint32Array(n + 1);
  for (let r = 0; r < n; r++) {
    if (typeOf[r] !== childType) continue;
    const p = parents[mix(seed, r, 3) % parents.length] ?? 0;
    parentOf[r] = p;
    subOf[r] = subOf[p] ?? 0;
    groupOf[r] = groupOf[p] ?? 0;
    childCount[p + 1] = (childCount[p + 1] ?? 0) + 1;
  }
  const childStart = new Uint32Array(n + 1);
  for (let r = 0; r < n; r++) childStart[r + 1] = (childStart[r] ?? 0) + (childCount[r + 1] ?? 0);
  const fill = childStart.slice(0, n);
  const childList = new Uint32Array(children);
  for (let r = 0; r < n; r++) {
    const p = parentOf[r] ?? -1;
    if (p < 0) continue;
    const at = fill[p] ?? 0;
    childList[at] = r;
    fill[p] = at + 1;
  }
  const subscriptionIds = Array.from({ length: o.subscriptions }, (_v, s) => guid(seed, 0x51b + s));
  return {
    n,
    seed,
    refs: o.referencesPerResource,
    types,
    childType,
    typeOf,
    parentOf,
    subOf,
    groupOf,
    childStart,
    childList,
    subscriptionIds,
    ids: new Array<string | undefined>(n),
  };
}

function idOf(l: Layout, r: number): string {
  const cached = l.ids[r];
  if (cached !== undefined) return cached;
  const t = l.types[l.typeOf[r] ?? 0] ?? { type: "", short: "" };
  const name = nameOf(l, r);
  const p = l.parentOf[r] ?? -1;
  const id =
    p >= 0
      ? `${idOf(l, p)}/${t.type.slice(t.type.lastIndexOf("/") + 1)}/${name}`
      : `/subscriptions/${l.subscriptionIds[l.subOf[r] ?? 0] ?? ""}/resourceGroups/rg-synth-${String(l.groupOf[r]).padStart(3, "0")}/providers/${t.type}/${name}`;
  l.ids[r] = id;
  return id;
}

function nameOf(l: Layout, r: number): string {
  return `${l.types[l.typeOf[r] ?? 0]?.short ?? "thing"}-${String(r).padStart(6, "0")}`;
}

/** How a reference is spelled: real payloads disagree with the target's own casing. */
function spell(id: string, variant: number): string {
  switch (variant) {
    case 0:
      return id.replace(/\/resourceGroups\/([^/]+)\//, (_m, rg: string) => `/resourceGroups/${rg.toUpperCase()}/`);
    case 1:
      return id.replace("/resourceGroups/", "/resourcegroups/");
    case 2:
      return id.toLowerCase();
    default:
      return id;
  }
}

/**
 * The resource index that reference `j` of resource `r` points at: never itself, its parent or its
 * child; -1 in the tiny estates where nothing else exists.
 */
function targetOf(l: Layout, r: number, j: number): number {
  let t = mix(l.seed, r, 16 + j) % l.n;
  for (let tries = 0; tries < l.n; tries++) {
    const related = t === r || l.parentOf[t] === r || l.parentOf[r] === t;
    if (!related) return t;
    t = (t + 1) % l.n;
  }
  return -1;
}

function buildResource(l: Layout, r: number): ArmResource {
  const t = l.types[l.typeOf[r] ?? 0] ?? { type: "", short: "" };
  const isChild = (l.parentOf[r] ?? -1) >= 0;
  const properties: Record<string, unknown> = { provisioningState: "Succeeded" };
  if (isChild) properties.addressPrefix = `10.${r % 256}.${(r >> 8) % 256}.0/24`;
  else properties.ordinal = r;
  const links: unknown[] = [];
  const related: string[] = [];
  for (let j = 0; j < l.refs; j++) {
    const target = targetOf(l, r, j);
    if (target < 0) break;
    const ref = spell(idOf(l, target), mix(l.seed, r, 64 + j) % 8);
    if (j === 0) properties.primaryDependency = { id: ref };
    else if (j % 2 === 1) links.push({ name: `link-${j}`, properties: { target: { id: ref }, weight: j } });
    else related.push(ref);
  }
  if (links.length) properties.links = links;
  if (related.length) properties.settings = { relatedResourceIds: related };
  if (l.typeOf[r] === 0 && l.childType >= 0) {
    const from = l.childStart[r] ?? 0;
    const to = l.childStart[r + 1] ?? 0;
    const embedded: ArmResource[] = [];
    for (let c = from; c < to; c++) embedded.push(buildResource(l, l.childList[c] ?? 0));
    properties.subnets = embedded;
  }
  const resource: ArmResource = { id: idOf(l, r), name: nameOf(l, r), type: t.type };
  if (!isChild) {
    resource.location = LOCATIONS[mix(l.seed, r, 4) % LOCATIONS.length];
    resource.tags = { env: mix(l.seed, r, 5) % 3 === 0 ? "test" : "prod", costCenter: `CC-${1000 + (mix(l.seed, r, 6) % 50)}` };
  }
  resource.properties = properties;
  return resource;
}

/** Offered api-versions per type: one stable and one preview, newest first. */
function apiVersionsOf(l: Layout): Record<string, string[]> {
  return Object.fromEntries(
    l.types.map((t, i) => [t.type, i % 4 === 3 ? ["2024-09-01-preview", "2024-03-01"] : ["2024-03-01", "2023-06-01-preview"]]),
  );
}

function* resourcesOf(l: Layout): Generator<{ subscription: number; resource: ArmResource }, void, undefined> {
  for (let s = 0; s < l.subscriptionIds.length; s++) {
    for (let r = 0; r < l.n; r++) if (l.subOf[r] === s) yield { subscription: s, resource: buildResource(l, r) };
  }
}

/**
 * The estate one resource at a time, grouped by subscription in index order: what a streaming
 * writer needs. `subscription` is the index into `generateEnvelope(opts).subscriptionIds`.
 * @throws GenerateOptionsError when the counts cannot be met.
 */
export function generateResources(opts: GenerateOptions): Generator<{ subscription: number; resource: ArmResource }, void, undefined> {
  return resourcesOf(layout(opts));
}

/** The subscription ids and api-versions of the estate `opts` describes (the parts around the resources). */
export function generateEnvelope(opts: GenerateOptions): { subscriptionIds: string[]; apiVersions: Record<string, string[]> } {
  const l = layout(opts);
  return { subscriptionIds: l.subscriptionIds, apiVersions: apiVersionsOf(l) };
}

/**
 * A synthetic estate (docs/interfaces.md section 1) with exactly `resources` resources over `types`
 * types over `subscriptions` subscriptions; the same for the same options.
 * @throws GenerateOptionsError when the counts cannot be met.
 */
export function generateEstate(opts: GenerateOptions): Estate {
  const l = layout(opts);
  const subscriptions = l.subscriptionIds.map((subscriptionId, s) => ({
    subscriptionId,
    displayName: `synthetic-${s}`,
    resources: [] as ArmResource[],
  }));
  for (const { subscription, resource } of resourcesOf(l)) subscriptions[subscription]?.resources.push(resource);
  return { subscriptions, apiVersions: apiVersionsOf(l) };
}

/** Writes the estate as JSON to `path`, one resource per line, without building it in memory. */
export async function writeEstateFile(opts: GenerateOptions, path: string): Promise<void> {
  const { subscriptionIds, apiVersions } = generateEnvelope(opts);
  const out = createWriteStream(path, { encoding: "utf8" });
  const failed = new Promise<never>((_resolve, reject) => out.once("error", reject));
  // Writes go out in ~1 MB chunks: one await per resource would dominate the run time.
  let pending = "";
  const flush = async (): Promise<void> => {
    const chunk = pending;
    pending = "";
    if (!out.write(chunk)) await Promise.race([once(out, "drain"), failed]);
  };
  pending += '{"subscriptions":[';
  let current = -1;
  let first = true;
  for (const { subscription, resource } of generateResources(opts)) {
    while (current < subscription) {
      if (current >= 0) pending += "\n]}";
      current++;
      pending += `${current > 0 ? "," : ""}\n{"subscriptionId":${JSON.stringify(subscriptionIds[current])},"displayName":"synthetic-${current}","resources":[`;
      first = true;
    }
    pending += `${first ? "" : ","}\n${JSON.stringify(resource)}`;
    first = false;
    if (pending.length > 1 << 20) await flush();
  }
  pending += `\n]}\n],"apiVersions":${JSON.stringify(apiVersions)}}\n`;
  await flush();
  out.end();
  await Promise.race([once(out, "finish"), failed]);
}

async function main(argv: string[]): Promise<number> {
  const usage = "usage: generate.ts --resources N --types T --subscriptions S [--seed N] [--references K] [--group-size G] --out FILE";
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        resources: { type: "string" },
        types: { type: "string" },
        subscriptions: { type: "string" },
        seed: { type: "string" },
        references: { type: "string" },
        "group-size": { type: "string" },
        out: { type: "string" },
      },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  const missing = ["resources", "types", "subscriptions", "out"].filter((k) => values[k] === undefined);
  if (missing.length) {
    process.stderr.write(`missing --${missing.join(", --")}\n${usage}\n`);
    return 2;
  }
  const num = (k: string): number => Number(values[k]);
  const opts: GenerateOptions = {
    resources: num("resources"),
    types: num("types"),
    subscriptions: num("subscriptions"),
    ...(values.seed !== undefined ? { seed: num("seed") } : {}),
    ...(values.references !== undefined ? { referencesPerResource: num("references") } : {}),
    ...(values["group-size"] !== undefined ? { groupSize: num("group-size") } : {}),
  };
  try {
    const started = Date.now();
    await writeEstateFile(opts, values.out ?? "");
    process.stderr.write(
      `wrote ${opts.resources} resources over ${opts.types} types in ${opts.subscriptions} subscriptions to ${values.out ?? ""} in ${Date.now() - started} ms\n`,
    );
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return e instanceof GenerateOptionsError ? 2 : 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
