import { randomUUID } from "node:crypto";

import type { Logger } from "../../log/index.js";
import type { ExportResource, TopologyExport } from "../../topology/export-format.js";
import { type GraphColumns, graphColumns } from "../../topology/graph.js";
import { SnapshotError } from "../errors/snapshot-error.js";
import { isStoreUnavailableError } from "../errors/store-unavailable-error.js";
import type { Generation } from "../generation/generation.js";
import type { StoreGuard } from "../guard/store-guard.js";
import type { KeyLayout } from "../keys/key-layout.js";
import { checkExport } from "./check-export.js";
import { chunkDecoder, encodeChunks, isChunkDecodeError } from "./codec.js";
import type { ExportMeta, PayloadBlocks } from "./graph-index.js";
import { decodeIndexChunks, encodeGraphSnapshot, exportOf, GraphSnapshotDecodeError, metaOf, PayloadBytes } from "./graph-snapshot.js";
import { parseHead, parseManifest, type SnapshotEncoding, type SnapshotHead, type SnapshotManifest } from "./manifest.js";

/** Options of {@link SnapshotStore}. */
export interface SnapshotStoreOptions {
  guard: StoreGuard;
  layout: KeyLayout;
  generation: Generation;
  log: Logger;
  /** Largest request body one chunk write may make, framing included (Upstash's limit). @default 1_000_000 */
  chunkBytes?: number;
  /** Snapshots kept per scope, the current one included; older ones expire. @default 3 */
  keep?: number;
  /** Staged chunks that are never committed expire after this. @default 3_600_000 */
  stagingTtlMs?: number;
  /** Chunks of a snapshot that fell out of the kept set live this much longer, for readers still on it. @default 300_000 */
  retiredGraceMs?: number;
  /** Time limit of one chunk write, chunk read batch or commit. @default 10_000 */
  bulkTimeoutMs?: number;
  /** Chunk writes in flight at once. @default 4 */
  writeConcurrency?: number;
  /** Chunks read per request. @default 8 */
  readBatch?: number;
  /**
   * Compression of the chunks. Brotli at quality 1 compresses 100,000 resources about three times
   * faster than gzip -6 for about 10% more bytes (docs/cache.md). @default "br"
   */
  encoding?: SnapshotEncoding;
  /** gzip level (1-9) or brotli quality (0-11). @default 6 for gzip, 1 for brotli */
  compressionLevel?: number;
  /**
   * What a read checks after the checksum: `shallow` (version, run id and counts against the
   * manifest) or `full` (the export schema over every resource: seconds for 100,000). @default "shallow"
   */
  validate?: "shallow" | "full";
  /**
   * The format new snapshots are written in: 2, the graph-ready form (docs/cache.md), or 1, the
   * export as JSON lines that earlier versions wrote (kept to test upgrades). Both are read.
   * @default 2
   */
  format?: 1 | 2;
  /** Payload blocks kept decoded per loaded snapshot (least recently used go). @default 16 */
  decodedBlocks?: number;
  /** @default Date.now */
  now?: () => number;
  /** Write ids. @default crypto.randomUUID */
  randomId?: () => string;
}

/** Chunks written under a write id, not yet visible to readers. */
export interface StagedSnapshot {
  manifest: SnapshotManifest;
}

/** A committed snapshot and the generation its commit produced. */
export interface CommittedSnapshot {
  manifest: SnapshotManifest;
  generation: number;
  /** Run ids that fell out of the kept set with this commit. */
  retired: string[];
}

/** A snapshot read back. */
export interface SnapshotRead {
  export: TopologyExport;
  manifest: SnapshotManifest;
  /** `memory`: Redis was unavailable, so this is this instance's last copy. */
  source: "store" | "instance-copy";
  /** True when the newest snapshot was unreadable and an older one answered. */
  fellBack: boolean;
  /** The newer snapshots skipped, and why. */
  skipped: { runId: string; why: string }[];
}

/**
 * The whole resources of a snapshot whose graph was read on its own: fetched (format 2) when first
 * asked for, each block checked against its hash, decoded when a resource of it is asked for.
 */
export interface SnapshotPayloads {
  /**
   * The resources at these positions of the export's `resources`, in the order asked.
   * @throws SnapshotError `unreadable` when a payload chunk is gone or fails its checksum (the
   *   store then skips this snapshot on its next graph read); StoreUnavailableError.
   */
  at(positions: readonly number[]): Promise<ExportResource[]>;
  /** Every resource, in order (for diffs and exports: decodes every block). Same errors as `at`. */
  all(): Promise<ExportResource[]>;
}

/** A snapshot's graph read back without its payloads (format 1 snapshots are read whole and indexed in memory). */
export interface SnapshotGraphRead {
  /** The export without `resources`, `edges` and `external`. */
  meta: ExportMeta;
  /** The resources' facts and the edges, as columns: what `new TopologyGraph(columns)` takes. */
  columns: GraphColumns;
  payloads: SnapshotPayloads;
  manifest: SnapshotManifest;
  source: "store" | "instance-copy";
  fellBack: boolean;
  skipped: { runId: string; why: string }[];
}

/**
 * The lock a commit is fenced by: the lock's name (as given to `LockManager.acquire`), the owner
 * token it was taken with, and the fencing token that acquisition returned.
 */
export interface Fence {
  lock: string;
  owner: string;
  token: number;
}

/** Options of {@link SnapshotStore.commit} and {@link SnapshotStore.write}. */
export interface CommitOptions {
  /**
   * Commit only while this lock is still held by `owner` under `token`, checked in the same atomic
   * step as the swap; otherwise nothing changes and the commit throws SnapshotError `fenced`.
   * @default unfenced
   */
  fence?: Fence;
}

const COMMIT_ATTEMPTS = 5;

/**
 * Discovery snapshots in Redis: written as compressed chunks staged under a write id, committed by
 * one atomic pointer swap that also bumps the generation, read back with a checksum check and a
 * fall-back to the previous good snapshot; the last `keep` are kept for diffs.
 */
export class SnapshotStore {
  private readonly options: Required<Omit<SnapshotStoreOptions, "guard" | "layout" | "generation" | "log" | "compressionLevel">> &
    Pick<SnapshotStoreOptions, "compressionLevel">;
  private readonly last = new Map<string, SnapshotRead>();
  private readonly lastGraph = new Map<string, SnapshotGraphRead>();
  /** Write ids whose payloads failed after their graph was read: skipped by later graph reads. */
  private readonly badPayloads = new Set<string>();

  constructor(private readonly deps: SnapshotStoreOptions) {
    this.options = {
      chunkBytes: 1_000_000,
      keep: 3,
      stagingTtlMs: 3_600_000,
      retiredGraceMs: 300_000,
      bulkTimeoutMs: 10_000,
      writeConcurrency: 4,
      readBatch: 8,
      encoding: "br",
      validate: "shallow",
      format: 2,
      decodedBlocks: 16,
      now: Date.now,
      randomId: randomUUID,
      ...withoutUndefined(deps),
    };
    if (!Number.isInteger(this.options.keep) || this.options.keep < 1)
      throw new RangeError(`Expected \`keep\` to be an integer from 1 and up, got ${this.options.keep}`);
  }

  /**
   * Writes `snapshot` as staged chunks; readers do not see it until {@link commit}. Staged chunks
   * expire after `stagingTtlMs` if never committed.
   * @throws StoreUnavailableError when Redis fails a chunk write; SnapshotError `too-large` when the
   *   chunk limit leaves no room for data.
   */
  async stage(scope: string, snapshot: TopologyExport, options: { ttlMs?: number } = {}): Promise<StagedSnapshot> {
    const writeId = this.options.randomId();
    const ttlMs = options.ttlMs ?? this.options.stagingTtlMs;
    const writeOptions = {
      chunkChars: this.payloadChars(scope, writeId, ttlMs),
      encoding: this.options.encoding,
      level: this.options.compressionLevel,
      concurrency: this.options.writeConcurrency,
      onChunk: (chunk: string, index: number) => {
        const key = this.deps.layout.snapshotChunk(scope, writeId, index);
        return this.deps.guard.call("snapshot.stage", (d) => d.set(key, chunk, ttlMs, true), this.options.bulkTimeoutMs);
      },
    };
    const common = {
      scope,
      runId: snapshot.runId,
      writeId,
      encoding: this.options.encoding,
      resources: snapshot.resources.length,
      edges: snapshot.edges.length,
      stagedAt: new Date(this.options.now()).toISOString(),
    };
    if (this.options.format === 1) {
      const encoded = await encodeChunks(snapshot, writeOptions);
      const manifest: SnapshotManifest = {
        version: 1,
        ...common,
        chunks: encoded.chunks,
        sha256: encoded.sha256,
        rawBytes: encoded.rawBytes,
        storedBytes: encoded.storedBytes,
      };
      return { manifest };
    }
    const encoded = await encodeGraphSnapshot(snapshot, writeOptions);
    const manifest: SnapshotManifest = {
      version: 2,
      ...common,
      chunks: encoded.chunks,
      payloadChunks: encoded.payloadChunks,
      sha256: encoded.sha256,
      rawBytes: encoded.rawBytes,
      storedBytes: encoded.storedBytes,
      indexBytes: encoded.indexBytes,
    };
    return { manifest };
  }

  /**
   * Makes a staged snapshot the current one in one atomic step (readers see the old one or the new
   * one, never a mix), bumps the generation, and expires snapshots beyond `keep`. Idempotent: a
   * commit that timed out after Redis applied it succeeds when called again (checked before the
   * fence, so also once the lock is gone).
   * @throws SnapshotError `incomplete` when a staged chunk is gone (stage again), `conflict` when
   *   other commits kept winning, `fenced` when `options.fence` no longer stands;
   *   StoreUnavailableError when Redis is unavailable.
   */
  async commit(staged: StagedSnapshot, options: CommitOptions = {}): Promise<CommittedSnapshot> {
    const { fence } = options;
    const { scope, writeId } = staged.manifest;
    const headKey = this.deps.layout.snapshotHead(scope);
    for (let attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
      const raw = await this.deps.guard.call("snapshot.head", (d) => d.get(headKey));
      const head = raw === null ? undefined : parseHead(raw);
      if (raw !== null && head === undefined) this.deps.log.warn("snapshot head unreadable; replacing it", { scope });
      if (head?.current.writeId === writeId) {
        return { manifest: head.current, generation: await this.deps.generation.current(), retired: [] };
      }
      const manifest: SnapshotManifest = { ...staged.manifest, committedAt: new Date(this.options.now()).toISOString() };
      const kept = head === undefined ? [] : [head.current, ...head.previous];
      const previous = kept.slice(0, this.options.keep - 1);
      const retired = kept.slice(this.options.keep - 1);
      const next: SnapshotHead = { version: 1, current: manifest, previous };
      const result = await this.deps.guard.call(
        "snapshot.commit",
        (d) =>
          d.swapPointer({
            pointerKey: headKey,
            expected: raw,
            next: JSON.stringify(next),
            requiredKeys: this.chunkKeys(manifest),
            counterKey: this.deps.layout.generation(),
            listKey: this.deps.layout.snapshotRetired(scope),
            listAppend: retired.map((m) => JSON.stringify(m)),
            ...(fence === undefined
              ? {}
              : {
                  fence: {
                    lockKey: this.deps.layout.lock(fence.lock),
                    fenceKey: this.deps.layout.fence(fence.lock),
                    owner: fence.owner,
                    token: fence.token,
                  },
                }),
          }),
        this.options.bulkTimeoutMs,
      );
      if (result.status === "missing") {
        throw new SnapshotError(
          "incomplete",
          `Snapshot ${manifest.runId} of ${scope} cannot be committed: staged chunk ${result.key} is gone; stage it again`,
        );
      }
      if (result.status === "fenced") {
        const holder =
          result.holder === null
            ? "nobody holds it"
            : result.holder === fence?.owner
              ? "held by the same owner"
              : `held by ${result.holder}`;
        throw new SnapshotError(
          "fenced",
          `Snapshot ${manifest.runId} of ${scope} not committed: fencing token ${fence?.token} of lock ${fence?.lock} is no longer current (current token ${result.token}, ${holder})`,
        );
      }
      if (result.status === "conflict") continue;
      const generation = this.deps.generation.observe(result.counter);
      await this.sweepRetired(scope);
      return { manifest, generation, retired: retired.map((m) => m.runId) };
    }
    throw new SnapshotError("conflict", `Snapshot commit for ${scope} lost to other commits ${COMMIT_ATTEMPTS} times`);
  }

  /**
   * Reads a staged (never committed) snapshot back, checked like a committed one: for work that
   * stages parts on one instance and assembles them on another (a discovery run's subscriptions).
   * @throws SnapshotError `unreadable` when a chunk is gone or fails its checksum;
   *   StoreUnavailableError when Redis is unavailable.
   */
  async readStaged(staged: StagedSnapshot): Promise<TopologyExport> {
    return this.load(staged.manifest);
  }

  /** Deletes a staged snapshot's chunks now rather than when they expire. */
  async discard(staged: StagedSnapshot): Promise<void> {
    await this.deps.guard.call("snapshot.discard", (d) => d.del(this.chunkKeys(staged.manifest)), this.options.bulkTimeoutMs);
  }

  /** Stages and commits `snapshot` (fenced when `options.fence` is given); see {@link stage} and {@link commit}. */
  async write(scope: string, snapshot: TopologyExport, options: CommitOptions = {}): Promise<CommittedSnapshot> {
    const committed = await this.commit(await this.stage(scope, snapshot), options);
    this.last.set(scope, { export: snapshot, manifest: committed.manifest, source: "instance-copy", fellBack: false, skipped: [] });
    return committed;
  }

  /**
   * The current snapshot of `scope` (or the kept one of `runId`), checked against its checksum and
   * the export schema; falls back to older kept snapshots when it fails. While Redis is
   * unavailable, answers with this instance's last copy (`source: "instance-copy"`) if it has one.
   * @returns undefined when nothing was ever committed for `scope` (or `runId` is not kept).
   * @throws SnapshotError `unreadable` when no kept snapshot passes; StoreUnavailableError when
   *   Redis is unavailable and there is no copy in memory.
   */
  async read(scope: string, runId?: string): Promise<SnapshotRead | undefined> {
    return this.readKept(scope, runId, this.last, async (manifest) => ({ export: await this.load(manifest) }));
  }

  /**
   * The graph of the current snapshot of `scope` (or the kept one of `runId`) without its
   * payloads: for format 2 only the index chunks are fetched and checked before this returns;
   * the payload chunks are fetched when `payloads` is first used. Falls back to older kept
   * snapshots like {@link read}, also past one whose payloads failed on this instance; while Redis
   * is unavailable, answers with this instance's last graph read.
   * @returns undefined when nothing was ever committed for `scope` (or `runId` is not kept).
   * @throws SnapshotError `unreadable` when no kept snapshot passes; StoreUnavailableError when
   *   Redis is unavailable and there is no copy in memory.
   */
  async readGraph(scope: string, runId?: string): Promise<SnapshotGraphRead | undefined> {
    return this.readKept(scope, runId, this.lastGraph, (manifest) => {
      if (this.badPayloads.has(manifest.writeId)) throw new SnapshotError("unreadable", "its payloads failed on this instance");
      return this.loadGraph(manifest);
    });
  }

  /**
   * The current snapshot (or the kept one of `runId`) as `load` reads it, newest first past those
   * that fail (each logged and listed in `skipped`); this instance's copy in `last` while the
   * store is unavailable.
   */
  private async readKept<
    T extends {
      manifest: SnapshotManifest;
      source: "store" | "instance-copy";
      fellBack: boolean;
      skipped: { runId: string; why: string }[];
    },
  >(
    scope: string,
    runId: string | undefined,
    last: Map<string, T>,
    load: (manifest: SnapshotManifest) => Promise<Omit<T, "manifest" | "source" | "fellBack" | "skipped">>,
  ): Promise<T | undefined> {
    try {
      const head = await this.head(scope);
      if (head === undefined) return undefined;
      const kept = [head.current, ...head.previous];
      const candidates = runId === undefined ? kept : kept.filter((m) => m.runId === runId);
      const skipped: T["skipped"] = [];
      for (const manifest of candidates) {
        try {
          const read = { ...(await load(manifest)), manifest, source: "store", fellBack: skipped.length > 0, skipped } as T;
          if (runId === undefined) last.set(scope, { ...read, source: "instance-copy" });
          return read;
        } catch (e) {
          if (isStoreUnavailableError(e)) throw e;
          const why = e instanceof Error ? e.message : String(e);
          skipped.push({ runId: manifest.runId, why });
          this.deps.log.warn("snapshot unreadable; trying the previous one", { scope, runId: manifest.runId, why });
        }
      }
      if (candidates.length === 0) return undefined;
      throw new SnapshotError(
        "unreadable",
        `No kept snapshot of ${scope} is readable: ${skipped.map((s) => `${s.runId}: ${s.why}`).join("; ")}`,
      );
    } catch (e) {
      const copy = last.get(scope);
      if (isStoreUnavailableError(e) && copy !== undefined && (runId === undefined || copy.manifest.runId === runId)) return copy;
      throw e;
    }
  }

  /**
   * Manifests of the kept snapshots of `scope`, newest first (empty when none).
   * @throws StoreUnavailableError when Redis is unavailable.
   */
  async list(scope: string): Promise<SnapshotManifest[]> {
    const head = await this.head(scope);
    return head === undefined ? [] : [head.current, ...head.previous];
  }

  private async head(scope: string): Promise<SnapshotHead | undefined> {
    const raw = await this.deps.guard.call("snapshot.head", (d) => d.get(this.deps.layout.snapshotHead(scope)));
    if (raw === null) return undefined;
    const head = parseHead(raw);
    if (head === undefined) throw new SnapshotError("unreadable", `The snapshot head of ${scope} is not a snapshot head`);
    return head;
  }

  private async load(manifest: SnapshotManifest): Promise<TopologyExport> {
    if (manifest.version === 2) {
      const index = await this.fetchIndex(manifest);
      const payloads = await this.fetchPayloads(manifest, index.blocks);
      return checkExport(exportOf(index, payloads), manifest, this.options.validate);
    }
    const keys = this.chunkKeys(manifest);
    const decoder = chunkDecoder(manifest.encoding, manifest.sha256);
    // Batches one after the other: decompressing one overlaps fetching the next.
    for (let at = 0; at < keys.length; at += this.options.readBatch) {
      const batch = keys.slice(at, at + this.options.readBatch);
      const values = await this.deps.guard.call("snapshot.read", (d) => d.mget(batch), this.options.bulkTimeoutMs);
      values.forEach((value, i) => {
        if (value === null) throw new SnapshotError("unreadable", `chunk ${at + i} of ${manifest.chunks} is missing`);
        decoder.push(value);
      });
    }
    let decoded: unknown;
    try {
      decoded = await decoder.finish();
    } catch (e) {
      if (isChunkDecodeError(e)) throw new SnapshotError("unreadable", e.message, { cause: e });
      throw e;
    }
    return checkExport(decoded, manifest, this.options.validate);
  }

  /** The graph of one snapshot: format 2 from its index alone, format 1 by reading it whole. */
  private async loadGraph(manifest: SnapshotManifest): Promise<Pick<SnapshotGraphRead, "meta" | "columns" | "payloads">> {
    if (manifest.version === 1) {
      const exp = await this.load(manifest);
      const { resources, edges: _e, external: _x, ...meta } = exp;
      return {
        meta,
        columns: graphColumns(exp),
        payloads: {
          at: async (positions) =>
            positions.map((p) => {
              if (!(p >= 0 && p < resources.length)) throw new RangeError(`No resource at position ${p} of ${resources.length}`);
              return resources[p]!;
            }),
          all: async () => resources,
        },
      };
    }
    const index = await this.fetchIndex(manifest);
    if (
      index.columns.resources.length !== manifest.resources ||
      index.columns.edgeFrom.length !== manifest.edges ||
      index.meta.runId !== manifest.runId
    ) {
      throw new SnapshotError(
        "unreadable",
        `the index does not match its manifest (run ${index.meta.runId}, ${index.columns.resources.length} resources, ${index.columns.edgeFrom.length} edges)`,
      );
    }
    // Fetched on first use, not before the first answer: a cold instance's graph queries never wait
    // for payload bytes. An unavailable store is retried by the next call; bad bytes are final.
    let fetching: Promise<PayloadBytes> | undefined;
    const fetched = (): Promise<PayloadBytes> =>
      (fetching ??= this.fetchPayloads(manifest, index.blocks).catch((e: unknown) => {
        if (isStoreUnavailableError(e)) fetching = undefined;
        else {
          this.badPayloads.add(manifest.writeId);
          this.deps.log.warn("snapshot payloads unreadable; later reads skip this snapshot", {
            scope: manifest.scope,
            runId: manifest.runId,
            why: e instanceof Error ? e.message : String(e),
          });
        }
        throw e;
      }));
    const decoded = new Map<number, ExportResource[]>();
    const block = (bytes: PayloadBytes, b: number): ExportResource[] => {
      let list = decoded.get(b);
      if (list === undefined) {
        list = bytes.decode(b);
        if (decoded.size >= this.options.decodedBlocks) decoded.delete(decoded.keys().next().value!);
      } else decoded.delete(b);
      decoded.set(b, list);
      return list;
    };
    const start = index.blocks.start;
    return {
      meta: metaOf(index),
      columns: index.columns,
      payloads: {
        at: async (positions) => {
          const bytes = await fetched();
          return positions.map((p) => {
            if (!(p >= 0 && p < manifest.resources)) throw new RangeError(`No resource at position ${p} of ${manifest.resources}`);
            const b = bytes.blockOf(p);
            return block(bytes, b)[p - start[b]!]!;
          });
        },
        all: async () => {
          const bytes = await fetched();
          const out: ExportResource[] = [];
          for (let b = 0; b < index.blocks.sha256.length; b++) for (const r of bytes.decode(b)) out.push(r);
          return out;
        },
      },
    };
  }

  /** Fetches a format-2 snapshot's index chunks and decodes them. */
  private async fetchIndex(manifest: Extract<SnapshotManifest, { version: 2 }>) {
    const chunks = await this.fetchChunks(manifest, manifest.payloadChunks, manifest.chunks);
    try {
      return await decodeIndexChunks(chunks, manifest.encoding, manifest.sha256);
    } catch (e) {
      if (e instanceof GraphSnapshotDecodeError) throw new SnapshotError("unreadable", e.message, { cause: e });
      throw e;
    }
  }

  /** Fetches a format-2 snapshot's payload chunks and checks every block's hash. */
  private async fetchPayloads(manifest: Extract<SnapshotManifest, { version: 2 }>, blocks: PayloadBlocks): Promise<PayloadBytes> {
    const chunks = await this.fetchChunks(manifest, 0, manifest.payloadChunks);
    try {
      return new PayloadBytes(chunks, blocks, manifest.encoding);
    } catch (e) {
      if (e instanceof GraphSnapshotDecodeError) throw new SnapshotError("unreadable", e.message, { cause: e });
      throw e;
    }
  }

  /** Chunks `from .. to - 1` of a snapshot, `readBatch` per request. @throws SnapshotError `unreadable` naming a missing one. */
  private async fetchChunks(manifest: SnapshotManifest, from: number, to: number): Promise<string[]> {
    const keys = this.chunkKeys(manifest).slice(from, to);
    const out: string[] = [];
    for (let at = 0; at < keys.length; at += this.options.readBatch) {
      const values = await this.deps.guard.call(
        "snapshot.read",
        (d) => d.mget(keys.slice(at, at + this.options.readBatch)),
        this.options.bulkTimeoutMs,
      );
      values.forEach((value, i) => {
        if (value === null) throw new SnapshotError("unreadable", `chunk ${from + at + i} of ${manifest.chunks} is missing`);
        out.push(value);
      });
    }
    return out;
  }

  /** Sets the expiry of snapshots that fell out of the kept set; what fails is retried next commit. */
  private async sweepRetired(scope: string): Promise<void> {
    const listKey = this.deps.layout.snapshotRetired(scope);
    try {
      for (const raw of await this.deps.guard.call("snapshot.retired", (d) => d.listRange(listKey))) {
        const manifest = parseManifest(raw);
        if (manifest !== undefined) {
          const keys = this.chunkKeys(manifest);
          if (this.options.retiredGraceMs > 0)
            await this.deps.guard.call("snapshot.expire", (d) => d.pexpire(keys, this.options.retiredGraceMs));
          else await this.deps.guard.call("snapshot.expire", (d) => d.del(keys));
        }
        await this.deps.guard.call("snapshot.retired", (d) => d.listRemove(listKey, raw));
      }
    } catch (e) {
      if (!isStoreUnavailableError(e)) throw e;
      this.deps.log.warn("retired snapshots not expired yet; the next commit retries", { scope, error: e.message });
    }
  }

  private chunkKeys(manifest: SnapshotManifest): string[] {
    return Array.from({ length: manifest.chunks }, (_, i) => this.deps.layout.snapshotChunk(manifest.scope, manifest.writeId, i));
  }

  /** Base64 characters per chunk so that the whole SET request stays within `chunkBytes`. */
  private payloadChars(scope: string, writeId: string, ttlMs: number): number {
    const widestKey = this.deps.layout.snapshotChunk(scope, writeId, 999_999);
    // The request an Upstash pipeline sends for one chunk, without the chunk; 64 bytes of slack.
    const framing = Buffer.byteLength(JSON.stringify([["set", widestKey, "", "px", String(ttlMs)]])) + 64;
    const room = this.options.chunkBytes - framing;
    if (room < 1_024)
      throw new SnapshotError("too-large", `A chunk limit of ${this.options.chunkBytes} bytes leaves ${room} for data after the key`);
    return room;
  }
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
