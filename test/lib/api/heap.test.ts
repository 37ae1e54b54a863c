// Eight worst-case requests at once must fit a 512 MB instance: run them in a process whose heap
// is capped at 512 MB, over a generated snapshot, and hold the heap they add under half of it.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./support/heap-worst-case.ts", import.meta.url));

/** The heap eight parallel requests may add over the loaded snapshot: half of a 512 MB instance. */
const ADDED_HEAP_BUDGET_MB = 256;

function run(resources: number): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--max-old-space-size=512", "--expose-gc", "--import", "tsx", script, String(resources)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("heap under eight parallel worst-case requests", () => {
  it("stays within the budget of a 512 MB instance over a generated 20,000-resource snapshot", async () => {
    const { code, out, err } = await run(20_000);
    expect(code, err.slice(-2_000)).toBe(0);
    const result = JSON.parse(out.trim().split("\n").at(-1)!) as { baselineMB: number; peakMB: number; statuses: number[] };
    expect(result.statuses).toHaveLength(16);
    expect(result.statuses.filter((s) => s >= 500)).toEqual([]);
    expect(result.statuses).toContain(413);
    expect(result.peakMB - result.baselineMB).toBeLessThan(ADDED_HEAP_BUDGET_MB);
    expect(result.peakMB).toBeLessThan(450);
  }, 240_000);
});
