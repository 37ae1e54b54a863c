// @vitest-environment jsdom
/**
 * Mermaid's own parser checks the flowcharts. It needs a DOM (DOMPurify sanitizes labels), so this
 * file runs under jsdom; the parsed diagram's database tells what Mermaid understood.
 */
import fc from "fast-check";
import type MermaidModule from "mermaid";
import { beforeAll, describe, expect, it } from "vitest";

import type { TopologyExport } from "../../../lib/topology/export-format.js";
import { buildGraph, type TopologyGraph } from "../../../lib/topology/graph.js";
import { escapeMermaid, renderMermaid } from "../../../lib/topology/mermaid.js";
import { sampleExport } from "../../support/sample-export.js";
import { anyName, exportNamed, hostileExamples } from "./hostile-names.js";
import { keyOf } from "./sample-keys.js";

interface FlowDb {
  getVertices(): Map<string, { id: string; text: string; classes: string[] }>;
  getEdges(): { start: string; end: string; text: string; stroke: string }[];
  getSubGraphs(): { id: string; title: string; nodes: string[] }[];
}

let mermaid: typeof MermaidModule;

/** What Mermaid parsed, with labels decoded back to text (numeric entities, as Mermaid renders them). */
async function understood(text: string) {
  await mermaid.parse(text);
  const diagram = (
    await (mermaid.mermaidAPI as unknown as { getDiagramFromText(t: string): Promise<{ db: FlowDb }> }).getDiagramFromText(text)
  ).db;
  const decode = (s: string) => s.replace(/ﬂ°°(\d+)¶ß/g, (_m, n: string) => String.fromCodePoint(Number(n)));
  return {
    vertices: [...diagram.getVertices().values()].map((v) => ({ id: v.id, parts: v.text.split("<br>").map(decode), classes: v.classes })),
    edges: diagram.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text, stroke: e.stroke })),
    subgraphs: diagram.getSubGraphs().map((s) => ({ id: s.id, title: decode(s.title), nodes: s.nodes })),
  };
}

let exp: TopologyExport;
let graph: TopologyGraph;
beforeAll(async () => {
  mermaid = (await import("mermaid")).default;
  mermaid.initialize({ startOnLoad: false });
  exp = await sampleExport();
  graph = buildGraph(exp);
});

describe("renderMermaid", () => {
  it("writes the sample estate as a flowchart Mermaid parses, every node and edge present", async () => {
    const got = await understood(renderMermaid(graph));
    expect(got.vertices).toHaveLength(exp.resources.length + exp.external.length);
    expect(got.edges).toHaveLength(exp.edges.length);
    expect(new Set(got.vertices.map((v) => v.parts[0]))).toEqual(new Set([...exp.resources.map((r) => r.name), "law-platform-central"]));
    // Subscriptions hold resource groups, which hold the nodes.
    const titles = got.subgraphs.map((s) => s.title);
    expect(titles.filter((t) => t.startsWith("subscription "))).toHaveLength(3);
    const rgWeb = got.subgraphs.find((s) => s.title === "rg-web-prod")!;
    const names = new Map(got.vertices.map((v) => [v.id, v.parts[0]]));
    expect(rgWeb.nodes.map((n) => names.get(n)).sort()).toEqual(
      exp.resources
        .filter((r) => r.resourceGroup === "rg-web-prod")
        .map((r) => r.name)
        .sort(),
    );
    const prod = got.subgraphs.find((s) => s.title === "subscription 6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c")!;
    expect(prod.nodes).toContain(rgWeb.id);
    // Arrows from the dependent, labelled with the relation; monitoring dotted; the external node classed.
    const ids = new Map(got.vertices.map((v) => [v.parts[0], v.id]));
    expect(
      got.edges
        .filter((e) => e.end === ids.get("asp-web-prod-weu"))
        .map((e) => [names.get(e.start), e.text])
        .sort(),
    ).toEqual([
      ["app-api-prod-weu", "hosting"],
      ["app-web-prod-weu", "hosting"],
      ["func-orders-prod-weu", "hosting"],
    ]);
    expect(got.edges.filter((e) => e.text === "monitoring").every((e) => e.stroke === "dotted")).toBe(true);
    expect(got.edges.filter((e) => e.text !== "monitoring").every((e) => e.stroke === "normal")).toBe(true);
    expect(got.vertices.filter((v) => v.classes.includes("external")).map((v) => v.parts[0])).toEqual(["law-platform-central"]);
  });

  it("scopes by type and subscription", async () => {
    const got = await understood(
      renderMermaid(graph, {
        scope: { types: ["Microsoft.Web/sites", "Microsoft.Web/serverfarms"], subscriptions: ["6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c"] },
      }),
    );
    expect(got.vertices.map((v) => v.parts[0]).sort()).toEqual([
      "app-api-prod-weu",
      "app-web-prod-weu",
      "asp-web-prod-weu",
      "func-orders-prod-weu",
    ]);
    expect(got.edges).toHaveLength(3);
    const around = await understood(
      renderMermaid(graph, {
        scope: {
          around: { key: keyOf(exp, "Microsoft.Network/applicationGateways", "agw-prod-weu"), depth: 1, direction: "dependencies" },
        },
      }),
    );
    expect(around.vertices.map((v) => v.parts[0]).sort()).toEqual([
      "agw-prod-weu",
      "app-api-prod-weu",
      "app-web-prod-weu",
      "id-agw-prod-weu",
      "pip-agw-prod-weu",
      "snet-appgw",
      "waf-agw-prod-weu",
    ]);
  });

  it("escapes any name so Mermaid parses it and shows it as itself", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyName, { minLength: 1, maxLength: 3 }), async (names) => {
        const got = await understood(renderMermaid(buildGraph(exportNamed(names))));
        const shown = (s: string) => (s === "" ? "\u00a0" : s);
        expect(got.vertices.map((v) => v.parts).sort()).toEqual(names.map((n) => [shown(n), shown(`T.NS/${n}`)]).sort());
        expect(got.edges).toHaveLength(names.length - 1);
        const titles = new Set(got.subgraphs.map((s) => s.title));
        for (const [i, n] of names.entries()) expect(titles.has(shown(`${n}-rg${i % 3}`))).toBe(true);
      }),
      { numRuns: 80, examples: hostileExamples },
    );
  });

  it("escapeMermaid turns everything but plain text into entities", () => {
    expect(escapeMermaid('a "b" <c>#1;')).toBe("a #34;b#34; #60;c#62;#35;1#59;");
    expect(escapeMermaid("🚀")).toBe("#128640;");
    expect(escapeMermaid("")).toBe("#160;");
    expect(escapeMermaid(" a b ")).toBe("#32;a b#32;");
  });
});
