import type { Store } from "../cache/index.js";
import type { ExportMeta, SnapshotPayloads } from "../cache/index.js";
import { isSnapshotError, type SnapshotManifest } from "../cache/index.js";
import { type ExportEdge, type ExportResource, type TopologyExport, TopologyGraph } from "../topology/index.js";
import { ProblemError, problemType } from "./problem.js";

/** The store as the queries use it: snapshots, the generation, the query cache and its state. */
export type QueryStore = Pick<Store, "snapshots" | "generation" | "cache" | "state">;

/** The current snapshot, loaded once per generation and held in memory. */
export interface LoadedSnapshot {
  /** The generation this copy was read under. */
  generation: number;
  /**
   * True when this copy is the head's current snapshot at `generation`: read from the store (not
   * this instance's copy during an outage), not a fall-back to an older kept snapshot, and no
   * commit came between reading the generation and the head. Only then may answers computed from
   * it be cached under `generation`; otherwise the next call tries the newest snapshot again.
   */
  authoritative: boolean;
  /** The export without its resources, edges and external entries: run id, scope, errors, stats, devops. */
  meta: ExportMeta;
  manifest: SnapshotManifest;
  /** The graph, built from the snapshot's graph index: its nodes hold the resources' facts (lib/topology/facts.ts). */
  graph: TopologyGraph;
  /** The discovered resources' facts ordered by key (the resources route's stable order): sorted on first use. */
  readonly byKey: readonly ExportResource[];
  /** The whole resources, by position in the export (`graph.resourcePosition`): fetched apart, decoded per block. */
  payloads: SnapshotPayloads;
}

/** Every edge of a loaded snapshot as the export wrote it (a new array each call). */
export function edgesOf(snapshot: Pick<LoadedSnapshot, "graph">): ExportEdge[] {
  return Array.from({ length: snapshot.graph.edgeCount }, (_, i) => snapshot.graph.edge(i));
}

const monitoringViews = new WeakMap<
  TopologyGraph,
  { resources: readonly ExportResource[]; edges: readonly ExportEdge[]; external: readonly { key: string; id: string; type: string }[] }
>();

/** What monitoring reads of a loaded snapshot (resources' facts, edges, external entries), built once per graph. */
export function monitoringTopology(snapshot: Pick<LoadedSnapshot, "graph" | "byKey">): {
  resources: readonly ExportResource[];
  edges: readonly ExportEdge[];
  external: readonly { key: string; id: string; type: string }[];
} {
  let view = monitoringViews.get(snapshot.graph);
  if (view === undefined) {
    view = { resources: snapshot.byKey, edges: edgesOf(snapshot), external: snapshot.graph.columns.external };
    monitoringViews.set(snapshot.graph, view);
  }
  return view;
}

/** The whole export of a loaded snapshot, rebuilt (every payload block decoded: for diffs and full exports only). */
export async function wholeExport(snapshot: Pick<LoadedSnapshot, "graph" | "meta" | "payloads">): Promise<TopologyExport> {
  return {
    ...snapshot.meta,
    resources: await snapshot.payloads.all(),
    external: [...snapshot.graph.columns.external],
    edges: edgesOf(snapshot),
  };
}

/** 409: nothing to answer from until a discovery run commits its snapshot. */
export function noSnapshot(): ProblemError {
  return new ProblemError({
    type: problemType("no-snapshot"),
    title: "No snapshot yet",
    status: 409,
    detail:
      "no discovery run has been committed yet; POST /api/discovery/runs starts one (or run topdeck discover with the same store settings)",
  });
}

const compareKeys = (a: ExportResource, b: ExportResource): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const sortedFacts = new WeakMap<TopologyGraph, readonly ExportResource[]>();

/** A loaded snapshot whose key-ordered list is sorted when first asked for (not on the cold path of a first query), once per graph. */
class Loaded implements LoadedSnapshot {
  constructor(
    readonly generation: number,
    readonly authoritative: boolean,
    readonly meta: ExportMeta,
    readonly manifest: SnapshotManifest,
    readonly graph: TopologyGraph,
    readonly payloads: SnapshotPayloads,
  ) {}

  get byKey(): readonly ExportResource[] {
    let list = sortedFacts.get(this.graph);
    if (list === undefined) {
      list = [...this.graph.columns.resources].sort(compareKeys);
      sortedFacts.set(this.graph, list);
    }
    return list;
  }

  /** The same copy under another generation. */
  relabel(generation: number, authoritative: boolean): Loaded {
    return new Loaded(generation, authoritative, this.meta, this.manifest, this.graph, this.payloads);
  }
}

/**
 * The current snapshot of one scope as an in-memory graph: read and built once per instance, then
 * answered from memory until the store's generation moves (one small generation read per call).
 * Concurrent callers share one load. While the store is unavailable the last copy keeps answering.
 */
export class SnapshotSource {
  private loaded: Loaded | undefined;
  private loading: { generation: number; promise: Promise<LoadedSnapshot | undefined> } | undefined;

  constructor(
    private readonly store: QueryStore,
    private readonly scope: () => string,
  ) {}

  /** The snapshot scope queries read. */
  scopeKey(): string {
    return this.scope();
  }

  /** The copy in memory, if any, without touching the store (for health). */
  peek(): LoadedSnapshot | undefined {
    return this.loaded;
  }

  /**
   * The current snapshot. @throws ProblemError 409 when none was ever committed, 503 when the
   * store cannot answer and this instance holds no copy.
   */
  async current(): Promise<LoadedSnapshot> {
    const found = await this.tryCurrent();
    if (found === undefined) throw noSnapshot();
    return found;
  }

  /** Like `current`, but undefined when no snapshot was ever committed. */
  async tryCurrent(): Promise<LoadedSnapshot | undefined> {
    let generation: number;
    try {
      generation = await this.store.generation.current();
    } catch (error) {
      if (this.loaded !== undefined) return this.loaded;
      throw error;
    }
    if (this.loaded?.generation === generation && this.loaded.authoritative) return this.loaded;
    if (this.loading?.generation !== generation) {
      const promise = this.load(generation);
      this.loading = { generation, promise };
      void promise.then(
        () => this.loading?.promise === promise && (this.loading = undefined),
        () => this.loading?.promise === promise && (this.loading = undefined),
      );
    }
    return this.loading.promise;
  }

  /** A kept snapshot by run id, or undefined when the scope does not keep it. */
  async kept(runId: string): Promise<{ export: TopologyExport; manifest: SnapshotManifest } | undefined> {
    if (this.loaded?.manifest.runId === runId) {
      const loaded = this.loaded;
      return { export: await this.payloadCall(() => wholeExport(loaded)), manifest: loaded.manifest };
    }
    const read = await this.store.snapshots.read(this.scope(), runId);
    return read === undefined ? undefined : { export: read.export, manifest: read.manifest };
  }

  /** Run ids of the kept snapshots, newest first. */
  async keptRunIds(): Promise<string[]> {
    return (await this.store.snapshots.list(this.scope())).map((m) => m.runId);
  }

  /**
   * Runs a call on the loaded snapshot's payloads; when they turn out unreadable, drops the copy
   * so the next call reads again (and the store falls back to the previous snapshot).
   */
  async payloadCall<T>(call: () => Promise<T>): Promise<T> {
    const held = this.loaded;
    try {
      return await call();
    } catch (error) {
      if (isSnapshotError(error) && this.loaded === held) this.loaded = undefined;
      throw error;
    }
  }

  private async load(generation: number): Promise<LoadedSnapshot | undefined> {
    let read;
    try {
      read = await this.store.snapshots.readGraph(this.scope());
    } catch (error) {
      if (this.loaded !== undefined) return this.loaded;
      throw error;
    }
    if (read === undefined) return undefined;
    const authoritative = !read.fellBack && read.source === "store" && (await this.generationStill(generation));
    if (this.loaded !== undefined) {
      // A copy that is not the current one never replaces (nor re-labels) the one held: it keeps
      // its own generation, so the next call reads the newest snapshot again.
      if (!authoritative) return this.loaded;
      if (this.loaded.manifest.writeId === read.manifest.writeId) {
        this.loaded = this.loaded.relabel(generation, authoritative);
        return this.loaded;
      }
    }
    const graph = new TopologyGraph(read.columns);
    const loaded = new Loaded(generation, authoritative, read.meta, read.manifest, graph, read.payloads);
    this.loaded = loaded;
    return loaded;
  }

  /** Whether the generation is still `generation`: no commit came between it and the head read. */
  private async generationStill(generation: number): Promise<boolean> {
    try {
      return (await this.store.generation.current()) === generation;
    } catch {
      return false;
    }
  }
}
