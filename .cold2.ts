import { exportFromPayloads } from "./lib/azure/offline-export.js";
import { generateEstate } from "./tools/estates/generate.js";
import { TopologyGraph } from "./lib/topology/index.js";
import { failureModelOf } from "./lib/topology/failure/model.js";
import { createStore } from "./lib/cache/index.js";
import { loadConfig } from "./lib/config/index.js";
import { createLogger } from "./lib/log/index.js";
const exp = exportFromPayloads(generateEstate({ resources: 100000, types: 40, subscriptions: 10, seed: 1, referencesPerResource: 2 }), { runId: "x" });
const store = createStore(loadConfig({}), createLogger({ level: "error" }));
let t = performance.now();
const c = await store.snapshots.write("s", exp);
console.log("write", (performance.now()-t).toFixed(0), JSON.stringify(c.manifest));
for (let i = 0; i < 3; i++) {
  const s2 = createStore(loadConfig({}), createLogger({ level: "error" }));
  (s2 as any).snapshots.deps.guard = (store as any).snapshots.deps.guard;
  t = performance.now();
  const r = await store.snapshots.readGraph("s");
  const t1 = performance.now();
  const g = new TopologyGraph(r!.columns);
  const t2 = performance.now();
  const m = failureModelOf(g);
  const t3 = performance.now();
  await r!.payloads.at([5]);
  const t4 = performance.now();
  console.log("readGraph", (t1-t).toFixed(0), "graph", (t2-t1).toFixed(0), "model", (t3-t2).toFixed(0), "payload", (t4-t3).toFixed(0));
}
t = performance.now(); await store.snapshots.read("s"); console.log("full read", (performance.now()-t).toFixed(0));
