import { z } from "zod";

/**
 * How a cache value is stored: the value (absent for `undefined`), when it was stored, and until
 * when it is fresh (epoch ms). Past `freshUntil` it may still be served stale while revalidating.
 */
export interface Envelope {
  v?: unknown;
  s: number;
  f: number;
}

const envelopeSchema = z.object({ v: z.unknown().optional(), s: z.number(), f: z.number() }).strict();

/** JSON text of an envelope. */
export function wrap(value: unknown, storedAt: number, freshUntil: number): string {
  return JSON.stringify({ v: value, s: storedAt, f: freshUntil } satisfies Envelope);
}

/** The envelope in `text`, or why it is not one (foreign or corrupt value). */
export function unwrap(text: string): { ok: true; envelope: Envelope } | { ok: false; why: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, why: `not JSON: ${(e as Error).message}` };
  }
  const result = envelopeSchema.safeParse(parsed);
  return result.success ? { ok: true, envelope: result.data } : { ok: false, why: "not a cache envelope" };
}
