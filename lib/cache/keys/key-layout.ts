import { escapeGlob } from "./escape-glob.js";

/** A cache key given by a caller: one part, or parts that nest (`["vm", resourceId]`). */
export type KeyInput = string | readonly string[];

/**
 * Encodes one caller-supplied part so it cannot contain the `:` separator (`%` → `%25`,
 * `:` → `%3A`): `["a:b"]` and `["a", "b"]` never share a key.
 */
export function encodeKeyPart(part: string): string {
  return part.replace(/%/g, "%25").replace(/:/g, "%3A");
}

function parts(key: KeyInput): string[] {
  const list = typeof key === "string" ? [key] : [...key];
  if (list.length === 0) throw new RangeError("Expected a cache key with at least one part, got []");
  return list.map(encodeKeyPart);
}

/**
 * Where everything lives in Redis, under one prefix (docs/cache.md, "Key layout"):
 * `{p}:c:{ns}:{parts}` cache entries, `{p}:q:{gen}:{ns}:{parts}` generational entries,
 * `{p}:gen` the generation, `{p}:lock:{name}` and `{p}:fence:{name}` locks,
 * `{p}:snap:{scope}:head|retired|chunk:{writeId}:{i}` snapshots, `{p}:doc:{ns}:{parts}` documents.
 */
export class KeyLayout {
  private readonly p: string;

  constructor(
    /** @default "topdeck" */
    prefix = "topdeck",
  ) {
    this.p = encodeKeyPart(prefix);
  }

  /** The snapshot generation counter. */
  generation(): string {
    return `${this.p}:gen`;
  }

  /** A cache entry; `generation` set for entries that die with the snapshot they were computed from. */
  entry(namespace: string, key: KeyInput, generation?: number): string {
    return `${this.base(namespace, generation)}:${parts(key).join(":")}`;
  }

  /**
   * The SCAN pattern for every entry of `namespace` under `prefix` (not the `prefix` key itself),
   * with every literal part escaped so `*`, `?`, `[` and `\` match only themselves.
   */
  entryPattern(namespace: string, prefix: readonly string[], generation?: number): string {
    const literal = prefix.length === 0 ? this.base(namespace, generation) : this.entry(namespace, prefix, generation);
    return `${escapeGlob(literal)}:*`;
  }

  /** The lock key of `name`. */
  lock(name: string): string {
    return `${this.p}:lock:${encodeKeyPart(name)}`;
  }

  /** The fencing counter of lock `name`; never expires, so tokens keep increasing. */
  fence(name: string): string {
    return `${this.p}:fence:${encodeKeyPart(name)}`;
  }

  /** A document (state that must not be lost to a cache miss, e.g. a discovery run's record). */
  document(namespace: string, key: KeyInput): string {
    return `${this.p}:doc:${encodeKeyPart(namespace)}:${parts(key).join(":")}`;
  }

  /** The committed-snapshot pointer of `scope`. */
  snapshotHead(scope: string): string {
    return `${this.snapshotBase(scope)}:head`;
  }

  /** Snapshots that fell out of the kept set and still need their expiry set. */
  snapshotRetired(scope: string): string {
    return `${this.snapshotBase(scope)}:retired`;
  }

  /** Chunk `index` of one snapshot write. */
  snapshotChunk(scope: string, writeId: string, index: number): string {
    return `${this.snapshotBase(scope)}:chunk:${encodeKeyPart(writeId)}:${index}`;
  }

  private base(namespace: string, generation?: number): string {
    const ns = encodeKeyPart(namespace);
    return generation === undefined ? `${this.p}:c:${ns}` : `${this.p}:q:${generation}:${ns}`;
  }

  private snapshotBase(scope: string): string {
    return `${this.p}:snap:${encodeKeyPart(scope)}`;
  }
}
