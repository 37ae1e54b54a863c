import { z } from "zod";

import type { Relation, TopologyGraph } from "../../topology/index.js";
import { notFound } from "../problem.js";
import { cachedQuery, oneOrMany, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";

/** Members of one expanded type drawn one by one; the rest stay in the type's node. */
export const GROUP_EXPANDED_MEMBERS = 40;
/** Types one answer may expand. */
export const GROUP_MAX_EXPANDED = 5;
/** Other resource groups drawn as their own node; the rest share one "other groups" node. */
export const GROUP_OUTSIDE_GROUPS = 8;
/** Edge bundles in an answer, the largest first (the rest are counted in `edgesLeftOut`). */
export const GROUP_MAX_EDGES = 80;

/** Query parameters of `GET /explorer/group`. */
export const groupParams = z.strictObject({
  subscriptionId: text(100),
  resourceGroup: text(300),
  expand: oneOrMany.pipe(z.array(z.string().max(300)).max(GROUP_MAX_EXPANDED, `at most ${GROUP_MAX_EXPANDED} types`)).optional(),
});

/** Parsed parameters of `GET /explorer/group`. */
export type GroupParams = z.output<typeof groupParams>;

/**
 * A node of the group view: the group's resources of one type (`type:<type>`), one member of an
 * expanded type (its key), another resource group (`group:<subscription>/<group>`), or every
 * other group and unresolved reference (`others`).
 */
export interface GroupNode {
  id: string;
  kind: "type" | "resource" | "group" | "others";
  label: string;
  type: string;
  /** Resources the node stands for (1 for a member); for `group` and `others`, the edges to or from it. */
  count: number;
}

/** A bundle of edges between two nodes of the view (never `others`): `from` depends on `to`. */
export interface GroupEdge {
  from: string;
  to: string;
  relations: Relation[];
  count: number;
}

/** A resource group aggregated by type, with the groups it depends on and that depend on it. */
export interface GroupView {
  group: { subscriptionId: string; resourceGroup: string; resources: number };
  /** Every type in the group with its count, the largest first. */
  types: { type: string; count: number }[];
  nodes: GroupNode[];
  edges: GroupEdge[];
  /** Edge bundles left out by GROUP_MAX_EDGES (the smallest). */
  edgesLeftOut: number;
  /** Other groups folded into the `others` node. */
  groupsFolded: number;
  snapshot: SnapshotInfo;
}

/** A type as a label: without the `microsoft.` every Azure type starts with. */
const shortType = (type: string): string => type.replace(/^microsoft\./, "");

/**
 * One resource group as the explorer draws it: never its members one by one (2,000 boxes are not
 * readable) but one node per type with its count, members of the `expand`ed types on their own,
 * and the other groups at the far end of its edges. Members are listed, paged, by `/resources`.
 * @throws ProblemError 404 when the group holds no resource.
 */
export async function explorerGroup(ctx: QueryContext, params: GroupParams): Promise<GroupView> {
  const snapshot = await ctx.source.current();
  const graph = snapshot.graph;
  const sub = params.subscriptionId.toLowerCase();
  const rg = params.resourceGroup.toLowerCase();
  const expand = new Set((params.expand ?? []).map((t) => t.toLowerCase()));
  const answer = await cachedQuery(ctx, snapshot, ["explorer-group", sub, rg, ...[...expand].sort()], () =>
    groupView(graph, params, { sub, rg, expand }),
  );
  return { ...answer, snapshot: snapshotInfo(snapshot) };
}

/** The group asked for: subscription and group in lower case, and the types to expand. */
interface GroupAsked {
  sub: string;
  rg: string;
  expand: ReadonlySet<string>;
}

/** The group view without its snapshot. @throws ProblemError 404 when the group holds no resource. */
function groupView(graph: TopologyGraph, params: GroupParams, { sub, rg, expand }: GroupAsked): Omit<GroupView, "snapshot"> {
  const members = groupMembers(graph, sub, rg);
  if (members.length === 0)
    throw notFound(
      `No resource in group ${JSON.stringify(params.resourceGroup.slice(0, 100))} of subscription ${JSON.stringify(params.subscriptionId.slice(0, 100))}.`,
      "query.resourceGroup",
    );
  const inGroup = new Set(members);
  const byType = membersByType(graph, members);
  const drawn = expandedMembers(graph, byType, expand);
  const keys = new GroupKeys(graph);
  const ends = edgeEnds(graph, members, inGroup);
  const outsideEdges = outsideEdgeCounts(ends, inGroup, keys);
  const outside = [...outsideEdges].filter(([k]) => k >= 0).sort((a, b) => b[1] - a[1] || keys.name(a[0]).localeCompare(keys.name(b[0])));
  const named = new Set(outside.slice(0, GROUP_OUTSIDE_GROUPS).map(([k]) => k));
  const nodes = new GroupNodes({ graph, inGroup, drawn, byType, expand, named, outsideEdges, keys });
  // Every type of the group gets its node, connected or not.
  for (const v of members) nodes.nodeOf(v);
  const edges = edgeBundles(ends, nodes);
  nodes.labelOthers(outside.length - named.size);
  return {
    group: { subscriptionId: sub, resourceGroup: rg, resources: members.length },
    types: typeCounts(byType),
    nodes: [...nodes.all.values()],
    edges: edges.slice(0, GROUP_MAX_EDGES),
    edgesLeftOut: Math.max(0, edges.length - GROUP_MAX_EDGES),
    groupsFolded: Math.max(0, outside.length - named.size),
  };
}

/** The resources (not references) of group `rg` of subscription `sub`. */
function groupMembers(graph: TopologyGraph, sub: string, rg: string): number[] {
  const s = graph.subscriptions.indexOf(sub);
  const g = graph.groups.indexOf(rg);
  const members: number[] = [];
  if (s >= 0 && g >= 0)
    for (let v = 0; v < graph.nodeCount; v++)
      if (graph.subscriptionIds[v] === s && graph.groupIds[v] === g && graph.originOf(v) === "resource") members.push(v);
  return members;
}

/** The members by type, in the order first seen. */
function membersByType(graph: TopologyGraph, members: readonly number[]): Map<string, number[]> {
  const byType = new Map<string, number[]>();
  for (const v of members) {
    const list = byType.get(graph.typeOf(v));
    if (list) list.push(v);
    else byType.set(graph.typeOf(v), [v]);
  }
  return byType;
}

/** Members of the expanded types drawn on their own: the GROUP_EXPANDED_MEMBERS most depended-on of each. */
function expandedMembers(graph: TopologyGraph, byType: ReadonlyMap<string, number[]>, expand: ReadonlySet<string>): Set<number> {
  const dependents = (v: number): number => graph.dependents(v).length;
  const drawn = new Set<number>();
  for (const t of expand)
    for (const v of (byType.get(t) ?? []).sort((a, b) => dependents(b) - dependents(a)).slice(0, GROUP_EXPANDED_MEMBERS)) drawn.add(v);
  return drawn;
}

/** A node's group as one number (subscription × groups + group), -1 for none: no string per edge. */
class GroupKeys {
  private readonly groupCount: number;
  private readonly names = new Map<number, string>();

  constructor(private readonly graph: TopologyGraph) {
    this.groupCount = graph.groups.length;
  }

  key(v: number): number {
    const graph = this.graph;
    return graph.groups[graph.groupIds[v]!] === "" ? -1 : graph.subscriptionIds[v]! * this.groupCount + graph.groupIds[v]!;
  }

  /** `<subscription>/<group>` of a key. */
  name(k: number): string {
    const names = this.names;
    const groupCount = this.groupCount;
    return (
      names.get(k) ?? names.set(k, `${this.graph.subscriptions[Math.floor(k / groupCount)]!}/${this.graph.groups[k % groupCount]!}`).get(k)!
    );
  }
}

/** An edge with one end in the group: the member, the other end, and whether the member depends on it. */
interface EdgeEnd {
  member: number;
  other: number;
  out: boolean;
  relation: Relation;
}

/** Each edge with one end in the group (an edge between two members once, from the member depending). */
function edgeEnds(graph: TopologyGraph, members: readonly number[], inGroup: ReadonlySet<number>): EdgeEnd[] {
  const ends: EdgeEnd[] = [];
  for (const v of members) {
    for (const n of graph.dependencies(v)) ends.push({ member: v, other: graph.idOf(n.key)!, out: true, relation: n.relation });
    for (const n of graph.dependents(v)) {
      const other = graph.idOf(n.key)!;
      if (!inGroup.has(other)) ends.push({ member: v, other, out: false, relation: n.relation });
    }
  }
  return ends;
}

/** The edges to or from each other group, by group key (-1: no group). */
function outsideEdgeCounts(ends: readonly EdgeEnd[], inGroup: ReadonlySet<number>, keys: GroupKeys): Map<number, number> {
  const outsideEdges = new Map<number, number>();
  for (const e of ends) {
    if (inGroup.has(e.other)) continue;
    const k = keys.key(e.other);
    outsideEdges.set(k, (outsideEdges.get(k) ?? 0) + 1);
  }
  return outsideEdges;
}

/** What decides which node of the view a graph node falls in. */
interface NodePlacement {
  graph: TopologyGraph;
  inGroup: ReadonlySet<number>;
  /** Members drawn on their own. */
  drawn: ReadonlySet<number>;
  byType: ReadonlyMap<string, number[]>;
  expand: ReadonlySet<string>;
  /** Keys of the other groups drawn as their own node. */
  named: ReadonlySet<number>;
  outsideEdges: ReadonlyMap<number, number>;
  keys: GroupKeys;
}

/** The view's nodes, in the order first reached: each made the first time a graph node falls in it. */
class GroupNodes {
  readonly all = new Map<string, GroupNode>();

  constructor(private readonly at: NodePlacement) {}

  /** The id of the view's node `v` falls in; falling in `others` counts one more edge on it. */
  nodeOf(v: number): string {
    const { graph, inGroup, drawn, named, keys } = this.at;
    if (inGroup.has(v)) return drawn.has(v) ? this.memberNode(v) : this.typeNode(graph.typeOf(v));
    const g = keys.key(v);
    if (named.has(g)) return this.groupNode(g);
    return this.countOnOthers();
  }

  /** Labels `others` (when there is one) with the groups folded into it and its edges. */
  labelOthers(groupsFolded: number): void {
    const others = this.all.get("others");
    if (others) others.label = `${groupsFolded} other group(s) and unresolved: ${others.count} edge(s), not drawn`;
  }

  private memberNode(v: number): string {
    const { graph } = this.at;
    const nodes = this.all;
    if (!nodes.has(graph.keys[v]!))
      nodes.set(graph.keys[v]!, { id: graph.keys[v]!, kind: "resource", label: graph.nameOf(v), type: graph.typeOf(v), count: 1 });
    return graph.keys[v]!;
  }

  /** The node of the type's members not drawn on their own. */
  private typeNode(t: string): string {
    const { byType, expand } = this.at;
    const id = `type:${t}`;
    if (!this.all.has(id)) {
      const left = (byType.get(t)?.length ?? 0) - (expand.has(t) ? Math.min(GROUP_EXPANDED_MEMBERS, byType.get(t)?.length ?? 0) : 0);
      this.all.set(id, { id, kind: "type", label: `${shortType(t)} ×${left}${expand.has(t) ? " more" : ""}`, type: t, count: left });
    }
    return id;
  }

  private groupNode(g: number): string {
    const k = this.at.keys.name(g);
    const id = `group:${k}`;
    if (!this.all.has(id))
      this.all.set(id, {
        id,
        kind: "group",
        label: k.slice(k.indexOf("/") + 1),
        type: "resource group",
        count: this.at.outsideEdges.get(g) ?? 0,
      });
    return id;
  }

  private countOnOthers(): string {
    const others = this.all.get("others") ?? { id: "others", kind: "others", label: "", type: "elsewhere", count: 0 };
    others.count++;
    this.all.set("others", others);
    return "others";
  }
}

/** The edges between the view's nodes, bundled per (from, to), the largest bundle first. */
function edgeBundles(ends: readonly EdgeEnd[], nodes: GroupNodes): GroupEdge[] {
  const bundles = new Map<string, GroupEdge>();
  for (const e of ends) {
    const a = nodes.nodeOf(e.member);
    const b = nodes.nodeOf(e.other);
    const [from, to] = e.out ? [a, b] : [b, a];
    // Edges to the rest are counted on the `others` node, not drawn: they would fan out to every type.
    if (from === to || from === "others" || to === "others") continue;
    const id = `${from}\u0000${to}`;
    const bundle = bundles.get(id) ?? { from, to, relations: [], count: 0 };
    bundle.count++;
    if (!bundle.relations.includes(e.relation)) bundle.relations.push(e.relation);
    bundles.set(id, bundle);
  }
  return [...bundles.values()].sort((x, y) => y.count - x.count || x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
}

/** Every type of the group with its count, the largest first. */
function typeCounts(byType: ReadonlyMap<string, readonly number[]>): { type: string; count: number }[] {
  return [...byType]
    .map(([type, list]) => ({ type, count: list.length }))
    .sort((x, y) => y.count - x.count || x.type.localeCompare(y.type));
}
