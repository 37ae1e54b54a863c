import { exportFromPayloads } from "./lib/azure/offline-export.js";
import { generateEstate } from "./tools/estates/generate.js";
const exp = exportFromPayloads(generateEstate({ resources: 100000, types: 40, subscriptions: 10, seed: 1, referencesPerResource: 2 }), { runId: "x" });
const m = new Map<string, number>();
let t = performance.now();
for (const e of exp.edges) { if (!m.has(e.from)) m.set(e.from, m.size); if (!m.has(e.to)) m.set(e.to, m.size); }
console.log("intern ends", (performance.now() - t).toFixed(0), m.size);
t = performance.now();
for (let k = 0; k < 3; k++) for (const e of exp.edges) { m.get(e.from); m.get(e.to); }
console.log("lookups x3", (performance.now() - t).toFixed(0));
const tk = new Map<string, number>();
t = performance.now();
for (const r of exp.resources) tk.set(r.key, 1);
console.log("typeOfKey", (performance.now() - t).toFixed(0));
t = performance.now();
let n = 0; for (const e of exp.edges) n += e.relation.length + e.via.length;
console.log("read fields", (performance.now() - t).toFixed(0));
