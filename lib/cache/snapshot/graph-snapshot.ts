/**
 * Snapshot format version 2, the graph-ready form (docs/cache.md, "Format"): the payloads in
 * blocks, each compressed on its own, then the graph index (graph-index.ts) compressed as one
 * stream; both cut into the same numbered chunks, payload chunks first. A reader fetches the
 * index chunks and builds the graph without decoding a payload; the payload bytes are fetched
 * apart and a block is decoded only when a query needs one of its resources.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, brotliDecompress, brotliDecompressSync, constants, gunzip, gunzipSync, gzip } from "node:zlib";

import type { ExportResource, TopologyExport } from "../../topology/export-format.js";
import { edgeOf, graphColumns } from "../../topology/graph.js";
import { ChunkSink } from "./chunk-sink.js";
import { decodeGraphIndex, encodeGraphIndex, type ExportMeta, type GraphIndex, type PayloadBlocks } from "./graph-index.js";
import type { SnapshotEncoding } from "./manifest.js";

const brotli = promisify(brotliCompress);
const unbrotli = promisify(brotliDecompress);
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A payload block closes at this many resources… */
export const BLOCK_RESOURCES = 256;
/** …or this many bytes of JSON, whichever comes first. */
export const BLOCK_RAW_BYTES = 256 * 1024;

/** Blocks compressing at once (libuv's pool has four threads). */
const COMPRESSING = 3;

/**
 * The JSON of the block starting at `from`: BLOCK_RESOURCES resources in one stringify, halved
 * until it is within BLOCK_RAW_BYTES (a block of one resource may be larger). Returns the bytes and
 * where the next block starts.
 */
function blockText(resources: readonly ExportResource[], from: number): [Buffer, number] {
  let to = Math.min(resources.length, from + BLOCK_RESOURCES);
  for (;;) {
    const text = JSON.stringify(resources.slice(from, to));
    if (text.length <= BLOCK_RAW_BYTES || to - from === 1) return [Buffer.from(text, "utf8"), to];
    to = from + Math.ceil((to - from) / 2);
  }
}

/** Options of {@link encodeGraphSnapshot}. */
export interface GraphSnapshotOptions {
  /** Most base64 characters per chunk. */
  chunkChars: number;
  encoding: SnapshotEncoding;
  /** gzip level (1-9) or brotli quality (0-11). @default 6 for gzip, 1 for brotli */
  level?: number;
  /** Called with each chunk as soon as it is complete. */
  onChunk: (chunk: string, index: number) => Promise<void>;
  /** Chunk writes in flight at once. @default 4 */
  concurrency?: number;
}

/** What {@link encodeGraphSnapshot} wrote. */
export interface EncodedGraphSnapshot {
  /** Chunks in all: payload chunks `0 .. payloadChunks - 1`, then the index's. */
  chunks: number;
  payloadChunks: number;
  /** SHA-256 (hex) of the compressed index; each block's own hash is in the index. */
  sha256: string;
  /** JSON bytes of the payloads plus the index's bytes, before compression. */
  rawBytes: number;
  indexRawBytes: number;
  /** Compressed bytes of the index (what a cold reader fetches first). */
  indexBytes: number;
  storedBytes: number;
}

const compress = (bytes: Buffer, encoding: SnapshotEncoding, level: number | undefined): Promise<Buffer> =>
  encoding === "br"
    ? brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: level ?? 1, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
    : gzipAsync(bytes, { level: level ?? 6 });

const sha = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

/**
 * Writes `exp` in format 2 through `onChunk`. Blocks are compressed on libuv's pool while the
 * next ones are serialised and earlier chunks upload; no string holds more than one block.
 * @throws what `onChunk` throws, after the chunks in flight settle.
 */
export async function encodeGraphSnapshot(exp: TopologyExport, options: GraphSnapshotOptions): Promise<EncodedGraphSnapshot> {
  const { encoding, level, onChunk, concurrency = 4 } = options;
  const payload = new ChunkSink(options.chunkChars, onChunk, concurrency, 0);
  const start: number[] = [0];
  const offset: number[] = [];
  const bytes: number[] = [];
  const hashes: string[] = [];
  let rawBytes = 0;
  try {
    // Up to COMPRESSING blocks compress on libuv's pool while the next is serialised; they are
    // written in order.
    const pending: Promise<Buffer>[] = [];
    const writeOldest = async (): Promise<void> => {
      const block = await pending.shift()!;
      offset.push(payload.offset);
      bytes.push(block.length);
      hashes.push(sha(block));
      await payload.write(block);
    };
    const resources = exp.resources;
    for (let from = 0; from < resources.length;) {
      const [text, to] = blockText(resources, from);
      rawBytes += text.length;
      pending.push(compress(text, encoding, level));
      start.push(to);
      from = to;
      if (pending.length >= COMPRESSING) await writeOldest();
    }
    while (pending.length > 0) await writeOldest();
    if (payload.offset > 0 || resources.length > 0) await payload.end();
  } finally {
    await payload.settle();
  }
  const payloadChunks = payload.chunks;

  const { resources: _r, edges: _e, external: _x, ...meta } = exp;
  const blocks: PayloadBlocks = {
    start: Uint32Array.from(start),
    offset: Float64Array.from(offset),
    bytes: Uint32Array.from(bytes),
    sha256: hashes,
  };
  const raw = encodeGraphIndex({ meta: { ...meta, fieldOrder: Object.keys(exp) } as ExportMeta, columns: graphColumns(exp), blocks });
  const packed = await compress(raw, encoding, level === undefined && encoding === "br" ? 5 : level);
  const index = new ChunkSink(options.chunkChars, onChunk, concurrency, payloadChunks);
  try {
    await index.write(packed);
    await index.end();
  } finally {
    await index.settle();
  }
  return {
    chunks: payloadChunks + index.chunks,
    payloadChunks,
    sha256: sha(packed),
    rawBytes: rawBytes + raw.length,
    indexRawBytes: raw.length,
    indexBytes: packed.length,
    storedBytes: payload.storedBytes + index.storedBytes,
  };
}

/** Why stored format-2 bytes could not be decoded. */
export class GraphSnapshotDecodeError extends Error {
  override readonly name = "GraphSnapshotDecodeError";
}

/**
 * Decodes the index chunks (base64, in order) after checking their hash.
 * @throws GraphSnapshotDecodeError on a hash mismatch or bytes that do not decode.
 */
export async function decodeIndexChunks(chunks: readonly string[], encoding: SnapshotEncoding, sha256: string): Promise<GraphIndex> {
  const packed = Buffer.concat(chunks.map((c) => Buffer.from(c, "base64")));
  const actual = sha(packed);
  if (actual !== sha256) throw new GraphSnapshotDecodeError(`index checksum mismatch: stored ${sha256}, read ${actual}`);
  try {
    const raw = encoding === "br" ? await unbrotli(packed) : await gunzipAsync(packed);
    return decodeGraphIndex(raw);
  } catch (e) {
    throw new GraphSnapshotDecodeError(`index does not decode: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * The payload bytes of one snapshot, fetched (as base64 chunks, in order) and checked block by
 * block; blocks are decoded on demand.
 */
export class PayloadBytes {
  private readonly parts: Buffer[];
  private readonly partStart: number[];

  /** @throws GraphSnapshotDecodeError when a block's bytes are short or fail their hash. */
  constructor(
    chunks: readonly string[],
    private readonly blocks: PayloadBlocks,
    private readonly encoding: SnapshotEncoding,
  ) {
    this.parts = chunks.map((c) => Buffer.from(c, "base64"));
    this.partStart = [];
    let at = 0;
    for (const p of this.parts) {
      this.partStart.push(at);
      at += p.length;
    }
    for (let b = 0; b < blocks.sha256.length; b++) {
      const bytes = this.slice(b);
      if (sha(bytes) !== blocks.sha256[b]) throw new GraphSnapshotDecodeError(`payload block ${b} fails its checksum`);
    }
  }

  /** Compressed bytes held. */
  get byteLength(): number {
    return this.parts.reduce((n, p) => n + p.length, 0);
  }

  /** The block holding resource `position`. */
  blockOf(position: number): number {
    const { start } = this.blocks;
    let lo = 0;
    let hi = start.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (start[mid]! <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The resources of block `b`, decoded now. @throws GraphSnapshotDecodeError when they do not decode. */
  decode(b: number): ExportResource[] {
    const bytes = this.slice(b);
    try {
      const raw = this.encoding === "br" ? brotliDecompressSync(bytes) : gunzipSync(bytes);
      const list = JSON.parse(raw.toString("utf8")) as unknown;
      const expected = this.blocks.start[b + 1]! - this.blocks.start[b]!;
      if (!Array.isArray(list) || list.length !== expected)
        throw new Error(`block ${b} holds ${Array.isArray(list) ? list.length : "no"} resources, expected ${expected}`);
      return list as ExportResource[];
    } catch (e) {
      throw new GraphSnapshotDecodeError(`payload block ${b} does not decode: ${(e as Error).message}`, { cause: e });
    }
  }

  private slice(b: number): Buffer {
    const from = this.blocks.offset[b]!;
    const to = from + this.blocks.bytes[b]!;
    const out: Buffer[] = [];
    for (let p = 0; p < this.parts.length; p++) {
      const s = this.partStart[p]!;
      const e = s + this.parts[p]!.length;
      if (e <= from || s >= to) continue;
      out.push(this.parts[p]!.subarray(Math.max(from, s) - s, Math.min(to, e) - s));
    }
    const bytes = out.length === 1 ? out[0]! : Buffer.concat(out);
    if (bytes.length !== to - from) throw new GraphSnapshotDecodeError(`payload block ${b} is truncated`);
    return bytes;
  }
}

/** The whole export again, from the index and every payload block, fields in the order written. */
export function exportOf(index: GraphIndex, payloads: PayloadBytes): TopologyExport {
  const resources: ExportResource[] = [];
  for (let b = 0; b < index.blocks.sha256.length; b++) for (const r of payloads.decode(b)) resources.push(r);
  const edges = Array.from({ length: index.columns.edgeFrom.length }, (_, i) => edgeOf(index.columns, i));
  const { fieldOrder, ...meta } = index.meta as ExportMeta & { fieldOrder?: string[] };
  const parts: Record<string, unknown> = { ...meta, resources, edges, external: index.columns.external };
  const out: Record<string, unknown> = {};
  for (const field of [...(fieldOrder ?? []), ...Object.keys(parts)]) if (field in parts && !(field in out)) out[field] = parts[field];
  return out as TopologyExport;
}

/** The metadata of an index without the writer's bookkeeping. */
export function metaOf(index: GraphIndex): ExportMeta {
  const { fieldOrder: _f, ...meta } = index.meta as ExportMeta & { fieldOrder?: string[] };
  return meta;
}
