import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FailureAnswer } from "../../lib/topology/index.js";
import { impactCommand, scenarioCommand } from "../../tools/failure-command.js";
import { sampleExport } from "../support/sample-export.js";

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) } };
};

describe("topdeck impact and topdeck scenario over an export file", () => {
  let dir: string;
  let file: string;
  let vmId: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "topdeck-failure-"));
    file = join(dir, "export.json");
    const exp = await sampleExport();
    vmId = exp.resources.find((r) => r.name === "vm-reports-01")!.id;
    await writeFile(file, JSON.stringify(exp));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("impact prints entry points down first, then the lists with their reasons", async () => {
    const c = capture();
    expect(await impactCommand(["--export", file, "--id", vmId.toUpperCase()], c.io)).toBe(0);
    const text = c.out.join("");
    expect(text.indexOf("Entry points down (2):")).toBeLessThan(text.indexOf("Down (4):"));
    expect(text).toContain("lb-reports-corp-neu (microsoft.network/loadbalancers)  backend pool be-reports: lost 1 of 1");
    expect(text).toContain("Entry points degraded: none");
  });

  it("impact --json prints the answer GET /api/impact gives", async () => {
    const c = capture();
    expect(await impactCommand(["--export", file, "--id", vmId, "--json"], c.io)).toBe(0);
    const answer = JSON.parse(c.out.join("")) as FailureAnswer;
    expect(answer.totals).toEqual({ down: 4, degraded: 0, observability: 0, unknown: 0, entryPointsDown: 2, entryPointsDegraded: 0 });
    expect(answer.truncated).toBe(false);
  });

  it("scenario combines zones, regions and ids", async () => {
    const c = capture();
    expect(await scenarioCommand(["--export", file, "--zone", "northeurope/1", "--zone", "westeurope/2", "--json"], c.io)).toBe(0);
    const answer = JSON.parse(c.out.join("")) as FailureAnswer;
    expect(answer.scenario.zones).toEqual([
      { region: "northeurope", zone: "1" },
      { region: "westeurope", zone: "2" },
    ]);
    expect(answer.entryPoints.down.map((e) => e.name)).toEqual(["pip-vm-jump-01"]);
    const r = capture();
    expect(await scenarioCommand(["--export", file, "--region", "northeurope", "--id", vmId], r.io)).toBe(0);
    expect(r.out.join("")).toMatch(/^Failing: vm-reports-01, region northeurope\n/);
  });

  it("exits 2 naming the flag for bad usage, an unreadable export or an unknown id", async () => {
    for (const [args, message] of [
      [["--export", file], "--id is required"],
      [
        ["--export", file, "--id", "/subscriptions/x/resourceGroups/y/providers/A.B/c/nope"],
        "--id /subscriptions/x/resourceGroups/y/providers/A.B/c/nope is not a resource",
      ],
      [["--export", join(dir, "missing.json"), "--id", vmId], "could not be read"],
      [["--export", file, "--id", vmId, "--depth", "2"], "Unknown option '--depth'"],
    ] as const) {
      const c = capture();
      expect(await impactCommand([...args], c.io), args.join(" ")).toBe(2);
      expect(c.err.join("")).toContain(message);
    }
    for (const [args, message] of [
      [["--export", file], "name at least one --id, --zone or --region"],
      [["--export", file, "--zone", "westeurope"], "--zone must be REGION/ZONE"],
    ] as const) {
      const c = capture();
      expect(await scenarioCommand([...args], c.io), args.join(" ")).toBe(2);
      expect(c.err.join("")).toContain(message);
    }
    const help = capture();
    expect(await scenarioCommand(["--help"], help.io)).toBe(0);
    expect(help.out.join("")).toMatch(/^Usage: topdeck scenario --export FILE/);
  });
});
