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
/** A section to write: its name, its kind and its value (a typed array, or what becomes JSON). */
type SectionEntry = [string, Kind, Section];
/** Where a section lies in the body: offset, bytes, kind. */
type SectionPlace = [number, number, Kind];

/** The header of the container, as JSON. */
interface IndexHeader {
  meta: ExportMeta;
  resources: number;
  edges: number;
  endpoints: number;
  blocks: number;
  sections: Record<string, SectionPlace>;
}

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
  const sections: SectionEntry[] = [
    ...idSections(columns.resources),
    ...factSections(columns.resources),
    ...edgeSections(columns),
    ...blockSections(blocks),
  ];
  const { bodies, table } = layOutSections(sections);
  const header = Buffer.from(
    JSON.stringify({
      meta: index.meta,
      resources: columns.resources.length,
      edges: columns.edgeFrom.length,
      endpoints: columns.endpoints.length,
      blocks: blocks.sha256.length,
      sections: table,
    } satisfies IndexHeader),
    "utf8",
  );
  // Sections are aligned relative to the body's start, which follows the prefix and header padded to 8.
  const headPad = (8 - ((12 + header.length) % 8)) % 8;
  return Buffer.concat([containerPrefix(header.length), header, Buffer.alloc(headPad), ...bodies]);
}

/** The ids: an id is its parent path (few distinct: subscription, group, provider and type) and its last segment. */
function idSections(resources: readonly ExportResource[]): SectionEntry[] {
  const lasts: string[] = [];
  const prefixes = dictionary(
    resources.map((r) => {
      const at = r.id.lastIndexOf("/");
      lasts.push(r.id.slice(at + 1));
      return at < 0 ? undefined : r.id.slice(0, at);
    }),
  );
  return [
    ["idPrefixTable", "json", prefixes.table],
    ["idPrefix", "u32", prefixes.ids],
    ["idLast", "json", lasts],
  ];
}

/**
 * Each resource's facts: keys and names only where they differ from what the id gives, the
 * COLUMNS as dictionary columns, and everything else as one JSON object per distinct value.
 */
function factSections(resources: readonly ExportResource[]): SectionEntry[] {
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
  const sections: SectionEntry[] = [
    ["keys", "json", keys],
    ["names", "json", names],
  ];
  for (const field of COLUMNS) {
    const { table, ids: column } = dictionary(resources.map((r) => (typeof r[field] === "string" ? r[field] : undefined)));
    sections.push([`${field}Table`, "json", table], [field, "u32", column]);
  }
  const rest = dictionary(rests);
  // Each distinct rest once, as one JSON array: parsed in one call.
  sections.push(["restTable", "json", `[${rest.table.join(",")}]`], ["rest", "u32", rest.ids]);
  return sections;
}

/** The edges as columns; an edge end that is a resource's own key is written as its position, anything else out. */
function edgeSections(columns: GraphColumns): SectionEntry[] {
  const position = new Map<string, number>();
  columns.resources.forEach((r, i) => position.has(r.key) || position.set(r.key, i));
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
  return [
    ["external", "json", columns.external],
    ["endRef", "u32", endRef],
    ["endText", "json", endText],
    ["edgeFrom", "u32", columns.edgeFrom],
    ["edgeTo", "u32", columns.edgeTo],
    ["edgeRelation", "u8", columns.edgeRelation],
    ["edgeVia", "u32", columns.edgeVia],
    ["vias", "json", columns.vias],
    ["edgeDirection", "u8", columns.edgeDirection],
  ];
}

/** The payload block table. */
function blockSections(blocks: PayloadBlocks): SectionEntry[] {
  return [
    ["blockStart", "u32", blocks.start],
    ["blockOffset", "f64", blocks.offset],
    ["blockBytes", "u32", blocks.bytes],
    ["blockSha", "json", blocks.sha256],
  ];
}

/** The sections' bytes, each at the next 8-byte-aligned offset of the body, and the table of where each lies. */
function layOutSections(sections: readonly SectionEntry[]): { bodies: Buffer[]; table: Record<string, SectionPlace> } {
  const bodies: Buffer[] = [];
  const table: Record<string, SectionPlace> = {};
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
  return { bodies, table };
}

/** The container's first 12 bytes: magic, container version, header length. */
function containerPrefix(headerLength: number): Buffer {
  const prefix = Buffer.alloc(12);
  prefix.writeUInt32LE(MAGIC, 0);
  prefix.writeUInt32LE(CONTAINER_VERSION, 4);
  prefix.writeUInt32LE(headerLength, 8);
  return prefix;
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
  const { header, base } = readHeader(bytes);
  const read = new SectionReader(bytes, header, base);
  const n = header.resources;
  const m = header.edges;
  const resources = decodeResources(read, n);
  const endpoints = decodeEndpoints(read, header.endpoints, resources);
  const { edgeFrom, edgeTo, edgeRelation, edgeDirection, vias, edgeVia } = decodeEdges(read, m, endpoints.length);
  const blocks = decodeBlocks(read, header.blocks, n);
  return {
    meta: header.meta,
    columns: {
      resources,
      external: read.json("external"),
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

/** The header of a graph index, and where its body (the sections) starts. */
function readHeader(bytes: Buffer): { header: IndexHeader; base: number } {
  if (bytes.length < 12 || bytes.readUInt32LE(0) !== MAGIC) throw new GraphIndexError("not a graph index");
  if (bytes.readUInt32LE(4) !== CONTAINER_VERSION)
    throw new GraphIndexError(`graph index container version ${bytes.readUInt32LE(4)} is not ${CONTAINER_VERSION}`);
  const headerBytes = bytes.readUInt32LE(8);
  if (12 + headerBytes > bytes.length) throw new GraphIndexError("graph index header is truncated");
  let header: IndexHeader;
  try {
    header = JSON.parse(bytes.toString("utf8", 12, 12 + headerBytes)) as IndexHeader;
  } catch (e) {
    throw new GraphIndexError(`graph index header is not JSON: ${(e as Error).message}`);
  }
  const base = 12 + headerBytes + ((8 - ((12 + headerBytes) % 8)) % 8);
  return { header, base };
}

/** Reads one graph index's sections, each checked against its kind, its bounds and the length expected. */
class SectionReader {
  constructor(
    private readonly bytes: Buffer,
    private readonly header: IndexHeader,
    private readonly base: number,
  ) {}

  raw(name: string, kind: Kind): Buffer {
    const entry = this.header.sections?.[name];
    if (!Array.isArray(entry) || entry[2] !== kind) throw new GraphIndexError(`graph index has no ${kind} section ${name}`);
    const [offset, length] = entry;
    const base = this.base;
    if (!(offset >= 0 && length >= 0 && base + offset + length <= this.bytes.length))
      throw new GraphIndexError(`graph index section ${name} is out of bounds`);
    return this.bytes.subarray(base + offset, base + offset + length);
  }

  json<T>(name: string): T {
    try {
      return JSON.parse(this.raw(name, "json").toString("utf8")) as T;
    } catch (e) {
      if (e instanceof GraphIndexError) throw e;
      throw new GraphIndexError(`graph index section ${name} is not JSON: ${(e as Error).message}`);
    }
  }

  // Typed sections are copied into fresh, aligned arrays: the buffer may sit at any offset of a shared pool.
  u32(name: string, length: number): Uint32Array {
    const b = this.raw(name, "u32");
    if (b.length !== length * 4) throw new GraphIndexError(`graph index section ${name} holds ${b.length / 4} values, expected ${length}`);
    const out = new Uint32Array(length);
    new Uint8Array(out.buffer).set(b);
    return out;
  }

  u8(name: string, length: number): Uint8Array {
    const b = this.raw(name, "u8");
    if (b.length !== length) throw new GraphIndexError(`graph index section ${name} holds ${b.length} values, expected ${length}`);
    return Uint8Array.from(b);
  }

  f64(name: string, length: number): Float64Array {
    const b = this.raw(name, "f64");
    if (b.length !== length * 8) throw new GraphIndexError(`graph index section ${name} holds ${b.length / 8} values, expected ${length}`);
    const out = new Float64Array(length);
    new Uint8Array(out.buffer).set(b);
    return out;
  }
}

/** The `n` resources, from their id, fact column and rest sections. */
function decodeResources(read: SectionReader, n: number): ExportResource[] {
  const prefixTable = read.json<string[]>("idPrefixTable");
  const prefix = read.u32("idPrefix", n);
  const lasts = read.json<string[]>("idLast");
  if (!Array.isArray(lasts) || lasts.length !== n)
    throw new GraphIndexError(`graph index lists ${Array.isArray(lasts) ? lasts.length : "no"} ids for ${n} resources`);
  const keys = read.json<Record<string, string>>("keys");
  const names = read.json<Record<string, string>>("names");
  const columnValues = COLUMNS.map((field) => ({ field, table: read.json<string[]>(`${field}Table`), ids: read.u32(field, n) }));
  const restTable = read.json<Record<string, unknown>[]>("restTable");
  const rest = read.u32("rest", n);
  // One pass over every resource, kept in one body: it runs 100,000 times on a large estate.
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
  return resources;
}

/** The edge ends: a resource's key where the end is a position, the next written-out end otherwise. */
function decodeEndpoints(read: SectionReader, count: number, resources: readonly ExportResource[]): string[] {
  const n = resources.length;
  const refs = read.u32("endRef", count);
  const endText = read.json<string[]>("endText");
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
  return endpoints;
}

/** The `m` edges' columns, each checked against the ends, relation and direction codes and vias it names. */
function decodeEdges(
  read: SectionReader,
  m: number,
  endpointCount: number,
): Pick<GraphColumns, "edgeFrom" | "edgeTo" | "edgeRelation" | "edgeDirection" | "vias" | "edgeVia"> {
  const edgeFrom = read.u32("edgeFrom", m);
  const edgeTo = read.u32("edgeTo", m);
  for (let i = 0; i < m; i++) {
    if (edgeFrom[i]! >= endpointCount || edgeTo[i]! >= endpointCount)
      throw new GraphIndexError(`graph index edge ${i} names an end that is not there`);
  }
  const edgeRelation = read.u8("edgeRelation", m);
  const edgeDirection = read.u8("edgeDirection", m);
  for (let i = 0; i < m; i++) {
    if (edgeRelation[i]! >= relationCodes.length) throw new GraphIndexError(`graph index edge ${i} has relation code ${edgeRelation[i]}`);
    if (edgeDirection[i]! >= directionCodes.length && edgeDirection[i] !== NO_DIRECTION)
      throw new GraphIndexError(`graph index edge ${i} has direction code ${edgeDirection[i]}`);
  }
  const vias = read.json<string[]>("vias");
  const edgeVia = read.u32("edgeVia", m);
  for (let i = 0; i < m; i++)
    if (edgeVia[i]! >= vias.length) throw new GraphIndexError(`graph index edge ${i} names a via that is not there`);
  return { edgeFrom, edgeTo, edgeRelation, edgeDirection, vias, edgeVia };
}

/** The payload block table of `b` blocks, which must cover the `n` resources. */
function decodeBlocks(read: SectionReader, b: number, n: number): PayloadBlocks {
  const blocks: PayloadBlocks = {
    start: read.u32("blockStart", b + 1),
    offset: read.f64("blockOffset", b),
    bytes: read.u32("blockBytes", b),
    sha256: read.json<string[]>("blockSha"),
  };
  if (blocks.sha256.length !== b || blocks.start[b] !== n)
    throw new GraphIndexError("graph index payload blocks do not cover its resources");
  return blocks;
}
