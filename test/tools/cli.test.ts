import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type CliCommand, runCli } from "../../tools/cli-commands.js";
import { smallEstate } from "./arm-emulator/estate-fixture.js";

// tsx itself, not `npx tsx`: npm does not pass SIGTERM on to its child, tsx does.
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
const root = join(import.meta.dirname, "..", "..");

function topdeck(args: string[]): ChildProcess {
  return spawn(process.execPath, [tsxCli, "tools/cli.ts", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

function collect(stream: NodeJS.ReadableStream | null): { text: () => string } {
  let text = "";
  stream?.on("data", (c: Buffer) => (text += c.toString()));
  return { text: () => text };
}

let dir: string;
let estateFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "topdeck-cli-"));
  estateFile = join(dir, "estate.json");
  await writeFile(estateFile, JSON.stringify(smallEstate()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("topdeck (spawned)", () => {
  it("emulator prints its JSON line, answers over HTTPS with its CA, and exits 0 on SIGTERM", async () => {
    const child = topdeck(["emulator", "--estate", estateFile, "--port", "0"]);
    const done = exited(child);
    const stderr = collect(child.stderr);
    const line = await new Promise<string>((resolve, reject) => {
      let buffered = "";
      child.stdout?.on("data", (c: Buffer) => {
        buffered += c.toString();
        const end = buffered.indexOf("\n");
        if (end >= 0) resolve(buffered.slice(0, end));
      });
      void done.then((code) => reject(new Error(`exited ${code}: ${stderr.text()}`)));
    });
    const ready = JSON.parse(line) as { url: string; caCertPath: string };
    const ca = await readFile(ready.caCertPath, "utf8");
    const status = await new Promise<number>((resolve, reject) => {
      request(`${ready.url}/subscriptions?api-version=2022-12-01`, { ca, headers: { authorization: "Bearer t" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(200);
    child.kill("SIGTERM");
    expect(await done).toBe(0);
  });

  it("exits 2 naming the flag for bad flags", async () => {
    const child = topdeck(["emulator", "--estate", estateFile, "--page-size", "none"]);
    const stderr = collect(child.stderr);
    expect(await exited(child)).toBe(2);
    expect(stderr.text()).toContain("--page-size");
  });
});

describe("runCli", () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
  };
  const fake: CliCommand[] = [{ name: "echo", summary: "answers with its argument count", run: async (args) => args.length }];

  it("lists the table's commands for --help, exit 0", async () => {
    const cli = io();
    expect(await runCli(["--help"], fake, cli)).toBe(0);
    expect(cli.out.join("")).toContain("echo  answers with its argument count");
  });

  it("lists the commands that work, and only those", async () => {
    const cli = io();
    expect(await runCli(["--help"], undefined, cli)).toBe(0);
    const commands = cli.out.join("").split("Commands:\n")[1]?.split("\n\n")[0];
    expect(
      commands
        ?.trim()
        .split("\n")
        .map((l) => l.trim().split(/\s+/)[0]),
    ).toEqual(["emulator", "discover", "serve", "demo", "bridge", "impact", "scenario", "devops-emulator"]);
  });

  it("runs the named command with the rest of the arguments", async () => {
    expect(await runCli(["echo", "a", "b"], fake, io())).toBe(2);
    expect(await runCli(["echo"], fake, io())).toBe(0);
  });

  it("exits 2 with the usage for no command or an unknown one", async () => {
    const none = io();
    expect(await runCli([], fake, none)).toBe(2);
    expect(none.err.join("")).toContain("Usage: topdeck");
    const unknown = io();
    expect(await runCli(["discover"], fake, unknown)).toBe(2);
    expect(unknown.err.join("")).toContain("unknown command 'discover'");
  });
});

describe("topdeck serve as a real process (no test transform between it and Node's loader)", () => {
  it("discovers an estate, serves the API, answers over HTTP and stops on SIGTERM", { timeout: 60_000 }, async () => {
    const child = topdeck(["serve", "--estate", estateFile, "--port", "0"]);
    const out = collect(child.stdout);
    const err = collect(child.stderr);
    const done = exited(child);
    let url: string | undefined;
    while (url === undefined) {
      url = /http:\/\/127\.0\.0\.1:\d+/.exec(out.text())?.[0];
      if (child.exitCode !== null) throw new Error(`serve exited early: ${err.text()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const health = await fetch(`${url}/api/health`);
    expect(health.headers.get("content-type")).toContain("application/json");
    expect(((await health.json()) as { status?: string }).status).toMatch(/healthy|degraded/);
    const resources = (await (await fetch(`${url}/api/resources?limit=5`)).json()) as { items?: unknown[] };
    expect(resources.items?.length).toBe(5);
    child.kill("SIGTERM");
    expect(await done).toBe(0);
  });
});
