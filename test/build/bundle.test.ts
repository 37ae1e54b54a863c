// The production bundle (tools/build-bundle.ts): built into a temp dir, then loaded by a child node
// process whose `@azure/functions-core` is a fake recording `registerFunction` (docs/platform.md).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { appRoutes } from "../../lib/api/routes.js";
import { buildBundle } from "../../tools/build-bundle.js";

const run = promisify(execFile);

interface Registered {
  name: string;
  bindings: Record<string, { type: string; route?: string; methods?: string[]; authLevel?: string }>;
}

const preload = `
import Module from "node:module";
const registered = [];
let model;
const fake = {
  registerFunction: (metadata) => { registered.push(metadata); return { dispose() {} }; },
  registerHook: () => ({ dispose() {} }),
  setProgrammingModel: (m) => { model = m; },
  getProgrammingModel: () => model,
};
const original = Module._load;
Module._load = function (request, ...rest) {
  if (request === "@azure/functions-core") return fake;
  return original.call(this, request, ...rest);
};
process.on("beforeExit", async () => {
  if (model === undefined || capabilities !== undefined) return;
  capabilities = await model.getCapabilities({});
});
let capabilities;
process.on("exit", () => process.stdout.write("REGISTERED " + JSON.stringify({ registered, capabilities })));
`;

describe("production bundle", () => {
  let dir: string;
  let outfile: string;
  let functions: string[];
  let startFiles: string[];
  let lazyFiles: string[];
  let registered: Registered[];
  let capabilities: Record<string, unknown>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "topdeck-bundle-"));
    ({ outfile, functions, startFiles, lazyFiles } = await buildBundle({ outfile: join(dir, "main.js") }));
    await writeFile(join(dir, "preload.mjs"), preload);
    // No APPLICATIONINSIGHTS_CONNECTION_STRING: the externals that load lazily stay unloaded.
    const env = { ...process.env };
    delete env.APPLICATIONINSIGHTS_CONNECTION_STRING;
    const { stdout } = await run(process.execPath, ["--import", join(dir, "preload.mjs"), outfile], { cwd: dir, env, timeout: 15_000 });
    const line = stdout.split("\n").find((l) => l.startsWith("REGISTERED "));
    ({ registered, capabilities } = JSON.parse(line!.slice("REGISTERED ".length)) as {
      registered: Registered[];
      capabilities: Record<string, unknown>;
    });
  }, 20_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes one ESM entry holding every function file", async () => {
    expect((await stat(outfile)).size).toBeGreaterThan(0);
    expect(functions.length).toBeGreaterThan(0);
  });

  it("registers every route of lib/api/routes.ts with its methods and auth level", () => {
    for (const route of Object.values(appRoutes)) {
      const found = registered.filter((r) => r.name === route.name);
      expect(found, route.name).toHaveLength(1);
      const trigger = Object.values(found[0]!.bindings).find((b) => b.type === "httpTrigger");
      expect(trigger?.route, route.name).toBe(route.route);
      expect(trigger?.methods, route.name).toEqual(route.methods);
      expect(trigger?.authLevel, route.name).toBe(route.authLevel);
    }
  });

  it("tells the worker the app emits OpenTelemetry (app.setup runs before the registrations)", () => {
    expect(capabilities).toMatchObject({ WorkerOpenTelemetryEnabled: "true" }); // the library sends capabilities as strings;
  });

  it("keeps the ARM client and the Azure credential out of the cold start, in chunks that load when a run needs them", async () => {
    const text = async (files: string[]) => (await Promise.all(files.map((f) => readFile(f, "utf8")))).join("\n");
    expect(startFiles[0]).toBe(outfile);
    const atStart = await text(startFiles);
    const onDemand = await text(lazyFiles);
    // The ARM client's user agent and the identity package's credential names: strings that
    // survive minifying and that nothing else in the app spells.
    for (const marker of ["azsdk-js-arm-resources", "ManagedIdentityCredential", "AzureCliCredential"]) {
      expect(atStart, marker).not.toContain(marker);
      expect(onDemand, marker).toContain(marker);
    }
    const readers = lazyFiles.find((f) => /readers-[\w-]+\.js$/.test(f));
    expect(readers).toBeDefined();
    const { stdout } = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const m = await import(${JSON.stringify(pathToFileURL(readers!).href)}); process.stdout.write(Object.keys(m).length > 0 ? "LOADED" : "EMPTY");`,
      ],
      { cwd: dir, timeout: 15_000 },
    );
    expect(stdout).toBe("LOADED");
  });

  it("carries the explorer page's assets built in (no esbuild, no file beside it, at run time)", async () => {
    const text = (await Promise.all(startFiles.concat(lazyFiles).map((f) => readFile(f, "utf8")))).join("\n");
    // The page's stylesheet link id and a Cytoscape.js renderer string: the assets are inside.
    expect(text).toContain("__________cytoscape_stylesheet");
    expect(text).toContain("default-src 'self'");
    expect(text).not.toContain("__TOPDECK_EXPLORER_ASSETS__");
  });

  it("makes one registration per function file", () => {
    expect(registered).toHaveLength(functions.length);
    expect(new Set(registered.map((r) => r.name)).size).toBe(registered.length);
  });
});
