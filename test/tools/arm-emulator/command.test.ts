import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { get } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { emulatorCommand } from "../../../tools/arm-emulator/command.js";
import type { CommandIo } from "../../../tools/command-io.js";
import { smallEstate } from "./estate-fixture.js";

let dir: string;
let estateFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "topdeck-emulator-command-"));
  estateFile = join(dir, "estate.json");
  await writeFile(estateFile, JSON.stringify(smallEstate()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture(stop: Promise<void> = new Promise(() => {})): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), waitForStop: () => stop };
}

describe("emulatorCommand flags", () => {
  it.each([
    [[], "--estate FILE is required"],
    [["--estate", "e.json", "--port", "70000"], "--port must be an integer from 0 to 65535"],
    [["--estate", "e.json", "--port", "abc"], "--port must be an integer"],
    [["--estate", "e.json", "--latency-ms", "-5"], "--latency-ms"],
    [["--estate", "e.json", "--page-size", "0"], "--page-size must be an integer of at least 1"],
    [["--estate", "e.json", "--throttle", "250"], "--throttle must be BURST/REFILL_PER_S"],
    [["--estate", "e.json", "--throttle", "0/25"], "--throttle needs a burst of at least 1"],
    [["--estate", "e.json", "--fault-rate", "1.5"], "--fault-rate must be a number from 0 to 1"],
    [["--estate", "e.json", "--seed", "x"], "--seed must be an integer"],
    [["--estate", "e.json", "--bogus"], "'--bogus'"],
    [["--estate"], "'--estate"],
    [["--estate", "e.json", "extra"], "'extra'"],
  ])("%j is refused with exit 2, naming the flag", async (args, message) => {
    const io = capture();
    expect(await emulatorCommand(args, io)).toBe(2);
    expect(io.out).toEqual([]);
    expect(io.err.join("")).toContain(message);
  });

  it("refuses an unreadable or invalid estate file with exit 2", async () => {
    const missing = capture();
    expect(await emulatorCommand(["--estate", join(dir, "nope.json")], missing)).toBe(2);
    expect(missing.err.join("")).toMatch(/--estate: cannot read estate file/);
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ subscriptions: [{ subscriptionId: "s", resources: [{ id: "/nope" }] }] }));
    const invalid = capture();
    expect(await emulatorCommand(["--estate", bad], invalid)).toBe(2);
    expect(invalid.err.join("")).toContain("subscriptions[0].resources[0]");
  });

  it("prints its usage for --help with exit 0", async () => {
    const io = capture();
    expect(await emulatorCommand(["--help"], io)).toBe(0);
    expect(io.out.join("")).toContain("--throttle");
  });
});

describe("emulatorCommand serving", () => {
  it("prints one JSON line with url and CA path, serves, and stops cleanly", async () => {
    let stop = (): void => {};
    const io = capture(new Promise<void>((resolve) => (stop = resolve)));
    const running = emulatorCommand(["--estate", estateFile, "--port", "0", "--throttle", "off", "--page-size", "2"], io);
    while (io.out.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(io.out).toHaveLength(1);
    const ready = JSON.parse(io.out[0] ?? "") as { url: string; caCertPath: string };
    expect(Object.keys(ready)).toEqual(["url", "caCertPath"]);
    expect(ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { readFile } = await import("node:fs/promises");
    const ca = await readFile(ready.caCertPath, "utf8");
    const body = await new Promise<string>((resolve, reject) => {
      get(`${ready.url}/subscriptions?api-version=2022-12-01`, { ca, headers: { authorization: "Bearer x" } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve(text));
      }).on("error", reject);
    });
    const parsed = JSON.parse(body) as { value: unknown[]; nextLink?: string };
    expect(parsed.value).toHaveLength(2);
    stop();
    expect(await running).toBe(0);
    expect(existsSync(ready.caCertPath)).toBe(false);
  });
});
