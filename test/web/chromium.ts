// Debian's chromium, driven by playwright-core (`npx playwright install` cannot download here).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

import { type Browser, chromium } from "playwright-core";

/** The chromium binary: CHROMIUM_PATH, else `which chromium`. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  try {
    const found = execFileSync("which", ["chromium"], { encoding: "utf8" }).trim();
    if (found !== "" && existsSync(found)) return found;
  } catch {
    // falls through
  }
  throw new Error("chromium not found: install it (apt-get install chromium, as scripts/test-all.sh does) or set CHROMIUM_PATH");
}

/** A headless chromium that reaches nothing but what the test serves. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}
