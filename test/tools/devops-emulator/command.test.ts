import { describe, expect, it } from "vitest";

import { devopsEmulatorCommand } from "../../../tools/devops-emulator/command.js";
import { devopsClient } from "../../support/devops.js";

function io(onReady?: (line: string) => Promise<void>) {
  const out: string[] = [];
  const err: string[] = [];
  let ready: (() => void) | undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  return {
    out,
    err,
    io: {
      stdout: (t: string) => {
        out.push(t);
        ready?.();
      },
      stderr: (t: string) => void err.push(t),
      waitForStop: async () => {
        await started;
        await onReady?.(out.join(""));
      },
    },
  };
}

describe("topdeck devops-emulator", () => {
  it("serves the sample organisation and prints where, for the real client", async () => {
    let names: string[] = [];
    const run = io(async (line) => {
      const { url, caCertPath, pat } = JSON.parse(line) as { url: string; caCertPath: string; pat: string };
      const projects = await (await devopsClient({ orgUrl: url, caCertPath }, { pat }).getCoreApi()).getProjects();
      names = projects.map((p) => p.name ?? "");
    });
    expect(await devopsEmulatorCommand(["--org", "sample", "--limit", "off"], run.io)).toBe(0);
    expect(names).toEqual(["web"]);
    expect(run.err.join("")).toMatch(/organisation contoso, 1 projects/);
  });

  it("exits 2 naming the flag for a bad value or a bad file", async () => {
    const bad = io();
    expect(await devopsEmulatorCommand(["--org", "sample", "--limit", "fast"], bad.io)).toBe(2);
    expect(bad.err.join("")).toMatch(/--limit must be a positive integer or off/);
    const missing = io();
    expect(await devopsEmulatorCommand(["--org", "/nonexistent/org.json"], missing.io)).toBe(2);
    expect(missing.err.join("")).toMatch(/--org: \/nonexistent\/org.json/);
    const help = io();
    expect(await devopsEmulatorCommand(["--help"], help.io)).toBe(0);
    expect(help.out.join("")).toMatch(/Usage: topdeck devops-emulator/);
  });
});
