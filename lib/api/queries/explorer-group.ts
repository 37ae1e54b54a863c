import { z } from "zod";

import type { Relation } from "../../topology/index.js";
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
  const answer = await cachedQuery(ctx, snapshot, ["explorer-group", sub, rg, ...[...expand].sort()], () => {
    const s = graph.subscriptions.indexOf(sub);
    const g = graph.groups.indexOf(rg);
    const members: number[] = [];
    if (s >= 0 && g >= 0)
      for (let v = 0; v < graph.nodeCount; v++)
        if (graph.subscriptionIds[v] === s && graph.groupIds[v] === g && graph.originOf(v) === "resource") members.push(v);
    if (members.length === 0)
      throw notFound(
        `No resource in group ${JSON.stringify(params.resourceGroup.slice(0, 100))} of subscription ${JSON.stringify(params.subscriptionId.slice(0, 100))}.`,
        "query.resourceGroup",
      );
    const inGroup = new Set(members);
    const dependents = (v: number): number => graph.dependents(v).length;
    // Members of the expanded types, the most depended-on first.
    const byType = new Map<string, number[]>();
    for (const v of members) {
      const list = byType.get(graph.typeOf(v));
      if (list) list.push(v);
      else byType.set(graph.typeOf(v), [v]);
    }
    const drawn = new Set<number>();
    for (const t of expand)
      for (const v of (byType.get(t) ?? []).sort((a, b) => dependents(b) - dependents(a)).slice(0, GROUP_EXPANDED_MEMBERS)) drawn.add(v);
    // A node's group as one number (subscription × groups + group), -1 for none: no string per edge.
    const groupCount = graph.groups.length;
    const groupKey = (v: number): number =>
      graph.groups[graph.groupIds[v]!] === "" ? -1 : graph.subscriptionIds[v]! * groupCount + graph.groupIds[v]!;
    const names = new Map<number, string>();
    const groupName = (k: number): string =>
      names.get(k) ?? names.set(k, `${graph.subscriptions[Math.floor(k / groupCount)]!}/${graph.groups[k % groupCount]!}`).get(k)!;
    // Each edge with one end in the group, as (member, other end, member depends on it).
    const ends: { member: number; other: number; out: boolean; relation: Relation }[] = [];
    const outsideEdges = new Map<number, number>();
    for (const v of members) {
      for (const n of graph.dependencies(v)) ends.push({ member: v, other: graph.idOf(n.key)!, out: true, relation: n.relation });
      for (const n of graph.dependents(v)) {
        const other = graph.idOf(n.key)!;
        if (!inGroup.has(other)) ends.push({ member: v, other, out: false, relation: n.relation });
      }
    }
    for (const e of ends) {
      if (inGroup.has(e.other)) continue;
      const k = groupKey(e.other);
      outsideEdges.set(k, (outsideEdges.get(k) ?? 0) + 1);
    }
    const outside = [...outsideEdges].filter(([k]) => k >= 0).sort((a, b) => b[1] - a[1] || groupName(a[0]).localeCompare(groupName(b[0])));
    const named = new Set(outside.slice(0, GROUP_OUTSIDE_GROUPS).map(([k]) => k));
    const nodes = new Map<string, GroupNode>();
    const nodeOf = (v: number): string => {
      if (inGroup.has(v)) {
        if (drawn.has(v)) {
          if (!nodes.has(graph.keys[v]!))
            nodes.set(graph.keys[v]!, { id: graph.keys[v]!, kind: "resource", label: graph.nameOf(v), type: graph.typeOf(v), count: 1 });
          return graph.keys[v]!;
        }
        const t = graph.typeOf(v);
        const id = `type:${t}`;
        if (!nodes.has(id)) {
          const left = (byType.get(t)?.length ?? 0) - (expand.has(t) ? Math.min(GROUP_EXPANDED_MEMBERS, byType.get(t)?.length ?? 0) : 0);
          nodes.set(id, { id, kind: "type", label: `${shortType(t)} ×${left}${expand.has(t) ? " more" : ""}`, type: t, count: left });
        }
        return id;
      }
      const g = groupKey(v);
      if (named.has(g)) {
        const k = groupName(g);
        const id = `group:${k}`;
        if (!nodes.has(id))
          nodes.set(id, { id, kind: "group", label: k.slice(k.indexOf("/") + 1), type: "resource group", count: outsideEdges.get(g) ?? 0 });
        return id;
      }
      const others = nodes.get("others") ?? { id: "others", kind: "others", label: "", type: "elsewhere", count: 0 };
      others.count++;
      nodes.set("others", others);
      return "others";
    };
    // Every type of the group gets its node, connected or not.
    for (const v of members) nodeOf(v);
    const bundles = new Map<string, GroupEdge>();
    for (const e of ends) {
      const a = nodeOf(e.member);
      const b = nodeOf(e.other);
      const [from, to] = e.out ? [a, b] : [b, a];
      // Edges to the rest are counted on the `others` node, not drawn: they would fan out to every type.
      if (from === to || from === "others" || to === "others") continue;
      const id = `${from}\u0000${to}`;
      const bundle = bundles.get(id) ?? { from, to, relations: [], count: 0 };
      bundle.count++;
      if (!bundle.relations.includes(e.relation)) bundle.relations.push(e.relation);
      bundles.set(id, bundle);
    }
    const others = nodes.get("others");
    if (others) others.label = `${outside.length - named.size} other group(s) and unresolved: ${others.count} edge(s), not drawn`;
    const edges = [...bundles.values()].sort((x, y) => y.count - x.count || x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
    const types = [...byType]
      .map(([type, list]) => ({ type, count: list.length }))
      .sort((x, y) => y.count - x.count || x.type.localeCompare(y.type));
    return {
      group: { subscriptionId: sub, resourceGroup: rg, resources: members.length },
      types,
      nodes: [...nodes.values()],
      edges: edges.slice(0, GROUP_MAX_EDGES),
      edgesLeftOut: Math.max(0, edges.length - GROUP_MAX_EDGES),
      groupsFolded: Math.max(0, outside.length - named.size),
    };
  });
  return { ...answer, snapshot: snapshotInfo(snapshot) };
}
