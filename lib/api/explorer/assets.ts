import { buildExplorerAssets, type ExplorerAssets } from "./build-assets.js";

// Set by tools/build-bundle.ts (esbuild `define`): the assets as JSON, so the deployed bundle
// carries them in itself and never needs esbuild or a file next to it.
declare const __TOPDECK_EXPLORER_ASSETS__: string | undefined;

let loaded: Promise<ExplorerAssets> | undefined;

/** The explorer's assets: built into the bundle, or built from web/explorer once per process. */
export function explorerAssets(): Promise<ExplorerAssets> {
  loaded ??=
    typeof __TOPDECK_EXPLORER_ASSETS__ === "string"
      ? Promise.resolve(JSON.parse(__TOPDECK_EXPLORER_ASSETS__) as ExplorerAssets)
      : buildExplorerAssets();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

/**
 * The page's Content-Security-Policy: scripts, styles and requests only from the app itself, no
 * inline script or style, no plugins, no framing. Images may be `data:`/`blob:` (the PNG export).
 */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");
