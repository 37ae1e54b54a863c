// The explorer with Azure DevOps (issue 19): `topdeck serve`'s startServe over the sample estate
// with its federated credentials (ARM emulator) and the sample organisation (Azure DevOps
// emulator), two runs at the organisation's own times: 10:30, before web-deploy's run 311, then
// 11:00, after it deployed the web app. The Resource view says who can change the web app and the
// Changes view the run that touched it, both as the API answers; screenshots go to
// .topdeck/screenshots (git-ignored).

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "../../lib/config/index.js";
import { connectDevOps } from "../../lib/devops/auth.js";
import { type DevOpsEmulator, startDevOpsEmulator } from "../../tools/devops-emulator/server.js";
import { withSampleFederatedCredentials } from "../../tools/estates/sample/federated.js";
import { loadEstateFile } from "../../tools/estates/schema.js";
import { sampleEstatePath } from "../../tools/paths.js";
import { type RunningServe, startServe } from "../../tools/serve-command.js";
import { changeSourcesText } from "../../web/explorer/devops-text.js";
import type { ChangeEntry, Changes, ResourceDetail } from "../../web/explorer/types.js";
import { captureIo } from "../support/cli-io.js";
import { beforeRun311, deployed, SAMPLE_WEB_APP_KEY, sampleOrg } from "../support/devops.js";
import { launchChromium, recordProblems, screenshot } from "./chromium.js";

describe("the explorer with the sample Azure DevOps organisation", () => {
  let serve: RunningServe;
  let devops: DevOpsEmulator;
  let browser: Browser;
  let page: Page;
  let base: string;
  let firstRunId = "";
  // The runs' clock: ticking, first at 10:30, then moved to 11:00 for the second run.
  let offsetMs = Date.parse("2026-12-03T10:30:00Z") - Date.now();
  const problems: string[] = [];

  async function api<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await fetch(`${base}/api/${path}`, init);
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    const estate = withSampleFederatedCredentials(await loadEstateFile(sampleEstatePath()));
    devops = await startDevOpsEmulator({ org: beforeRun311(), limit: "off" });
    const config = loadConfig({ TOPDECK_SUBSCRIPTIONS: estate.subscriptions.map((s) => s.subscriptionId).join(",") });
    serve = await startServe({
      io: captureIo(),
      port: 0,
      config,
      estate,
      emulator: { throttle: "off", latencyMs: 1 },
      firstRun: true,
      now: () => Date.now() + offsetMs,
      devops: {
        organizations: [devops.orgUrl],
        connect: (orgUrl) => connectDevOps({ orgUrl, auth: { kind: "pat", pat: "emulator-pat" }, caFile: devops.caCertPath }),
        requestsPerMinute: 100_000,
        windowHours: 168,
      },
    });
    base = serve.server.url;
    firstRunId = serve.firstRun!.runId;
    expect(serve.firstRun!.status).toBe("succeeded");
    // Between the runs web-deploy's run 311 deploys the web app through sc-web-prod.
    serve.emulator!.setEstate(deployed(estate));
    devops.setOrganisation(sampleOrg());
    offsetMs = Date.parse("2026-12-03T11:00:00Z") - Date.now();
    const started = await api<{ runId: string }>("discovery/runs", { method: "POST" });
    let status = "";
    for (let i = 0; i < 1_200 && !["succeeded", "partial", "failed"].includes(status); i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await api<{ status: string }>(`discovery/runs/${started.runId}`)).status;
    }
    expect(status).toBe("succeeded");
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    recordProblems(page, problems);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
    await devops?.close();
  });

  async function open(hash: string, view: string): Promise<void> {
    await page.goto(`${base}/api/explorer${hash}`);
    await page.waitForSelector(`main[data-view="${view}"][data-ready="true"]`);
  }

  const shot = (name: string): Promise<Buffer> => screenshot(page, name);

  it("the Resource view of app-web-prod-weu says who can change it: each path with its level, scope and pipelines, then the recent runs as the API answers", async () => {
    const { changeSources } = await api<ResourceDetail>(`resources/detail?id=${encodeURIComponent(SAMPLE_WEB_APP_KEY)}`);
    expect(changeSources).toBeDefined();
    await open(`#/resource?id=${encodeURIComponent(SAMPLE_WEB_APP_KEY)}`, "resource");
    expect(await page.textContent("main h2")).toBe("app-web-prod-weu");
    const section = page.locator("section.change-sources");
    expect(await section.locator("h3").textContent()).toBe("Who can change it (Azure DevOps)");
    // The sample's three paths, nearest first, each with the pipelines that used it (none used sc-landing-zone, on mg-platform).
    const paths = section.locator("ul.change-paths > li");
    const shown = await Promise.all(
      (await paths.all()).map(async (li) => [
        await li.locator(".via").textContent(),
        await li.getAttribute("data-level"),
        await li.locator(".scope").textContent(),
        await li.locator("ul.pipelines li").allTextContents(),
      ]),
    );
    expect(shown.map(([via, level, , pipelines]) => [via, level, (pipelines as string[]).map((p) => p.split(" ")[0])])).toEqual([
      ["service connection sc-web-prod", "resourceGroup", ["web-deploy"]],
      ["service connection sc-platform", "subscription", ["infra-deploy"]],
      ["service connection sc-landing-zone", "managementGroup", []],
    ]);
    // The same as the API's answer, path by path.
    const words = changeSourcesText(changeSources!);
    expect(shown).toEqual(changeSources!.paths.map((p, i) => [words.paths[i]!.name, p.level, p.scope, words.paths[i]!.pipelines]));
    expect(await section.locator(".lead").textContent()).toContain(
      `${changeSources!.totals.paths} paths, ${changeSources!.totals.recentRuns} recent runs`,
    );
    // Recent runs, newest first: the first is web-deploy's run 311, the run that last deployed through them.
    const runs = await section.locator("ol.recent-runs > li").allTextContents();
    expect(runs).toEqual(words.runs.map((r, i) => (i === 0 ? `${r} — the run that last deployed through them` : r)));
    expect(changeSources!.recentRuns[0]).toMatchObject({ pipelineName: "web-deploy", id: 311 });
    expect(runs[0]).toMatch(/^web-deploy run 311 \(20261203\.1\), succeeded, started 2026-12-03 10:39 UTC, through sc-web-prod/);
    expect(await section.locator("summary").allTextContents()).toEqual([
      `Connections and environments (${changeSources!.totals.paths})`,
      `Recent runs (${changeSources!.totals.recentRuns}), newest first`,
    ]);
    expect(changeSources!.truncated).toBe(false);
    expect(await section.locator(".more").count()).toBe(0);
    await section.scrollIntoViewIfNeeded();
    await shot("resource-change-sources");
  });

  it("reaches the section from the keyboard: the 'Who can change it?' button moves the focus to it, Tab goes on to its lists", async () => {
    await open(`#/resource?id=${encodeURIComponent(SAMPLE_WEB_APP_KEY)}`, "resource");
    await page.getByRole("button", { name: "Who can change it?" }).focus();
    await page.keyboard.press("Enter");
    expect(await page.evaluate("document.activeElement.id")).toBe("change-sources");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.textContent")).toBe("Connections and environments (3)");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.textContent")).toBe("Recent runs (2), newest first");
    // Enter on a summary folds its list.
    await page.keyboard.press("Enter");
    expect(await page.locator("section.change-sources details.runs").getAttribute("open")).toBeNull();
  });

  it("the Changes view lists under each resource the Azure DevOps runs the API gives it: web-deploy run 311 under the web app", async () => {
    const answer = await api<Changes>(`changes?since=${encodeURIComponent(firstRunId)}&limit=200`);
    const web = answer.resources.changed.find((c) => c.key === SAMPLE_WEB_APP_KEY);
    expect(web?.devopsRuns?.map((r) => r.text)).toEqual(["pipeline web-deploy run 311 used sc-web-prod at 10:40"]);
    await open(`#/changes?since=${encodeURIComponent(firstRunId)}`, "changes");
    const card = (title: string) => page.locator("section.card", { has: page.getByRole("heading", { name: new RegExp(`^${title} \\(`) }) });
    const lists: [string, ChangeEntry[]][] = [
      ["Added", answer.resources.added],
      ["Removed", answer.resources.removed],
      ["Changed", answer.resources.changed],
    ];
    for (const [title, entries] of lists) {
      for (const entry of entries) {
        const li = card(title).locator(`li[data-key="${entry.key}"]`);
        expect(await li.locator("ul.devops-runs li").allTextContents(), entry.key).toEqual((entry.devopsRuns ?? []).map((r) => r.text));
      }
    }
    const line = card("Changed").locator(`li[data-key="${SAMPLE_WEB_APP_KEY}"]`);
    expect(await line.locator("small").first().textContent()).toBe(" tags.release");
    expect(await line.locator("ul.devops-runs li").allTextContents()).toEqual(["pipeline web-deploy run 311 used sc-web-prod at 10:40"]);
    expect(await page.textContent(".devops-window")).toContain("between 2026-12-03 10:30 UTC and 2026-12-03 11:00 UTC");
    await shot("changes-devops");
  });

  it("had no console errors and no failed requests", () => {
    expect(problems).toEqual([]);
  });
});
