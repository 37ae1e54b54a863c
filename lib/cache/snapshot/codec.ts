import { createHash } from "node:crypto";
import { once } from "node:events";
import { constants, createBrotliCompress, createBrotliDecompress, createGunzip, createGzip } from "node:zlib";

import { hasCode } from "../../errors/has-code.js";
import { ChunkSink } from "./chunk-sink.js";
import { exportLines, LineAssembler } from "./export-lines.js";
import type { SnapshotEncoding } from "./manifest.js";

/** Options of {@link encodeChunks}. */
export interface EncodeOptions {
  /** Most base64 characters per chunk (rounded down to a multiple of 4). */
  chunkChars: number;
  /** @default "gzip" */
  encoding?: SnapshotEncoding;
  /** gzip level (1-9) or brotli quality (0-11). @default 6 for gzip, 1 for brotli */
  level?: number;
  /** Called with each chunk as soon as it is complete; at most `concurrency` run at once. */
  onChunk: (chunk: string, index: number) => Promise<void>;
  /** @default 4 */
  concurrency?: number;
}

/** What {@link encodeChunks} wrote. */
export interface EncodedSnapshot {
  chunks: number;
  encoding: SnapshotEncoding;
  /** SHA-256 (hex) of the compressed bytes. */
  sha256: string;
  rawBytes: number;
  storedBytes: number;
}

/**
 * Streams `value` as JSON lines ({@link exportLines}) through compression and hands out base64 chunks of at most `chunkChars`
 * characters as they fill, so serialising (this thread), compressing (libuv's pool) and uploading
 * overlap, and no single string holds the whole export. Each chunk is valid base64 on its own.
 * @throws what `onChunk` throws, after the chunks in flight settle.
 */
export async function encodeChunks(value: object, options: EncodeOptions): Promise<EncodedSnapshot> {
  const { onChunk, encoding = "gzip", concurrency = 4 } = options;
  const level = options.level ?? (encoding === "br" ? 1 : 6);
  const sink = new ChunkSink(options.chunkChars, onChunk, concurrency);
  const zip = encoding === "br" ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: level } }) : createGzip({ level });
  const hash = createHash("sha256");

  const stop = new AbortController();
  const producer = (async () => {
    for (const piece of exportLines(value)) {
      if (!zip.write(piece)) await once(zip, "drain", { signal: stop.signal });
    }
    zip.end();
  })();
  producer.catch((e: unknown) => zip.destroy(e as Error));

  try {
    for await (const data of zip as AsyncIterable<Buffer>) {
      hash.update(data);
      await sink.write(data);
    }
    await sink.end();
    await producer;
  } finally {
    stop.abort();
    zip.destroy();
    await sink.settle();
  }
  return { chunks: sink.chunks, encoding, sha256: hash.digest("hex"), rawBytes: zip.bytesWritten, storedBytes: sink.storedBytes };
}

/** Why stored chunks could not be decoded. */
export class ChunkDecodeError extends Error {
  override readonly name = "ChunkDecodeError";
  /** Stable code, checked by {@link isChunkDecodeError}. */
  readonly code = "TOPDECK_CHUNK_DECODE";
}

/** True for a ChunkDecodeError, also one thrown by another copy of this package. */
export function isChunkDecodeError(e: unknown): e is ChunkDecodeError {
  return hasCode(e, "TOPDECK_CHUNK_DECODE");
}

/** Takes chunks in order as they arrive, decompressing and parsing as it goes; `finish` checks. */
export interface ChunkDecoder {
  push(chunk: string): void;
  /**
   * Verifies the checksum, then returns the object the lines rebuilt.
   * @throws ChunkDecodeError when the checksum differs or the bytes do not decode.
   */
  finish(): Promise<unknown>;
}

/** A decoder for chunks written by {@link encodeChunks} with `encoding`, expected to hash to `sha256`. */
export function chunkDecoder(encoding: SnapshotEncoding, sha256: string): ChunkDecoder {
  const unzip = encoding === "br" ? createBrotliDecompress() : createGunzip();
  const hash = createHash("sha256");
  const lines = new LineAssembler();
  let broken: Error | undefined;
  // Parsed while later chunks are still being fetched; only trusted once the checksum matches.
  unzip.on("data", (data: Buffer) => {
    if (broken) return;
    try {
      lines.push(data);
    } catch (e) {
      broken = e as Error;
    }
  });
  const ended = new Promise<void>((resolve) => {
    unzip.once("end", resolve);
    unzip.on("error", (e) => {
      broken ??= e;
      resolve();
    });
  });
  return {
    push(chunk) {
      const bytes = Buffer.from(chunk, "base64");
      hash.update(bytes);
      if (!unzip.destroyed) unzip.write(bytes);
    },
    async finish() {
      const actual = hash.digest("hex");
      if (actual !== sha256) {
        unzip.destroy();
        throw new ChunkDecodeError(`checksum mismatch: stored ${sha256}, read ${actual}`);
      }
      unzip.end();
      await ended;
      try {
        if (broken) throw broken;
        return lines.end();
      } catch (e) {
        throw new ChunkDecodeError(`chunks do not decode: ${(e as Error).message}`, { cause: e });
      }
    },
  };
}
