import { z } from "zod";

import type { DocumentStore } from "../cache/index.js";
import type { DevOpsSnapshot } from "./model.js";

const NAMESPACE = "devops-snapshot";

// Only the envelope is checked: a snapshot is written by this module and read back whole.
/** A stored DevOps snapshot (the previous one, or a run's staged one). */
export const devopsSnapshotSchema = z.looseObject({
  organization: z.string(),
  url: z.string(),
  readAt: z.string(),
  windowStart: z.string(),
  projects: z.array(z.looseObject({ key: z.string(), id: z.string() })),
  serviceConnections: z.array(z.looseObject({ key: z.string() })),
  errors: z.array(z.unknown()),
  stats: z.looseObject({}),
}) as unknown as z.ZodType<DevOpsSnapshot>;

/**
 * Keeps an organisation's snapshot in the store's documents, as the `previous` of its next
 * discovery (what a failing project is carried forward from). @default ttlMs 30 days
 */
export async function saveDevOpsSnapshot(
  documents: Pick<DocumentStore, "set">,
  snapshot: DevOpsSnapshot,
  ttlMs = 30 * 24 * 3_600_000,
): Promise<void> {
  await documents.set(NAMESPACE, snapshot.organization.toLowerCase(), snapshot, ttlMs);
}

/** The organisation's last saved snapshot, or undefined. */
export async function loadDevOpsSnapshot(documents: Pick<DocumentStore, "get">, organization: string): Promise<DevOpsSnapshot | undefined> {
  return documents.get(NAMESPACE, organization.toLowerCase(), devopsSnapshotSchema);
}
