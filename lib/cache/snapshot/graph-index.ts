/**
 * The graph index of a snapshot (format version 2): what queries need first — the export's
 * metadata, each resource's facts, the edges as columns, and where each payload block lies —
 * in a binary container that loads without parsing a single payload (docs/cache.md, "Format").
 *
 * Layout, little-endian: the magic `TDGX`, a u32 container version (1), a u32 header length, the
 * header as UTF-8 JSON (`{ meta, resources, edges, blocks, sections: { name: [offset, bytes, kind] } }`),
 * then each section at an 8-byte-aligned offset from the start: typed arrays (`u8`, `u32`, `f64`)
 * as their bytes, string tables and objects as UTF-8 JSON.
 */
import type { ExportResource, TopologyExport } from "../../topology/export-format.js";
import { setOwn } from "../../topology/facts.js";
import { directionCodes, type GraphColumns, interner, NO_DIRECTION, relationCodes } from "../../topology/graph.js";
import { canonicalKey } from "../../topology/ids.js";

/** An export without its three big arrays: what a snapshot keeps as metadata. */
export type ExportMeta = Omit<TopologyExport, "resources" | "edges" | "external">;

/**
 * Where each block of payloads lies in the snapshot's payload bytes: block `b` holds resources
 * `start[b]` .. `start[b + 1]` (exclusive), compressed at `offset[b]` for `bytes[b]` bytes, and
 * hashes (SHA-256, hex) to `sha256[b]`.
 */
export interface PayloadBlocks {
  start: Uint32Array;
  offset: Float64Array;
  bytes: Uint32Array;
  sha256: readonly string[];
}

/** A decoded graph index. */
export interface GraphIndex {
  meta: ExportMeta;
  columns: GraphColumns;
  blocks: PayloadBlocks;
}

const MAGIC = 0x58474454; // "TDGX"
const CONTAINER_VERSION = 1;
const NONE = 0xffffffff;

type Kind = "u8" | "u32" | "f64" | "json";
type Section = unknown;

/** Fields of a resource's facts stored as dictionary columns; the rest goes in one JSON object per distinct value. */
const COLUMNS = ["type", "subscriptionId", "resourceGroup", "location", "kind"] as const;

const lastSegment = (id: string): string => id.slice(id.lastIndexOf("/") + 1);

function dictionary(values: readonly (string | undefined)[]): { table: string[]; ids: Uint32Array } {
  const { table, id } = interner();
  return { table, ids: Uint32Array.from(values, (v) => (v === undefined ? NONE : id(v))) };
}

/** Copies own fields, `__proto__` included as an ordinary field (JSON.parse makes it one; Object.assign would set the prototype). */
function assignOwn(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const field of Object.keys(source)) setOwn(target, field, source[field]);
}

/** The graph index as bytes (before compression). */
export function encodeGraphIndex(index: GraphIndex): Buffer {
  const { columns, blocks } = index;
  const resources = columns.resources;
  const sections: [string, Kind, Section][] = [];
  // An id is its parent path (few distinct: subscription, group, provider and type) and its last segment.
  const lasts: string[] = [];
  const prefixes = dictionary(
    resources.map((r) => {
      const at = r.id.lastIndexOf("/");
      lasts.push(r.id.slice(at + 1));
      return at < 0 ? undefined : r.id.slice(0, at);
    }),
  );
  sections.push(["idPrefixTable", "json", prefixes.table], ["idPrefix", "u32", prefixes.ids], ["idLast", "json", lasts]);
  // Keys and names are written only where they differ from what the id gives.
  const keys: Record<number, string> = {};
  const names: Record<number, string> = {};
  const rests: string[] = [];
  resources.forEach((r, i) => {
    if (r.key !== canonicalKey(r.id)) keys[i] = r.key;
    if (r.name !== lastSegment(r.id)) names[i] = r.name;
    const rest: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(r)) {
      if (
        field === "id" ||
        field === "key" ||
        field === "name" ||
        ((COLUMNS as readonly string[]).includes(field) && typeof value === "string")
      )
        continue;
      setOwn(rest, field, value);
    }
    rests.push(JSON.stringify(rest));
  });
  sections.push(["keys", "json", keys], ["names", "json", names]);
  for (const field of COLUMNS) {
    const { table, ids: column } = dictionary(resources.map((r) => (typeof r[field] === "string" ? r[field] : undefined)));
    sections.push([`${field}Table`, "json", table], [field, "u32", column]);
  }
  const rest = dictionary(rests);
  // Each distinct rest once, as one JSON array: parsed in one call.
  sections.push(["restTable", "json", `[${rest.table.join(",")}]`], ["rest", "u32", rest.ids]);

  // Edge ends: a resource's own key is its position; anything else is written out.
  const position = new Map<string, number>();
  resources.forEach((r, i) => position.has(r.key) || position.set(r.key, i));
  const endRef = new Uint32Array(columns.endpoints.length);
  const endText: string[] = [];
  columns.endpoints.forEach((end, j) => {
    const at = position.get(end);
    if (at !== undefined) endRef[j] = at;
    else {
      endRef[j] = NONE;
      endText.push(end);
    }
  });
  sections.push(
    ["external", "json", columns.external],
    ["endRef", "u32", endRef],
    ["endText", "json", endText],
    ["edgeFrom", "u32", columns.edgeFrom],
    ["edgeTo", "u32", columns.edgeTo],
    ["edgeRelation", "u8", columns.edgeRelation],
    ["edgeVia", "u32", columns.edgeVia],
    ["vias", "json", columns.vias],
    ["edgeDirection", "u8", columns.edgeDirection],
    ["blockStart", "u32", blocks.start],
    ["blockOffset", "f64", blocks.offset],
    ["blockBytes", "u32", blocks.bytes],
    ["blockSha", "json", blocks.sha256],
  );

  const bodies: Buffer[] = [];
  const table: Record<string, [number, number, Kind]> = {};
  let at = 0;
  const place = (name: string, kind: Kind, bytes: Buffer): void => {
    const pad = (8 - (at % 8)) % 8;
    if (pad > 0) bodies.push(Buffer.alloc(pad));
    at += pad;
    table[name] = [at, bytes.length, kind];
    bodies.push(bytes);
    at += bytes.length;
  };
  for (const [name, kind, value] of sections) {
    if (kind === "json") place(name, kind, Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8"));
    else {
      const typed = value as Uint8Array | Uint32Array | Float64Array;
      place(name, kind, Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength));
    }
  }
  const header = Buffer.from(
    JSON.stringify({
      meta: index.meta,
      resources: resources.length,
      edges: columns.edgeFrom.length,
      endpoints: columns.endpoints.length,
      blocks: blocks.sha256.length,
      sections: table,
    }),
    "utf8",
  );
  const prefix = Buffer.alloc(12);
  prefix.writeUInt32LE(MAGIC, 0);
  prefix.writeUInt32LE(CONTAINER_VERSION, 4);
  prefix.writeUInt32LE(header.length, 8);
  // Sections are aligned relative to the body's start, which follows the prefix and header padded to 8.
  const headPad = (8 - ((12 + header.length) % 8)) % 8;
  return Buffer.concat([prefix, header, Buffer.alloc(headPad), ...bodies]);
}

/** Why a graph index could not be decoded. */
export class GraphIndexError extends Error {
  override readonly name = "GraphIndexError";
}

/**
 * Decodes {@link encodeGraphIndex}'s bytes.
 * @throws GraphIndexError when they are not a graph index or disagree with themselves.
 */
export function decodeGraphIndex(bytes: Buffer): GraphIndex {
  if (bytes.length < 12 || bytes.readUInt32LE(0) !== MAGIC) throw new GraphIndexError("not a graph index");
  if (bytes.readUInt32LE(4) !== CONTAINER_VERSION)
    throw new GraphIndexError(`graph index container version ${bytes.readUInt32LE(4)} is not ${CONTAINER_VERSION}`);
  const headerBytes = bytes.readUInt32LE(8);
  if (12 + headerBytes > bytes.length) throw new GraphIndexError("graph index header is truncated");
  let header: {
    meta: ExportMeta;
    resources: number;
    edges: number;
    endpoints: number;
    blocks: number;
    sections: Record<string, [number, number, Kind]>;
  };
  try {
    header = JSON.parse(bytes.toString("utf8", 12, 12 + headerBytes)) as typeof header;
  } catch (e) {
    throw new GraphIndexError(`graph index header is not JSON: ${(e as Error).message}`);
  }
  const base = 12 + headerBytes + ((8 - ((12 + headerBytes) % 8)) % 8);
  const raw = (name: string, kind: Kind): Buffer => {
    const entry = header.sections?.[name];
    if (!Array.isArray(entry) || entry[2] !== kind) throw new GraphIndexError(`graph index has no ${kind} section ${name}`);
    const [offset, length] = entry;
    if (!(offset >= 0 && length >= 0 && base + offset + length <= bytes.length))
      throw new GraphIndexError(`graph index section ${name} is out of bounds`);
    return bytes.subarray(base + offset, base + offset + length);
  };
  const json = <T>(name: string): T => {
    try {
      return JSON.parse(raw(name, "json").toString("utf8")) as T;
    } catch (e) {
      if (e instanceof GraphIndexError) throw e;
      throw new GraphIndexError(`graph index section ${name} is not JSON: ${(e as Error).message}`);
    }
  };
  // Copies into fresh, aligned arrays: the buffer may sit at any offset of a shared pool.
  const u32 = (name: string, length: number): Uint32Array => {
    const b = raw(name, "u32");
    if (b.length !== length * 4) throw new GraphIndexError(`graph index section ${name} holds ${b.length / 4} values, expected ${length}`);
    const out = new Uint32Array(length);
    new Uint8Array(out.buffer).set(b);
    return out;
  };
  const u8 = (name: string, length: number): Uint8Array => {
    const b = raw(name, "u8");
    if (b.length !== length) throw new GraphIndexError(`graph index section ${name} holds ${b.length} values, expected ${length}`);
    return Uint8Array.from(b);
  };
  const f64 = (name: string, length: number): Float64Array => {
    const b = raw(name, "f64");
    if (b.length !== length * 8) throw new GraphIndexError(`graph index section ${name} holds ${b.length / 8} values, expected ${length}`);
    const out = new Float64Array(length);
    new Uint8Array(out.buffer).set(b);
    return out;
  };

  const n = header.resources;
  const m = header.edges;
  const prefixTable = json<string[]>("idPrefixTable");
  const prefix = u32("idPrefix", n);
  const lasts = json<string[]>("idLast");
  if (!Array.isArray(lasts) || lasts.length !== n)
    throw new GraphIndexError(`graph index lists ${Array.isArray(lasts) ? lasts.length : "no"} ids for ${n} resources`);
  const keys = json<Record<string, string>>("keys");
  const names = json<Record<string, string>>("names");
  const columnValues = COLUMNS.map((field) => ({ field, table: json<string[]>(`${field}Table`), ids: u32(field, n) }));
  const restTable = json<Record<string, unknown>[]>("restTable");
  const rest = u32("rest", n);
  const resources: ExportResource[] = new Array<ExportResource>(n);
  for (let i = 0; i < n; i++) {
    const last = lasts[i]!;
    const p = prefix[i]!;
    if (p !== NONE && prefixTable[p] === undefined) throw new GraphIndexError(`graph index resource ${i} names a missing id prefix`);
    const id = p === NONE ? last : `${prefixTable[p]}/${last}`;
    const r: Record<string, unknown> = { id, key: keys[i] ?? canonicalKey(id), name: names[i] ?? last };
    for (const c of columnValues) {
      const at = c.ids[i]!;
      if (at !== NONE) r[c.field] = c.table[at];
    }
    const extra = restTable[rest[i]!];
    if (extra === undefined) throw new GraphIndexError(`graph index resource ${i} names a missing rest entry`);
    assignOwn(r, extra);
    resources[i] = r as ExportResource;
  }

  const refs = u32("endRef", header.endpoints);
  const endText = json<string[]>("endText");
  let text = 0;
  const endpoints: string[] = new Array<string>(refs.length);
  for (let j = 0; j < refs.length; j++) {
    const at = refs[j]!;
    if (at === NONE) {
      const end = endText[text++];
      if (end === undefined) throw new GraphIndexError("graph index edge ends run out");
      endpoints[j] = end;
    } else {
      if (at >= n) throw new GraphIndexError(`graph index edge end ${j} names resource ${at} of ${n}`);
      endpoints[j] = resources[at]!.key;
    }
  }
  const edgeFrom = u32("edgeFrom", m);
  const edgeTo = u32("edgeTo", m);
  for (let i = 0; i < m; i++) {
    if (edgeFrom[i]! >= endpoints.length || edgeTo[i]! >= endpoints.length)
      throw new GraphIndexError(`graph index edge ${i} names an end that is not there`);
  }
  const edgeRelation = u8("edgeRelation", m);
  const edgeDirection = u8("edgeDirection", m);
  for (let i = 0; i < m; i++) {
    if (edgeRelation[i]! >= relationCodes.length) throw new GraphIndexError(`graph index edge ${i} has relation code ${edgeRelation[i]}`);
    if (edgeDirection[i]! >= directionCodes.length && edgeDirection[i] !== NO_DIRECTION)
      throw new GraphIndexError(`graph index edge ${i} has direction code ${edgeDirection[i]}`);
  }
  const vias = json<string[]>("vias");
  const edgeVia = u32("edgeVia", m);
  for (let i = 0; i < m; i++)
    if (edgeVia[i]! >= vias.length) throw new GraphIndexError(`graph index edge ${i} names a via that is not there`);
  const b = header.blocks;
  const blocks: PayloadBlocks = {
    start: u32("blockStart", b + 1),
    offset: f64("blockOffset", b),
    bytes: u32("blockBytes", b),
    sha256: json<string[]>("blockSha"),
  };
  if (blocks.sha256.length !== b || blocks.start[b] !== n)
    throw new GraphIndexError("graph index payload blocks do not cover its resources");
  return {
    meta: header.meta,
    columns: {
      resources,
      external: json("external"),
      endpoints,
      edgeFrom,
      edgeTo,
      edgeRelation,
      edgeVia,
      vias,
      edgeDirection,
    },
    blocks,
  };
}
