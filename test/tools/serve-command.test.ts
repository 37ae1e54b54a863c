import { describe, expect, it } from "vitest";

import type { DiscoverIo } from "../../tools/discover-command.js";
import { sampleEstatePath } from "../../tools/paths.js";
import { serveCommand } from "../../tools/serve-command.js";

function captureIo(): DiscoverIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTty: false, env: {} };
}

/** The printed URLs, in order. */
const urls = (text: string): string[] => [...text.matchAll(/^\s+(http:\/\/127\.0\.0\.1:\d+\/api\/\S+)$/gm)].map((m) => m[1]!);

describe("topdeck serve", () => {
  it("discovers --estate through the emulator, commits it, serves it and prints working URLs", async () => {
    const io = captureIo();
    const seen: Array<{ url: string; status: number; type: string | null }> = [];
    const code = await serveCommand(["--port", "0", "--estate", sampleEstatePath()], io, async () => {
      for (const url of urls(io.out.join(""))) {
        const r = await fetch(url);
        await r.arrayBuffer();
        seen.push({ url, status: r.status, type: r.headers.get("content-type") });
      }
    });
    expect(code).toBe(0);
    const text = io.out.join("");
    expect(text).toMatch(/\/api\/health$/m);
    expect(text).toMatch(/\/api\/topology\?format=mermaid$/m);
    expect(text).toMatch(/\/api\/impact\?id=%2Fsubscriptions%2F.*%2Fsubnets%2F/m);
    expect(seen.length).toBeGreaterThanOrEqual(9);
    for (const s of seen) expect(s.status, s.url).toBe(200);
    expect(seen.find((s) => s.url.includes("format=mermaid"))?.type).toMatch(/^text\/vnd\.mermaid/);
    expect(seen.find((s) => s.url.endsWith("/api/explorer"))?.type).toMatch(/^text\/html/);
    expect(text).toMatch(/\/api\/explorer#\/impact\?id=%2Fsubscriptions%2F.*%2Fsubnets%2F/m);
  });

  it("serves without a snapshot, saying how to get one", async () => {
    const io = captureIo();
    let health: unknown;
    const code = await serveCommand(["--port", "0"], io, async () => {
      const [url] = urls(io.out.join(""));
      // /api/health answers status only (i-apisec); the snapshot facts are on /api/health/details.
      health = await (await fetch(`${url!}/details`)).json();
      const base = url!.replace(/\/health$/, "");
      const r = await fetch(`${base}/resources`);
      expect(r.status).toBe(409);
      expect(await r.json()).toMatchObject({ detail: expect.stringContaining("topdeck discover") });
    });
    expect(code).toBe(0);
    expect(io.out.join("")).toContain("no snapshot yet");
    expect(health).toMatchObject({ status: "degraded", snapshot: null });
  });

  it("exits 2 for bad flags", async () => {
    for (const args of [["--port", "http"], ["--port", "70000"], ["--bogus"]]) {
      const io = captureIo();
      expect(await serveCommand(args, io, async () => undefined)).toBe(2);
      expect(io.err.join("")).toContain("Usage: topdeck serve");
    }
  });
});
