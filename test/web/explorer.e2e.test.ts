// The explorer page end to end in a real browser: `topdeck serve`'s startServe over the sample
// estate through the ARM emulator (in-memory store), Debian's chromium driven by playwright-core.
// Every view is opened as a user would; screenshots go to .topdeck/screenshots (git-ignored).
import { readFile } from "node:fs/promises";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "../../lib/config/index.js";
import { type ArmResource, type Estate, loadEstateFile } from "../../tools/estates/schema.js";
import { sampleEstatePath } from "../../tools/paths.js";
import { type RunningServe, startServe } from "../../tools/serve-command.js";
import { captureIo } from "../support/cli-io.js";
import { launchChromium, recordProblems, screenshot } from "./chromium.js";

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
  let estate: Estate;
  /** The resource the search opened (the impact test starts from it). */
  let resourceKey = "";
  const problems: string[] = [];

  beforeAll(async () => {
    estate = await loadEstateFile(sampleEstatePath());
    const config = loadConfig({ TOPDECK_SUBSCRIPTIONS: estate.subscriptions.map((s) => s.subscriptionId).join(",") });
    serve = await startServe({ io: captureIo(), port: 0, config, estate, emulator: { throttle: "off", latencyMs: 1 }, firstRun: true });
    base = serve.server.url;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    recordProblems(page, problems);
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

  const shot = (name: string): Promise<Buffer> => screenshot(page, name);

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
    resourceKey = new URLSearchParams(new URL(page.url()).hash.split("?")[1]).get("id")!;
    // Its resource group is a link to the group view.
    expect(await page.getAttribute("main .lead a", "href")).toMatch(/^#\/group\?subscriptionId=[^&]+&resourceGroup=rg-/);
    const edges = await page.locator(".graph-list .edges li").allTextContents();
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.join("\n")).toMatch(/via properties/);
    // This snapshot read no Azure DevOps: the detail has no changeSources, and no "Who can change it".
    const detail = await api<Record<string, unknown>>(`resources/detail?id=${encodeURIComponent(resourceKey)}`);
    expect("changeSources" in detail).toBe(false);
    expect(await page.locator("section.change-sources").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Who can change it?" }).count()).toBe(0);
    await shot("resource");
  });

  it("searches tags as you type: key:value, a value alone, and a word of a type with a tag", async () => {
    await open("#/search", "search");
    const box = page.getByRole("searchbox", { name: "Search resources" });
    for (const q of ["owner:corp-it", "CC-2210", "sites env:prod"]) {
      await box.fill(q);
      await page.waitForSelector(`ul.results[data-q="${q}"]`);
      const shown = await page.locator("ul.results li a").allTextContents();
      const answer = await api<{ items: { id: string; name: string; tags?: Record<string, string> }[] }>(
        `resources?${new URLSearchParams({ q, limit: "50" }).toString()}`,
      );
      expect(shown, q).toEqual(answer.items.map((i) => i.name));
      expect(shown.length, q).toBeGreaterThan(0);
      for (const item of answer.items) {
        const tags = Object.entries(item.tags ?? {}).map(([k, v]) => `${k}:${v}`.toLowerCase());
        if (q === "owner:corp-it") expect(tags).toContain("owner:corp-it");
        if (q === "CC-2210") expect(tags).toContain("costcenter:cc-2210");
        // Each word somewhere: "sites" in the id (or in a hidden-link tag naming a site), env:prod a tag.
        if (q === "sites env:prod")
          expect([`${item.name} ${item.id} ${tags.join(" ")}`.toLowerCase().includes("sites"), tags.includes("env:prod")]).toEqual([
            true,
            true,
          ]);
      }
    }
    await shot("search-tags");
  });

  it("opens a resource group from the overview: types with counts, a type expanded into its members, the first page of members", async () => {
    await open("", "overview");
    const row = page
      .locator("section.card", { has: page.getByRole("heading", { name: /^Resource groups/ }) })
      .locator("tbody tr")
      .first();
    const count = Number(await row.locator("td.num").textContent());
    await row.locator("a").click();
    await page.waitForSelector('main[data-view="group"][data-ready="true"] .graph canvas');
    expect(await page.textContent("main .lead")).toContain(`${count} resources`);
    const types = await page.locator(".group-types tbody tr").count();
    expect(types).toBeGreaterThan(1);
    // The graph's list: one node per type (with its count), and the other groups.
    const typeCounts = (await page.locator(".group-types tbody td.num").allTextContents()).map(Number);
    expect(typeCounts.reduce((a, b) => a + b, 0)).toBe(count);
    expect(await page.locator(".graph-list .nodes li").count()).toBeGreaterThanOrEqual(types);
    // The sample's groups fit on one page of 100: all listed, no next page.
    expect(await page.locator(".group-members ol.members li").count()).toBe(Math.min(count, 100));
    expect(await page.textContent(".group-members .members-page")).toBe(`Members 1–${Math.min(count, 100)} of ${count}`);
    expect(await page.isDisabled(".group-members button:text('Next page')")).toBe(count <= 100);
    await shot("group");
    const largest = page.locator(".group-types tbody tr").first();
    const type = await largest.locator("td").first().textContent();
    const members = Number(await largest.locator("td.num").textContent());
    await largest.getByRole("button", { name: "Expand" }).click();
    await page.waitForSelector('main[data-view="group"][data-ready="true"] .group-types button[aria-pressed="true"]');
    const drawn = await page
      .locator(".graph-list .nodes li small", { hasText: new RegExp(`^${type!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) })
      .count();
    expect(drawn).toBe(Math.min(members, 40));
    await shot("group-expanded");
  });

  it("draws the impact with counts that match the API's totals", async () => {
    await open(`#/resource?${new URLSearchParams({ id: resourceKey }).toString()}`, "resource");
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
      return readFile(await download.path());
    };
    const blank = await context.newPage();
    const parse = (text: string, type: string): Promise<Parsed> =>
      blank.evaluate(`(${parseSource})(${JSON.stringify(text)}, ${JSON.stringify(type)})`);
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

  it("starts a run after the estate changed, follows it per subscription and type to done, then shows what changed", async () => {
    // Between the two runs: one resource removed, one added, one's tag changed.
    const changed = structuredClone(estate);
    const resources = changed.subscriptions[0]!.resources;
    const named = (name: string): ArmResource => resources.find((r) => r.name === name)!;
    resources.splice(resources.indexOf(named("dash-web-prod-weu")), 1);
    const group = named("ag-web-oncall");
    resources.push({ ...structuredClone(group), name: "ag-added-by-test", id: group.id.replace(/ag-web-oncall$/, "ag-added-by-test") });
    group.tags = { ...group.tags, owner: "sre-team" };
    serve.emulator!.setEstate(changed);
    const before = await api<{ runId: string }>("discovery/runs/latest");
    await open("#/runs", "runs");
    expect(await page.isEnabled("#start-run")).toBe(true);
    await page.click("#start-run");
    await page.waitForSelector(".run-message:text('Started run')");
    const started = (await page.textContent(".run-message"))!.replace(/^Started run (.*)\.$/, "$1");
    expect(started).not.toBe(before.runId);
    await page.waitForSelector(`.run[data-status="succeeded"] h3:text("${started}")`, { timeout: 60_000 });
    // Every subscription done, every type read, as the API says.
    const run = await api<{
      subscriptions: {
        subscriptionId: string;
        status: string;
        typesDone: number;
        typesTotal: number;
        types: Record<string, { resources: number }>;
      }[];
    }>("discovery/runs/latest");
    expect(run.subscriptions.map((s) => s.subscriptionId).sort()).toEqual(estate.subscriptions.map((s) => s.subscriptionId).sort());
    for (const sub of run.subscriptions) {
      const row = page.locator(`.run tr[data-subscription="${sub.subscriptionId}"]`);
      expect(await row.getAttribute("data-status")).toBe("done");
      expect(await row.locator("td").nth(2).textContent()).toBe(`${sub.typesTotal} / ${sub.typesTotal}`);
      expect(sub.typesDone).toBe(sub.typesTotal);
      const types = page.locator(`.run details.run-types[data-subscription="${sub.subscriptionId}"]`);
      await types.locator("summary").click();
      expect(await types.locator("li").count()).toBe(Object.keys(sub.types).length);
    }
    await shot("runs");
    await open(`#/changes?since=${encodeURIComponent(before.runId)}`, "changes");
    const answer = await api<{
      resources: { added: { key: string }[]; removed: { key: string }[]; changed: { key: string; paths: string[] }[] };
      totals: { resources: { added: number; removed: number; changed: number } };
    }>(`changes?since=${encodeURIComponent(before.runId)}&limit=200`);
    expect(answer.totals.resources).toMatchObject({ added: 1, removed: 1 });
    const card = (title: string) => page.locator("section.card", { has: page.getByRole("heading", { name: new RegExp(`^${title} \\(`) }) });
    expect(await card("Added").locator("h3").textContent()).toBe(`Added (${answer.totals.resources.added})`);
    expect(await card("Removed").locator("h3").textContent()).toBe(`Removed (${answer.totals.resources.removed})`);
    expect(await card("Changed").locator("h3").textContent()).toBe(`Changed (${answer.totals.resources.changed})`);
    expect(await card("Added").locator("li").allTextContents()).toEqual([expect.stringContaining("ag-added-by-test")]);
    expect((await card("Removed").locator("li").allTextContents()).join()).toContain("dash-web-prod-weu");
    const tagged = answer.resources.changed.find((c) => c.key.endsWith("/ag-web-oncall"))!;
    expect(tagged.paths.join()).toContain("tags");
    const line = card("Changed").locator("li", { hasText: "ag-web-oncall" });
    expect(await line.textContent()).toContain(tagged.paths.join(", "));
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
