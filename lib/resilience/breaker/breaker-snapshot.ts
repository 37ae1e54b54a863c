import { z } from "zod";

const windowSchema = z.object({
  windows: z.array(z.object({ startedAt: z.number(), failures: z.number().int().min(0), successes: z.number().int().min(0) })),
  currentWindow: z.number().int().min(0),
  currentFailures: z.number().int().min(0),
  currentSuccesses: z.number().int().min(0),
});

const snapshotSchema = z.object({
  version: z.literal(1),
  state: z.enum(["closed", "open"]),
  openedAt: z.number().min(0),
  openings: z.number().int().min(0),
  consecutiveFailures: z.number().int().min(0),
  window: windowSchema.optional(),
});

/**
 * A breaker's state as plain JSON, to keep in Redis across cold starts. A half-open breaker is
 * saved as open and due (`openedAt: 0`), so the instance that restores it sends a fresh probe.
 */
export type BreakerSnapshot = z.infer<typeof snapshotSchema>;

/** A snapshot read back from storage, or undefined when it is not one (corrupt, other version). */
export function parseBreakerSnapshot(value: unknown): BreakerSnapshot | undefined {
  const parsed = snapshotSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
