import { describe, expect, it } from "vitest";

import { correlateErrors } from "../../../../lib/monitoring/analysis/error-correlation.js";
import { errorOnset } from "../../../../lib/monitoring/analysis/error-onset.js";
import type { ClassifiedError } from "../../../../lib/monitoring/loki/classify-errors.js";

const MIN = 60_000;
const window = { startMs: 0, endMs: 60 * MIN, bucketMs: MIN };

function err(timeMs: number, correlationId?: string): ClassifiedError {
  return {
    timeMs,
    timeNs: `${timeMs}000000`,
    level: "error",
    type: "timeout",
    line: "ERROR timeout",
    ...(correlationId && { correlationId }),
  };
}

describe("errorOnset", () => {
  it("a quiet service: its first error", () => {
    expect(errorOnset([30 * MIN + 5_000, 31 * MIN], window)).toEqual({ onsetMs: 30 * MIN + 5_000, ongoing: false });
  });

  it("a steady trickle from the start is ongoing; a rise above it is the onset", () => {
    const trickle = Array.from({ length: 60 }, (_, i) => i * MIN + 1_000);
    expect(errorOnset(trickle, window)).toEqual({ onsetMs: 1_000, ongoing: true });
    const burst = Array.from({ length: 5 }, (_, i) => 40 * MIN + 2_000 + i);
    expect(
      errorOnset(
        [...trickle, ...burst].sort((a, b) => a - b),
        window,
      ),
    ).toEqual({ onsetMs: 40 * MIN + 1_000, ongoing: false });
    // Errors that first appear after the warm-up rise from nothing.
    expect(
      errorOnset(
        trickle.filter((t) => t >= 20 * MIN),
        window,
      ),
    ).toEqual({ onsetMs: 20 * MIN + 1_000, ongoing: false });
  });

  it("no errors: no onset", () => {
    expect(errorOnset([], window)).toBeUndefined();
  });
});

describe("correlateErrors", () => {
  it("orders the path by onset and names the origin, with the ids that travelled", () => {
    const noisy = Array.from({ length: 60 }, (_, i) => err(i * MIN + 30));
    const c = correlateErrors(
      [
        // Erroring all along, without a rise: listed after the resources whose errors began in the window.
        { key: "batch", distance: 1, truncated: false, errors: noisy },
        { key: "gw", distance: 0, truncated: false, errors: [err(33 * MIN, "c-1"), err(33 * MIN + 1, "c-2")] },
        { key: "web", distance: 1, truncated: false, errors: [err(32 * MIN, "c-1"), err(32 * MIN + 5, "c-2")] },
        { key: "db", distance: 2, truncated: false, errors: [err(30 * MIN, "c-1"), err(30 * MIN + 100)] },
        { key: "cache", distance: 2, truncated: false, errors: [] },
        { key: "vault", distance: 2, truncated: false, errors: [], unmonitored: "no query template for type Microsoft.KeyVault/vaults" },
      ],
      window,
    );
    expect(c.resources.map((r) => r.key)).toEqual(["db", "web", "gw", "batch", "cache", "vault"]);
    expect(c.resources[3]).toMatchObject({ ongoing: true, onsetMs: 30 });
    expect(c.origin).toEqual({ key: "db", distance: 2, onsetMs: 30 * MIN, leadMs: 2 * MIN, ongoing: false });
    expect(c.propagation).toEqual([
      {
        correlationId: "c-1",
        path: [
          { key: "db", firstSeenMs: 30 * MIN },
          { key: "web", firstSeenMs: 32 * MIN },
          { key: "gw", firstSeenMs: 33 * MIN },
        ],
      },
      {
        correlationId: "c-2",
        path: [
          { key: "web", firstSeenMs: 32 * MIN + 5 },
          { key: "gw", firstSeenMs: 33 * MIN + 1 },
        ],
      },
    ]);
    expect(c.resources[0]).toMatchObject({ count: 2, byType: { timeout: 2 }, correlationIds: ["c-1"], firstErrorMs: 30 * MIN });
    expect(c.resources[5]!.unmonitored).toContain("no query template");
  });

  it("the same onset minute: the deeper resource leads", () => {
    const c = correlateErrors(
      [
        { key: "app", distance: 0, truncated: false, errors: [err(10 * MIN)] },
        { key: "db", distance: 1, truncated: false, errors: [err(10 * MIN)] },
      ],
      window,
    );
    expect(c.origin?.key).toBe("db");
  });

  it("no errors anywhere: no origin", () => {
    expect(correlateErrors([{ key: "a", distance: 0, truncated: false, errors: [] }], window)).toEqual({
      resources: [expect.objectContaining({ key: "a", count: 0, ongoing: false })],
      propagation: [],
    });
  });
});
