import { type ASTNode, parse } from "@ts-graphviz/ast";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";

import { escapeDot, renderDot } from "../../../lib/topology/dot.js";
import type { TopologyExport } from "../../../lib/topology/export-format.js";
import { buildGraph, type TopologyGraph } from "../../../lib/topology/graph.js";
import { sampleExport } from "../../support/sample-export.js";
import { anyName, exportNamed, hostileExamples } from "./hostile-names.js";
import { keyOf } from "./sample-keys.js";

/** Statements of a parsed DOT file, flattened, with the clusters they sit in. */
interface Flat {
  nodes: Map<string, { label: string; clusters: string[]; style?: string }>;
  edges: { from: string; to: string; label: string; style?: string }[];
  clusters: Map<string, string>;
}

/** Graphviz escString: `\\` is a backslash, `\n` a line break (the parser already unescaped `\"`). */
const unescape = (s: string): string => s.replace(/\\(.)/gs, (_m, c: string) => (c === "n" ? "\n" : c));

function flatten(text: string): Flat {
  const out: Flat = { nodes: new Map(), edges: [], clusters: new Map() };
  const attrs = (node: ASTNode): Record<string, string> =>
    Object.fromEntries(
      node.children.filter((c) => c.type === "Attribute").map((a) => [String(a.key.value), unescape(String(a.value.value))]),
    );
  const walk = (node: ASTNode, clusters: string[]): void => {
    for (const child of node.children) {
      if (child.type === "Graph") walk(child, clusters);
      else if (child.type === "Subgraph") {
        const id = String(child.id?.value ?? "");
        const label = child.children.find((c) => c.type === "Attribute" && c.key.value === "label");
        out.clusters.set(id, label?.type === "Attribute" ? unescape(String(label.value.value)) : "");
        walk(child, [...clusters, id]);
      } else if (child.type === "Node") {
        const a = attrs(child);
        out.nodes.set(String(child.id.value), { label: a.label ?? "", clusters, ...(a.style ? { style: a.style } : {}) });
      } else if (child.type === "Edge") {
        const [from, to] = child.targets.map((t) => (t.type === "NodeRef" ? String(t.id.value) : ""));
        const a = attrs(child);
        out.edges.push({ from: from!, to: to!, label: a.label ?? "", ...(a.style ? { style: a.style } : {}) });
      }
    }
  };
  walk(parse(text), []);
  return out;
}

let exp: TopologyExport;
let graph: TopologyGraph;
beforeAll(async () => {
  exp = await sampleExport();
  graph = buildGraph(exp);
});

describe("renderDot", () => {
  it("writes the sample estate as DOT that parses, every node and edge present, grouped in clusters", () => {
    const flat = flatten(renderDot(graph));
    expect(flat.nodes.size).toBe(exp.resources.length + exp.external.length);
    expect(flat.edges).toHaveLength(exp.edges.length);
    const subscriptions = [...flat.clusters.values()].filter((l) => l.startsWith("subscription "));
    expect(subscriptions.sort()).toEqual([
      "subscription 2a7e9c41-5b3d-4e8f-a6c2-9d1b3f5e7a80",
      "subscription 6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c",
      "subscription d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70",
    ]);
    // Every node sits in a subscription cluster and then its resource group's.
    const byLabel = new Map([...flat.nodes.values()].map((n) => [n.label, n]));
    const web = byLabel.get("app-web-prod-weu\nMicrosoft.Web/sites")!;
    expect(web.clusters.map((c) => flat.clusters.get(c))).toEqual(["subscription 6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c", "rg-web-prod"]);
    // The external workspace: dashed, in its own subscription's cluster.
    const external = [...flat.nodes.values()].filter((n) => n.style === "dashed");
    expect(external.map((n) => n.label)).toEqual(["law-platform-central\nmicrosoft.operationalinsights/workspaces"]);
    // Arrows run from the dependent; monitoring dashed.
    const idOf = (label: string) => [...flat.nodes.entries()].find(([, n]) => n.label === label)![0];
    const plan = idOf("asp-web-prod-weu\nMicrosoft.Web/serverfarms");
    expect(flat.edges.filter((e) => e.to === plan).map((e) => e.label)).toEqual(["hosting", "hosting", "hosting"]);
    expect(flat.edges.filter((e) => e.label === "monitoring").every((e) => e.style === "dashed")).toBe(true);
    expect(flat.edges.filter((e) => e.label !== "monitoring").every((e) => e.style === undefined)).toBe(true);
  });

  it("scopes: a neighbourhood renders only its nodes and the edges between them", () => {
    const plan = keyOf(exp, "Microsoft.Web/serverfarms", "asp-web-prod-weu");
    const flat = flatten(renderDot(graph, { scope: { around: { key: plan, direction: "dependents" } } }));
    expect([...flat.nodes.values()].map((n) => n.label.split("\n")[0]).sort()).toEqual([
      "app-api-prod-weu",
      "app-web-prod-weu",
      "asp-web-prod-weu",
      "func-orders-prod-weu",
    ]);
    expect(flat.edges).toHaveLength(3);
  });

  it("escapes any name so it renders as itself", () => {
    // What a label must read: line breaks as \n, other control characters as spaces.
    const expected = (s: string) =>
      [...s.replace(/\r\n|\r/g, "\n")].map((c) => (c !== "\n" && (c.codePointAt(0)! < 0x20 || c === "\u007f") ? " " : c)).join("");
    fc.assert(
      fc.property(fc.array(anyName, { minLength: 1, maxLength: 4 }), (names) => {
        const g = buildGraph(exportNamed(names));
        const flat = flatten(renderDot(g));
        expect([...flat.nodes.values()].map((n) => n.label).sort()).toEqual(names.map((n) => expected(`${n}\nT.NS/${n}`)).sort());
        expect(flat.edges).toHaveLength(names.length - 1);
        const groupLabels = new Set(flat.clusters.values());
        for (const [i, n] of names.entries()) expect(groupLabels.has(expected(`${n}-rg${i % 3}`))).toBe(true);
      }),
      { numRuns: 300, examples: hostileExamples },
    );
  });

  it("escapeDot doubles backslashes, escapes quotes and line breaks", () => {
    expect(escapeDot('a"b\\c\nd\r\ne\tf')).toBe('a\\"b\\\\c\\nd\\ne f');
  });
});
