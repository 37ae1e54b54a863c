import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { exportSchema } from "../../lib/topology/export-format.js";
import { demoCommand } from "../../tools/demo-command.js";
import { captureIo } from "../support/cli-io.js";

describe("topdeck demo", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "topdeck-demo-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("discovers the bundled sample estate and says where to look", async () => {
    const io = captureIo();
    expect(await demoCommand(["--out-dir", dir, "--no-serve"], io)).toBe(0);
    const exported = exportSchema.parse(JSON.parse(await readFile(join(dir, "demo-export.json"), "utf8")));
    expect(exported.errors).toEqual([]);
    expect(exported.resources.length).toBeGreaterThanOrEqual(80);
    const text = io.out.join("");
    expect(text).toContain("Where to look:");
    expect(text).toContain(relative(process.cwd(), join(dir, "demo-export.json")));
    // The hub list names the resource with the most direct dependents first.
    const counts = new Map<string, number>();
    for (const e of exported.edges) if (e.relation !== "contains") counts.set(e.to, (counts.get(e.to) ?? 0) + 1);
    const [topKey] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    expect(text.indexOf(topKey)).toBeGreaterThan(text.indexOf("most depended-on"));
  });

  it("includes the sample Azure DevOps organisation: for the sample web app, the pipelines that can deploy to it and the run that last did", async () => {
    const io = captureIo();
    expect(await demoCommand(["--out-dir", dir, "--no-serve"], io)).toBe(0);
    const exported = exportSchema.parse(JSON.parse(await readFile(join(dir, "demo-export.json"), "utf8")));
    expect(exported.version).toBe(2);
    // The federated credentials on the sample's identities are read from ARM and trust the organisation's connection and a GitHub repository.
    expect(exported.resources.filter((r) => r.type.endsWith("/federatedIdentityCredentials"))).toHaveLength(3);
    expect(exported.devops?.edges.filter((e) => e.relation === "trusts")).toHaveLength(2);
    const text = io.out.join("");
    expect(text).toContain("who can deploy to the web app app-web-prod-weu:");
    expect(text).toContain("service connection sc-web-prod, scoped to its resource group: web-deploy");
    expect(text).toContain("service connection sc-platform, scoped to its subscription: infra-deploy");
    expect(text).toContain(
      "service connection sc-landing-zone, scoped to a management group above it mg-platform: no pipeline used it in the window",
    );
    expect(text).toMatch(
      /the run that last deployed through them: pipeline web-deploy run 311 \(20261203\.1\), succeeded started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, through sc-web-prod/,
    );
  });

  it("ends serving the API over the discovered snapshot, printing the URLs to try; a run started there reads the sample estate", async () => {
    const io = captureIo();
    let mermaid = "";
    let run: { status?: string; result?: { resources: number } } = {};
    const code = await demoCommand(["--out-dir", dir, "--port", "0"], io, async () => {
      const printed = io.out.join("");
      const url = /^\s+(http:\/\/127\.0\.0\.1:\d+\/api\/topology\?format=mermaid)$/m.exec(printed)?.[1];
      expect(url).toBeDefined();
      mermaid = await (await fetch(url!)).text();
      // No run has happened in this process yet, so the latest-run URL is not offered (it would be a 404).
      expect(printed).not.toMatch(/discovery\/runs\/latest/);
      const api = url!.replace(/\/topology\?format=mermaid$/, "");
      const started = await fetch(`${api}/discovery/runs`, { method: "POST" });
      expect(started.status).toBe(202);
      for (let i = 0; i < 200 && !["succeeded", "partial", "failed"].includes(run.status ?? ""); i++) {
        await new Promise((r) => setTimeout(r, 50));
        run = (await (await fetch(`${api.replace(/\/api$/, "")}${started.headers.get("location")!}`)).json()) as typeof run;
      }
    });
    expect(code).toBe(0);
    expect(mermaid).toMatch(/^flowchart/);
    expect(io.out.join("")).toMatch(/\/api\/resources\/detail\?id=[^\n]*app-web-prod-weu/);
    expect(io.out.join("")).toMatch(/\/api\/explorer#\/resource\?id=[^\n]*app-web-prod-weu/);
    // The run started in the demo reads the sample organisation too.
    expect(run.result).toMatchObject({ devops: { organizations: 1, errors: 0 } });
    expect(io.out.join("")).toMatch(/\/api\/impact\?id=/);
    expect(run.status).toBe("succeeded");
    expect(run.result?.resources).toBeGreaterThanOrEqual(80);
  });

  it("exits 2 for an unknown argument", async () => {
    const io = captureIo();
    expect(await demoCommand(["--bogus"], io)).toBe(2);
    expect(io.err.join("")).toContain("unknown argument '--bogus'");
  });
});
