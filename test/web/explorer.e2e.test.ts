// The explorer page end to end in a real browser: `topdeck serve`'s startServe over the sample
// estate through the ARM emulator (in-memory store), Debian's chromium driven by playwright-core.
// Every view is opened as a user would; screenshots go to .topdeck/screenshots (git-ignored).
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "../../lib/config/index.js";
import { loadEstateFile } from "../../tools/estates/schema.js";
import { packageRoot, sampleEstatePath } from "../../tools/paths.js";
import { type RunningServe, startServe } from "../../tools/serve-command.js";
import { captureIo } from "../support/cli-io.js";
import { launchChromium } from "./chromium.js";

const screenshots = join(packageRoot(), ".topdeck", "screenshots");

/** What the browser's own XML parser made of an exported file. */
interface Parsed {
  error: boolean;
  root: string;
  svgNodes: number;
  hasModelRoot: boolean;
  vertices: number;
  edges: number;
  dangling: number;
}

// Runs in the browser (the test's tsconfig has no DOM types, so it travels as text).
const parseSource = `(text, type) => {
  const d = new DOMParser().parseFromString(text, type);
  const cells = [...d.getElementsByTagName("mxCell")];
  const ids = new Set(cells.map((c) => c.getAttribute("id")));
  const edges = cells.filter((c) => c.getAttribute("edge") === "1");
  return {
    error: d.getElementsByTagName("parsererror").length > 0,
    root: d.documentElement.tagName,
    svgNodes: d.querySelectorAll("g.node").length,
    hasModelRoot: d.querySelector("mxfile > diagram > mxGraphModel > root") !== null,
    vertices: cells.filter((c) => c.getAttribute("vertex") === "1").length,
    edges: edges.length,
    dangling: edges.filter((e) => !ids.has(e.getAttribute("source")) || !ids.has(e.getAttribute("target"))).length,
  };
}`;

interface Totals {
  down: number;
  degraded: number;
}

describe("the explorer page in chromium", () => {
  let serve: RunningServe;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const problems: string[] = [];

  beforeAll(async () => {
    const estate = await loadEstateFile(sampleEstatePath());
    const config = loadConfig({ TOPDECK_SUBSCRIPTIONS: estate.subscriptions.map((s) => s.subscriptionId).join(",") });
    serve = await startServe({ io: captureIo(), port: 0, config, estate, emulator: { throttle: "off", latencyMs: 1 }, firstRun: true });
    base = serve.server.url;
    await mkdir(screenshots, { recursive: true });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  /** Goes to a view and waits until it says it is drawn. */
  async function open(hash: string, view: string): Promise<void> {
    await page.goto(`${base}/api/explorer${hash}`);
    await page.waitForSelector(`main[data-view="${view}"][data-ready="true"]`);
  }

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  async function api<T>(path: string): Promise<T> {
    return (await (await fetch(`${base}/api/${path}`)).json()) as T;
  }

  it("serves the page with a strict CSP and nosniff", async () => {
    const response = await fetch(`${base}/api/explorer`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(`${base}/api/explorer/assets/app.js`);
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect((await fetch(`${base}/api/explorer/assets/nope.js`)).status).toBe(404);
  });

  it("loads the overview: counts, single points of failure, zone exposure", async () => {
    await open("", "overview");
    const summary = await api<{ resources: number }>("explorer/summary");
    expect(await page.textContent("main .lead")).toContain(`${summary.resources} resources`);
    await expect(page.getByRole("heading", { name: /^Zone exposure/ }).count()).resolves.toBe(1);
    await expect(page.getByRole("heading", { name: /^Types \(/ }).count()).resolves.toBe(1);
    await expect(page.getByRole("heading", { name: "Most depended-on" }).count()).resolves.toBe(1);
    await shot("overview");
  });

  it("searches as you type, opens a resource and shows its neighbourhood with edge evidence", async () => {
    await open("#/search", "search");
    await page.getByRole("searchbox", { name: "Search resources" }).fill("snet-aks");
    await page.waitForSelector('ul.results[data-q="snet-aks"] li a');
    await shot("search");
    await page.click("ul.results li a >> text=snet-aks-nodes");
    await page.waitForSelector('main[data-view="resource"][data-ready="true"] .graph canvas');
    expect(await page.textContent("main h2")).toBe("snet-aks-nodes");
    const edges = await page.locator(".graph-list .edges li").allTextContents();
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.join("\n")).toMatch(/via properties/);
    await shot("resource");
  });

  it("draws the impact with counts that match the API's totals", async () => {
    await page.click("text=What breaks if this goes down?");
    await page.waitForSelector('main[data-view="impact"][data-ready="true"] .graph canvas');
    const id = new URLSearchParams(new URL(page.url()).hash.split("?")[1]).get("id")!;
    const { totals } = await api<{ totals: Totals }>(`impact?id=${encodeURIComponent(id)}`);
    expect(totals.down).toBeGreaterThan(0);
    expect(await page.textContent('[data-count="down"]')).toBe(`Down: ${totals.down}`);
    expect(await page.textContent('[data-count="degraded"]')).toBe(`Degraded: ${totals.degraded}`);
    expect(await page.locator(".graph-list .nodes li.down").count()).toBeGreaterThan(0);
    await shot("impact");
  });

  it("exports the view as SVG, PNG and draw.io (one cell per node and edge of the view)", async () => {
    const nodes = await page.locator(".graph-list .nodes li").count();
    const edges = await page.locator(".graph-list .edges li").count();
    const fetchDownload = async (label: string): Promise<Buffer> => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(`button:text("${label}")`)]);
      return readFile((await download.path()));
    };
    const blank = await context.newPage();
    const parse = (text: string, type: string): Promise<Parsed> => blank.evaluate(`(${parseSource})(${JSON.stringify(text)}, ${JSON.stringify(type)})`);
    const svg = await parse(String(await fetchDownload("Export SVG")), "image/svg+xml");
    expect(svg).toMatchObject({ error: false, root: "svg", svgNodes: nodes });
    const png = await fetchDownload("Export PNG");
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    const drawio = await parse(String(await fetchDownload("Export draw.io")), "text/xml");
    expect(drawio).toMatchObject({ error: false, root: "mxfile", hasModelRoot: true, vertices: nodes, edges, dangling: 0 });
    await blank.close();
    const mermaid = await page.getAttribute("a:text('Mermaid')", "href");
    expect((await fetch(`${base}${mermaid!}`)).status).toBe(200);
  });

  it("runs a zone scenario: entry points first, counts from the API", async () => {
    const risk = await api<{ zones: Array<{ region: string; zone: string; totals: Totals }> }>("risk?limit=100");
    const zone = risk.zones.find((z) => z.totals.down > 0) ?? risk.zones[0]!;
    await open("#/scenario", "scenario");
    await page.selectOption("#scenario-zone", `${zone.region}/${zone.zone}`);
    await page.click("button:text('Run scenario')");
    await page.waitForSelector(".scenario-result .counts");
    expect(await page.textContent('[data-count="down"]')).toBe(`Down: ${zone.totals.down}`);
    expect(await page.textContent('[data-count="degraded"]')).toBe(`Degraded: ${zone.totals.degraded}`);
    const headings = await page.locator(".scenario-result h3").allTextContents();
    expect(headings[0]).toMatch(/^Entry points down/);
    await shot("scenario");
  });

  it("starts a run and follows its progress to done, then shows the changes view", async () => {
    const before = await api<{ runId: string }>("discovery/runs/latest");
    await open("#/runs", "runs");
    await page.click("#start-run");
    await page.waitForSelector(".run-message:text('Started run')");
    const started = (await page.textContent(".run-message"))!.replace(/^Started run (.*)\.$/, "$1");
    expect(started).not.toBe(before.runId);
    await page.waitForSelector(`.run[data-status="succeeded"] h3:text("${started}")`, { timeout: 60_000 });
    await shot("runs");
    await open("#/changes", "changes");
    await page.waitForSelector("main h3:text('Added')");
    await shot("changes");
  }, 90_000);

  it("works from the keyboard: the search box, then the list beside the graph", async () => {
    await open("#/search", "search");
    // The search box has the focus when the view opens.
    await page.keyboard.type("snet-aks-nodes");
    await page.waitForSelector('ul.results[data-q="snet-aks-nodes"] li a');
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.textContent")).toBe("snet-aks-nodes");
    await page.keyboard.press("Enter");
    await page.waitForSelector('main[data-view="resource"][data-ready="true"] .graph-list .nodes li button');
    const second = page.locator(".graph-list .nodes li button").nth(1);
    const name = await second.textContent();
    await second.focus();
    await page.keyboard.press("Enter");
    // (No waitForFunction: the page's CSP forbids evaluating strings.)
    await page.locator("main h2", { hasText: name! }).first().waitFor();
    expect(await page.textContent("main h2")).toBe(name);
  });

  it("had no console errors and no failed requests; the CSP stops an inline script", async () => {
    expect(problems).toEqual([]);
    await open("", "overview");
    // An injected inline <script> and an inline event handler: the CSP refuses both.
    const violation = page.waitForEvent("console", (m) => m.text().includes("Content Security Policy"));
    await page.evaluate(`(() => {
      const s = document.createElement("script");
      s.textContent = "window.__inlineRan = true;";
      document.body.append(s);
      const el = document.createElement("div");
      el.setAttribute("onclick", "window.__inlineRan = true");
      document.body.append(el);
      el.click();
    })()`);
    await violation;
    expect(await page.evaluate("window.__inlineRan")).toBeUndefined();
  });
});
