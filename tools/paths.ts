import { join } from "node:path";

import { packageRoot } from "../lib/package-root.js";

export { packageRoot };

/** The sample estate shipped with TopDeck. */
export const sampleEstatePath = (): string => join(packageRoot(), "tools", "estates", "sample.json");
