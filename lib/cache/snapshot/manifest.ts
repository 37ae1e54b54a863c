import { z } from "zod";

/** How the chunks of a snapshot are compressed. */
export const snapshotEncodingSchema = z.enum(["gzip", "br"]);

const manifestFields = {
  scope: z.string(),
  runId: z.string(),
  /** Unique per write, so a re-staged run never touches the chunks of a committed one. */
  writeId: z.string(),
  chunks: z.number().int().min(1),
  encoding: snapshotEncodingSchema,
  /** SHA-256 (hex) of the compressed bytes (version 2: of the index), checked on every read. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Size of the export as JSON lines, before compression. */
  rawBytes: z.number().int().min(0),
  /** Characters stored over all chunks (base64 of the compressed bytes). */
  storedBytes: z.number().int().min(0),
  resources: z.number().int().min(0),
  edges: z.number().int().min(0),
  stagedAt: z.string(),
  committedAt: z.string().optional(),
};

/**
 * Describes one stored snapshot: where its chunks are and how to check and decode them. Version 1
 * is the export as compressed JSON lines; version 2 the graph-ready form (graph-snapshot.ts):
 * chunks `0 .. payloadChunks - 1` hold the payload blocks, the rest the graph index, whose
 * compressed bytes `sha256` covers (each block's hash is in the index).
 */
export const snapshotManifestSchema = z.discriminatedUnion("version", [
  z.object({ version: z.literal(1), ...manifestFields }),
  z.object({
    version: z.literal(2),
    ...manifestFields,
    payloadChunks: z.number().int().min(0),
    /** Compressed bytes of the graph index: what a cold reader fetches before its first answer. */
    indexBytes: z.number().int().min(0),
  }),
]);

/** The commit pointer of a scope: the current snapshot and the previous ones kept for diffs. */
export const snapshotHeadSchema = z.object({
  version: z.literal(1),
  current: snapshotManifestSchema,
  /** Newest first; at most `keep - 1` entries. */
  previous: z.array(snapshotManifestSchema),
});

export type SnapshotManifest = z.infer<typeof snapshotManifestSchema>;
export type SnapshotHead = z.infer<typeof snapshotHeadSchema>;
export type SnapshotEncoding = z.infer<typeof snapshotEncodingSchema>;

/** Parses stored JSON text into a head, or undefined when it is not one. */
export function parseHead(text: string): SnapshotHead | undefined {
  try {
    const parsed = snapshotHeadSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Parses stored JSON text into a manifest, or undefined when it is not one. */
export function parseManifest(text: string): SnapshotManifest | undefined {
  try {
    const parsed = snapshotManifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
