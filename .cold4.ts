import { exportFromPayloads } from "./lib/azure/offline-export.js";
import { generateEstate } from "./tools/estates/generate.js";
import { graphColumns } from "./lib/topology/graph.js";
const exp = exportFromPayloads(generateEstate({ resources: 100000, types: 40, subscriptions: 10, seed: 1, referencesPerResource: 2 }), { runId: "x" });
let t = performance.now();
const cols = graphColumns(exp);
console.log("columns", (performance.now()-t).toFixed(0));
console.log(JSON.stringify(cols.resources[7]).slice(0, 600));
const tags = new Set(exp.resources.map(r => JSON.stringify(r.tags))); console.log("distinct tags", tags.size, [...tags].slice(0,3));
