// The explorer's browser assets, built from web/explorer with esbuild: by tools/build-bundle.ts
// into the deployable bundle, and on first request by `topdeck serve` running from source.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { packageRoot } from "../../package-root.js";

/** One asset: its media type and text. */
export interface ExplorerAsset {
  contentType: string;
  body: string;
}

/** The page and its assets by name (`index.html`, `app.js`, `app.css`). */
export type ExplorerAssets = Record<string, ExplorerAsset>;

/**
 * Bundles web/explorer/main.ts (and the CSS it imports) for browsers, minified, every dependency
 * inlined: the page loads nothing from anywhere but the app. Warning: needs the `esbuild`
 * package (a devDependency), so the deployed app never calls it; its assets are built in.
 */
export async function buildExplorerAssets(root: string = packageRoot()): Promise<ExplorerAssets> {
  const { build } = await import("esbuild");
  const dir = join(root, "web", "explorer");
  const result = await build({
    entryPoints: { app: join(dir, "main.ts") },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    outdir: "/explorer-out",
    legalComments: "none",
    logLevel: "warning",
  });
  const assets: ExplorerAssets = {
    "index.html": { contentType: "text/html; charset=utf-8", body: await readFile(join(dir, "index.html"), "utf8") },
  };
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf("/") + 1);
    assets[name] = { contentType: name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", body: file.text };
  }
  return assets;
}
