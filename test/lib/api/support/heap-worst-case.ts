// Run in its own process (node --max-old-space-size=512 --import tsx): loads a generated snapshot
// of RESOURCES resources, then sends eight worst-case requests at once, twice, sampling the heap;
// prints one JSON line {baselineMB, peakMB, statuses}.
import { randomUUID } from "node:crypto";

import azureFunctions from "@azure/functions";

import { createRoutes, type RouteName } from "../../../../lib/api/routes.js";
import { exportFromPayloads } from "../../../../lib/azure/offline-export.js";
import { createStore } from "../../../../lib/cache/index.js";
import { loadConfig } from "../../../../lib/config/index.js";
import { createLogger } from "../../../../lib/log/index.js";
import { generateEstate } from "../../../../tools/estates/generate.js";

// Node's ESM loader sees only a few names of the package's CommonJS build (lib/api/serve.ts).
const { HttpRequest, InvocationContext } = azureFunctions;

const resources = Number(process.argv[2] ?? 20_000);
const exp = exportFromPayloads(generateEstate({ resources, types: 40, subscriptions: 2, seed: 7, referencesPerResource: 3 }), { runId: "heap" });
const store = createStore(loadConfig({}), createLogger({ level: "error", write: () => undefined }));
await store.snapshots.write("heap", exp);
const routes = createRoutes(() => ({ store, scope: () => "heap", monitoring: () => ({ collectors: {} }) }));

const mb = (n: number): number => Math.round(n / 1_048_576);
const call = async (name: RouteName, query: Record<string, string | string[]>): Promise<number> => {
  const url = new URL(`http://localhost/api/${routes[name].route}`);
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
  const response = await routes[name].handler(new HttpRequest({ method: "GET", url: url.toString(), headers: { "x-functions-key": "k" } }), new InvocationContext({ functionName: name, invocationId: randomUUID(), logHandler: () => undefined }));
  return (response as { status?: number }).status ?? 200;
};

// Load the snapshot once (what every instance holds), then measure from there.
await call("resources", { limit: "1" });
global.gc?.();
const baseline = process.memoryUsage().heapUsed;
let peak = baseline;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}, 2);

const hub = [...exp.edges.reduce<Map<string, number>>((m, e) => m.set(e.to, (m.get(e.to) ?? 0) + 1), new Map())].sort((a, b) => b[1] - a[1])[0]![0];
const [sub] = exp.scope.subscriptions;
const worst = (i: number): Promise<number> => {
  switch (i % 8) {
    case 0: return call("topology", { format: "json" });
    case 1: return call("topology", { format: "json", subscriptionId: sub!, type: [`t${i}`, ...exp.resources.slice(0, 40).map((r) => r.type)] });
    case 2: return call("topology", { format: "mermaid", id: hub, depth: "20" });
    case 3: return call("impact", { id: hub });
    case 4: return call("resources", { limit: "1000", q: "a" });
    case 5: return call("resourceDetail", { id: hub, limit: "2000" });
    case 6: return call("risk", { limit: "1000" });
    default: return call("topology", { format: "dot", id: hub, depth: "20", direction: "dependents" });
  }
};
const statuses: number[] = [];
for (let round = 0; round < 2; round++) statuses.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => worst(i + round)))));
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().heapUsed);
process.stdout.write(`${JSON.stringify({ baselineMB: mb(baseline), peakMB: mb(peak), statuses })}\n`);
await store.idle();
process.exit(0);
