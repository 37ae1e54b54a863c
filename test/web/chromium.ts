// Debian's chromium, driven by playwright-core (`npx playwright install` cannot download here).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

import { type Browser, chromium, type Page } from "playwright-core";

import { packageRoot } from "../../lib/package-root.js";

/** Where the browser tests write their screenshots (look at them after a change to the page). */
const screenshotsDir = join(packageRoot(), ".topdeck", "screenshots");

/** A full-page screenshot of `page`, written to .topdeck/screenshots/<name>.png. */
export function screenshot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(screenshotsDir, { recursive: true });
  return page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
}

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
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/**
 * Records what must not happen on a page into `problems`: console errors and warnings, page errors,
 * failed requests, answers of 400 and up. `expected(status)` names statuses a test provokes on
 * purpose (passed to `onExpected` instead, and chromium's console line for them is not a problem).
 */
export function recordProblems(
  page: Page,
  problems: string[],
  options: { expected?: (status: number) => boolean; onExpected?: (status: number, url: string) => void } = {},
): void {
  const expected = options.expected ?? (() => false);
  page.on("console", (m) => {
    const status = /Failed to load resource: the server responded with a status of (\d+)/.exec(m.text())?.[1];
    if (status !== undefined && expected(Number(status))) return;
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
  page.on("response", (r) => {
    if (expected(r.status())) options.onExpected?.(r.status(), r.url());
    else if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
}
