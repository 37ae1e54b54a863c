// The deployable bundle: every functions/*.ts in one ESM file (dist/bundle/main.js, package.json
// `main`) that the Functions host loads. `npm run build` runs the tsc-built copy of this file.
import { readdir } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { build } from "esbuild";

import { buildExplorerAssets } from "../lib/api/explorer/build-assets.js";
import { packageRoot } from "./paths.js";

/**
 * What stays outside the bundle, and why:
 * - `@azure/functions-core` is not a package: the Functions host injects it at run time (docs/platform.md).
 * - `@azure/monitor-opentelemetry` (and the OpenTelemetry SDK under it) is loaded by a dynamic
 *   import only when APPLICATIONINSIGHTS_CONNECTION_STRING is set; its instrumentations patch
 *   modules through require/import hooks, which cannot see code inlined into a bundle, and keeping
 *   it out keeps the bundle small for the start that does not use it.
 * - `esbuild` builds the explorer's assets when running from source (lib/api/explorer/build-assets.ts);
 *   the bundle carries them built, so the deployed app never imports it.
 */
export const bundleExternals: readonly string[] = ["@azure/functions-core", "@azure/monitor-opentelemetry", "esbuild"];

/** Where `npm run build` writes the bundle, relative to the repository root. */
export const defaultBundleFile = "dist/bundle/main.js";

/** What {@link buildBundle} wrote. */
export interface BuiltBundle {
  /** The entry file the host loads. */
  outfile: string;
  /** The function files it registers. */
  functions: string[];
  /** The entry and the chunks it imports statically: what a cold start loads. */
  startFiles: string[];
  /** Chunks loaded only by a dynamic import, when first needed. */
  lazyFiles: string[];
}

/** Options for {@link buildBundle}. */
export interface BundleOptions {
  /** The file to write. @default <root>/dist/bundle/main.js */
  outfile?: string;
  /** Minify the output. @default true */
  minify?: boolean;
}

/**
 * Bundles index.ts (the app-level setup) and every functions/*.ts into one ESM file for Node 20 with esbuild. CommonJS dependencies
 * (@azure/functions among them) call `require` for their externals, so the bundle gets a real
 * `require` from `createRequire`. Returns the file written and the function files it includes.
 */
export async function buildBundle(options: BundleOptions = {}): Promise<BuiltBundle> {
  const sourceRoot = packageRoot();
  const outfile = resolve(options.outfile ?? join(sourceRoot, defaultBundleFile));
  const functionsDir = join(sourceRoot, "functions");
  const functions = (await readdir(functionsDir)).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).sort();
  // index.ts first: app.setup() must run before any registration, and the
  // exporter (when configured) should be in place before the app's modules run.
  const contents = ["./index.ts", ...functions.map((f) => `./functions/${f}`)].map((f) => `import ${JSON.stringify(f)};`).join("\n");
  // The explorer page's script and style, built for browsers, go in as one JSON string constant.
  const explorer = await buildExplorerAssets(sourceRoot);
  const result = await build({
    metafile: true,
    define: { __TOPDECK_EXPLORER_ASSETS__: JSON.stringify(JSON.stringify(explorer)) },
    stdin: { contents, resolveDir: sourceRoot, sourcefile: "bundle-entry.ts", loader: "ts" },
    // Code behind a dynamic import (the ARM client and the Azure credential, needed only once a
    // discovery run starts) goes to chunk files next to the entry, loaded when first imported,
    // so a cold start parses only what registering the functions and answering queries needs.
    outdir: dirname(outfile),
    entryNames: basename(outfile, ".js"),
    chunkNames: "chunks/[name]-[hash]",
    splitting: true,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minify: options.minify ?? true,
    sourcemap: true,
    external: [...bundleExternals],
    banner: {
      js: 'import { createRequire as __topdeckCreateRequire } from "node:module"; const require = __topdeckCreateRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
  // Follow the static imports from the entry: those chunks load at start, the others on demand.
  const outputs = result.metafile.outputs;
  const byAbsolute = new Map(Object.keys(outputs).map((rel) => [resolve(rel), rel]));
  const start = new Set<string>();
  const visit = (file: string): void => {
    if (start.has(file)) return;
    start.add(file);
    for (const imported of outputs[byAbsolute.get(file) ?? ""]?.imports ?? []) {
      if (imported.kind === "import-statement" && !imported.external) visit(resolve(imported.path));
    }
  };
  visit(outfile);
  const js = [...byAbsolute.keys()].filter((f) => f.endsWith(".js"));
  return { outfile, functions, startFiles: js.filter((f) => start.has(f)), lazyFiles: js.filter((f) => !start.has(f)) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outfile = process.argv[2];
  const { outfile: written, functions, lazyFiles } = await buildBundle(outfile === undefined ? {} : { outfile });
  process.stdout.write(`bundle: ${written} (${functions.length} function files; ${lazyFiles.length} chunks loaded on demand)\n`);
}
