import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's root folder, whether running from source (tools/) or from the build (dist/tools/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find the topdeck package root");
    dir = up;
  }
  return dir;
}

/** The sample estate shipped with TopDeck. */
export const sampleEstatePath = (): string => join(packageRoot(), "tools", "estates", "sample.json");
