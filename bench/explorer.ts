/**
 * `npm run bench -- explorer [--resources N] [--group-size G] [--limit L]`
 *
 * The explorer page (docs/explorer.md) in headless chromium (playwright-core, CHROMIUM_PATH or
 * `which chromium`) over a generated estate of N resources (default 100,000; as bench/api.ts),
 * committed to an in-memory store and served by serveRoutes. The snapshot and the page's assets
 * are loaded once first (that cost is bench/api.ts's coldFirstQueryMs and a one-off esbuild run),
 * then each view is opened in a fresh browser context:
 * - overviewMs / overviewBytes: navigation to the overview until it says it is drawn, and the
 *   bytes of every response (page, script, style, API answers);
 * - groupViewMs / groupViewBytes: the group view (`#/group`) of the largest resource group (the
 *   estate is generated with groups of about G resources, default 2,000), until its graph is laid
 *   out and drawn and the first page of its members is listed. Targets: <= 1,500 ms and <= 2 MB.
 * - neighbourhoodMs / neighbourhoodBytes (no target): the resource view of that group's most
 *   depended-on resource, depth 4, capped at L nodes (default 640, the page's largest "More").
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

import type { Page } from "playwright-core";

import { createRoutes } from "../lib/api/routes.js";
import { createStore } from "../lib/cache/index.js";
import { loadConfig } from "../lib/config/index.js";
import { createLogger } from "../lib/log/index.js";
import { launchChromium } from "../test/web/chromium.js";
import { generateEstate } from "../tools/estates/generate.js";
import { exportFromPayloads } from "../tools/estates/offline-export.js";
import { serveRoutes } from "../tools/host/serve.js";
import { packageRoot } from "../tools/paths.js";
import { intFlag } from "./_flags.js";
import { printResult } from "./_result.js";

const SCOPE = "tenant";

/** Opens `url` in `page`, waits for `selector`; the time and the bytes of every response. */
async function measure(page: Page, url: string, selector: string): Promise<{ ms: number; bytes: number; nodes: number }> {
  let bytes = 0;
  const pending: Promise<void>[] = [];
  page.on("response", (r) => {
    pending.push(
      r.body().then(
        (b) => void (bytes += b.length),
        () => undefined,
      ),
    );
  });
  const t = performance.now();
  await page.goto(url);
  await page.waitForSelector(selector.replace(/ \.graph canvas$/, ""), { timeout: 120_000 });
  if (selector.endsWith(".graph canvas") && (await page.locator(selector).count()) === 0)
    throw new Error(`the view drew no graph: ${(await page.textContent("main"))?.slice(0, 300) ?? ""}`);
  const ms = performance.now() - t;
  await Promise.all(pending);
  return { ms, bytes, nodes: await page.locator(".graph-list .nodes li").count() };
}

export default async function main(args: string[]): Promise<void> {
  const resources = intFlag(args, "resources", 100_000);
  const groupSize = intFlag(args, "group-size", 2_000);
  const limit = intFlag(args, "limit", 640);
  const quiet = createLogger({ level: "error", write: () => undefined });
  let t = performance.now();
  const exp = exportFromPayloads(
    generateEstate({ resources, types: 40, subscriptions: 10, seed: 1, referencesPerResource: 2, groupSize }),
    { runId: "bench-explorer" },
  );
  process.stdout.write(
    `generated ${exp.resources.length} resources, ${exp.edges.length} edges in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
  const store = createStore(loadConfig({}), quiet);
  await store.snapshots.write(SCOPE, exp);
  const server = await serveRoutes(Object.values(createRoutes(() => ({ store, scope: () => SCOPE }))), 0);
  // The largest resource group, and its most depended-on resource.
  const groupOf = (r: { subscriptionId: string; resourceGroup?: string }): string =>
    `${r.subscriptionId}/${r.resourceGroup ?? ""}`.toLowerCase();
  const groups = new Map<string, number>();
  for (const r of exp.resources) if (r.resourceGroup) groups.set(groupOf(r), (groups.get(groupOf(r)) ?? 0) + 1);
  const [group, groupSizeFound] = [...groups].sort((a, b) => b[1] - a[1])[0]!;
  const inGroup = exp.resources.filter((r) => groupOf(r) === group);
  const dependents = new Map<string, number>();
  for (const e of exp.edges) dependents.set(e.to, (dependents.get(e.to) ?? 0) + 1);
  const target = inGroup.sort((a, b) => (dependents.get(b.key) ?? 0) - (dependents.get(a.key) ?? 0))[0]!;
  t = performance.now();
  for (const path of ["explorer/summary", "risk?limit=20", "explorer/assets/app.js"])
    await (await fetch(`${server.url}/api/${path}`)).arrayBuffer();
  process.stdout.write(
    `snapshot, risk scan and assets loaded in ${((performance.now() - t) / 1000).toFixed(1)} s; group ${group} (${groupSizeFound} resources), its busiest resource ${target.name} (${dependents.get(target.key) ?? 0} dependents)\n`,
  );
  await mkdir(join(packageRoot(), ".topdeck", "screenshots"), { recursive: true });
  const browser = await launchChromium();
  try {
    const open = async (hash: string, selector: string, shot?: string): Promise<{ ms: number; bytes: number; nodes: number }> => {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      try {
        const page = await context.newPage();
        const measured = await measure(page, `${server.url}/api/explorer${hash}`, selector);
        // After the clock stopped: a picture of what was measured, to judge readability by.
        if (shot !== undefined)
          await page.screenshot({ path: join(packageRoot(), ".topdeck", "screenshots", `bench-${shot}.png`), fullPage: true });
        return measured;
      } finally {
        await context.close();
      }
    };
    const overview = await open("", 'main[data-view="overview"][data-ready="true"]');
    const [subscriptionId, resourceGroup] = [group.slice(0, group.indexOf("/")), group.slice(group.indexOf("/") + 1)];
    const groupView = await open(
      `#/group?${new URLSearchParams({ subscriptionId, resourceGroup }).toString()}`,
      'main[data-view="group"][data-ready="true"] .graph canvas',
      "group",
    );
    const hash = `#/resource?${new URLSearchParams({ id: target.key, depth: "4", limit: String(limit) }).toString()}`;
    const neighbourhood = await open(hash, 'main[data-view="resource"][data-ready="true"] .graph canvas');
    process.stdout.write(
      `overview ${overview.ms.toFixed(0)} ms, ${overview.bytes} bytes; group view ${groupView.ms.toFixed(0)} ms, ${groupView.bytes} bytes, ${groupView.nodes} nodes; neighbourhood ${neighbourhood.ms.toFixed(0)} ms, ${neighbourhood.nodes} nodes\n`,
    );
    printResult("explorer", {
      resources: exp.resources.length,
      groupResources: groupSizeFound,
      groupViewNodes: groupView.nodes,
      overviewMs: overview.ms,
      groupViewMs: groupView.ms,
      overviewBytes: overview.bytes,
      groupViewBytes: groupView.bytes,
      viewLimit: limit,
      neighbourhoodNodes: neighbourhood.nodes,
      neighbourhoodMs: neighbourhood.ms,
      neighbourhoodBytes: neighbourhood.bytes,
    });
  } finally {
    await browser.close();
    await server.close();
    await store.idle();
  }
}
