import { exportFromPayloads } from "./lib/azure/offline-export.js";
import { generateEstate } from "./tools/estates/generate.js";
import { graphColumns } from "./lib/topology/graph.js";
import { factsOf } from "./lib/topology/facts.js";
const exp = exportFromPayloads(generateEstate({ resources: 100000, types: 40, subscriptions: 10, seed: 1, referencesPerResource: 2 }), { runId: "x" });
const { Session } = await import("node:inspector/promises");
const session = new Session(); session.connect();
await session.post("Profiler.enable"); await session.post("Profiler.start");
let t = performance.now();
for (let i = 0; i < 3; i++) graphColumns(exp);
console.log("columns x3", (performance.now()-t).toFixed(0));
t = performance.now();
for (let i = 0; i < 3; i++) exp.resources.map(r => factsOf(r));
console.log("facts x3", (performance.now()-t).toFixed(0));
const { profile } = await session.post("Profiler.stop");
const self = new Map<string, number>(); const dt = profile.timeDeltas!; const cnt = new Map<number, number>();
profile.samples!.forEach((s, i) => cnt.set(s, (cnt.get(s) ?? 0) + (dt[i] ?? 0)));
for (const n of profile.nodes) { const k = `${n.callFrame.functionName} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (cnt.get(n.id) ?? 0)); }
[...self].sort((a, b) => b[1] - a[1]).slice(0, 12).forEach(([k, v]) => console.log((v / 1000).toFixed(0), k));
