// The explorer as the deployed app serves it in `entra` mode: `topdeck serve` checking roles
// (checkAccess) and playwright standing in for App Service Authentication, which sets
// x-ms-client-principal on every request of a signed-in browser. What the page says on a 401 and
// a 403, and that a reader cannot start a run while an operator can.

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { APP_ROLES, PRINCIPAL_HEADER } from "../../lib/api/auth.js";
import { loadConfig } from "../../lib/config/index.js";
import { loadEstateFile } from "../../tools/estates/schema.js";
import { sampleEstatePath } from "../../tools/paths.js";
import { type RunningServe, startServe } from "../../tools/serve-command.js";
import { principalHeader } from "../lib/api/fixtures.js";
import { captureIo } from "../support/cli-io.js";
import { launchChromium, recordProblems, screenshot } from "./chromium.js";

describe("the explorer behind Entra sign-in (TOPDECK_AUTH_MODE=entra)", () => {
  let serve: RunningServe;
  let browser: Browser;
  let page: Page;
  let base: string;
  /** The roles of the signed-in browser; undefined: signed out (no principal header). */
  let roles: string[] | undefined = [APP_ROLES.reader];
  const mode = process.env.TOPDECK_AUTH_MODE;
  const refused: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    process.env.TOPDECK_AUTH_MODE = "entra";
    const estate = await loadEstateFile(sampleEstatePath());
    const config = loadConfig({
      TOPDECK_SUBSCRIPTIONS: estate.subscriptions.map((s) => s.subscriptionId).join(","),
      TOPDECK_AUTH_MODE: "entra",
    });
    serve = await startServe({
      io: captureIo(),
      port: 0,
      config,
      estate,
      emulator: { throttle: "off", latencyMs: 1 },
      firstRun: true,
      checkAccess: true,
    });
    base = serve.server.url;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1200, height: 700 } });
    // App Service Authentication's part: the principal on every request of the signed-in browser.
    await context.route(`${base}/**`, (route) => {
      const headers = { ...route.request().headers() };
      delete headers[PRINCIPAL_HEADER];
      void route.continue({ headers: roles === undefined ? headers : { ...headers, ...principalHeader(roles) } });
    });
    page = await context.newPage();
    // The 401s and 403s this test provokes are expected (chromium logs a console line for each).
    recordProblems(page, problems, {
      expected: (status) => status === 401 || status === 403,
      onExpected: (status, url) => refused.push(`${status} ${new URL(url).pathname}`),
    });
  }, 120_000);

  afterAll(async () => {
    if (mode === undefined) delete process.env.TOPDECK_AUTH_MODE;
    else process.env.TOPDECK_AUTH_MODE = mode;
    await browser?.close();
    await serve?.close();
  });

  /** Loads the page afresh on a view (a goto to the same URL and hash would not reload it). */
  async function open(hash: string, view: string): Promise<void> {
    await page.goto("about:blank");
    await page.goto(`${base}/api/explorer${hash}`);
    await page.waitForSelector(`main[data-view="${view}"][data-ready="true"]`);
  }

  const shot = (name: string): Promise<Buffer> => screenshot(page, name);

  it("refuses the API without a principal, as the deployed app does", async () => {
    expect((await fetch(`${base}/api/explorer/summary`)).status).toBe(401);
    expect((await fetch(`${base}/api/explorer/summary`, { headers: principalHeader([]) })).status).toBe(403);
    expect((await fetch(`${base}/api/explorer/summary`, { headers: principalHeader([APP_ROLES.reader]) })).status).toBe(200);
  });

  it("shows a reader the overview and the Runs view with Start run disabled, saying which role starts runs", async () => {
    roles = [APP_ROLES.reader];
    await open("", "overview");
    expect(await page.textContent("main .lead")).toMatch(/resources in snapshot/);
    await open("#/runs", "runs");
    expect(await page.isDisabled("#start-run")).toBe(true);
    expect(await page.textContent("#start-run-why")).toContain("TopDeck operator role (TopDeck.Operator)");
    await page.waitForSelector('.run[data-status="succeeded"]');
    await shot("auth-reader-runs");
    // The API agrees: a reader's POST is a 403.
    expect((await fetch(`${base}/api/discovery/runs`, { method: "POST", headers: principalHeader([APP_ROLES.reader]) })).status).toBe(403);
  });

  it("lets an operator start a run", async () => {
    roles = [APP_ROLES.operator];
    await open("#/runs", "runs");
    expect(await page.isEnabled("#start-run")).toBe(true);
    await page.click("#start-run");
    await page.waitForSelector(".run-message:text('Started run')");
    const started = (await page.textContent(".run-message"))!.replace(/^Started run (.*)\.$/, "$1");
    await page.waitForSelector(`.run[data-status="succeeded"] h3:text("${started}")`, { timeout: 60_000 });
  }, 90_000);

  it("says which role is missing when the API answers 403", async () => {
    roles = [APP_ROLES.reader];
    await open("", "overview");
    roles = ["Some.Other.Role"];
    await page.click("nav a:text('Scenario')");
    await page.waitForSelector('main[data-view="scenario"][data-ready="true"] .access[data-status="403"]');
    expect(await page.textContent("main h2")).toBe("Access needed");
    expect(await page.textContent("main .access")).toContain("the TopDeck reader role (TopDeck.Reader)");
    await shot("auth-403");
  });

  it("offers Sign in, back to the same view, when the API answers 401 (signed out or expired)", async () => {
    roles = [APP_ROLES.reader];
    await open("#/search", "search");
    roles = undefined;
    await page.click("nav a:text('Changes')");
    await page.waitForSelector('main[data-view="changes"][data-ready="true"] .access[data-status="401"]');
    expect(await page.textContent("main h2")).toBe("Sign in");
    const href = await page.getAttribute("main .access a", "href");
    expect(href).toBe(`/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent("/api/explorer#/changes")}`);
    await shot("auth-401");
    // As you type, too.
    roles = [APP_ROLES.reader];
    await open("#/search", "search");
    roles = undefined;
    await page.getByRole("searchbox", { name: "Search resources" }).fill("vnet");
    await page.waitForSelector('ul.results .access[data-status="401"] a:text("Sign in")');
  });

  it("had only the refusals it provoked: no other error, no failed request", () => {
    expect(problems).toEqual([]);
    expect(refused).toEqual(expect.arrayContaining(["403 /api/explorer/summary", "401 /api/explorer/summary", "401 /api/resources"]));
    for (const r of refused) expect(r).toMatch(/^(401|403) \/api\//);
  });
});
