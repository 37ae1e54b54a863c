// Run in its own process (node --max-old-space-size=512 --import tsx), as a query instance: opens
// the store over the Upstash REST bridge the parent committed a snapshot to (UPSTASH_REDIS_REST_URL
// and _TOKEN), loads it, then sends eight worst-case requests at once, twice, sampling the heap;
// prints one JSON line {baselineMB, peakMB, statuses}. Arguments: the scope and a JSON object
// {hub, subscription, types} naming what the worst cases ask for.
import { randomUUID } from "node:crypto";

import azureFunctions from "@azure/functions";

import { createRoutes, type RouteName } from "../../../../lib/api/routes.js";
import { createStore } from "../../../../lib/cache/index.js";
import { loadConfig } from "../../../../lib/config/index.js";
import { createLogger } from "../../../../lib/log/index.js";

// Node's ESM loader sees only a few names of the package's CommonJS build (tools/host/serve.ts).
const { HttpRequest, InvocationContext } = azureFunctions;

const scope = process.argv[2]!;
const { hub, subscription: sub, types } = JSON.parse(process.argv[3]!) as { hub: string; subscription: string; types: string[] };
const store = createStore(loadConfig(process.env), createLogger({ level: "error", write: () => undefined }), {
  snapshots: { bulkTimeoutMs: 60_000 },
});
const routes = createRoutes(() => ({ store, scope: () => scope, monitoring: () => ({ collectors: {} }) }));

const mb = (n: number): number => Math.round(n / 1_048_576);
const call = async (name: RouteName, query: Record<string, string | string[]>): Promise<number> => {
  const url = new URL(`http://localhost/api/${routes[name].route}`);
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
  const response = await routes[name].handler(
    new HttpRequest({ method: "GET", url: url.toString(), headers: { "x-functions-key": "k" } }),
    new InvocationContext({ functionName: name, invocationId: randomUUID(), logHandler: () => undefined }),
  );
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

const worst = (i: number): Promise<number> => {
  switch (i % 8) {
    case 0:
      return call("topology", { format: "json" });
    case 1:
      return call("topology", { format: "json", subscriptionId: sub, type: [`t${i}`, ...types] });
    case 2:
      return call("topology", { format: "mermaid", id: hub, depth: "20" });
    case 3:
      return call("impact", { id: hub });
    case 4:
      return call("resources", { limit: "1000", q: "a" });
    case 5:
      return call("resourceDetail", { id: hub, limit: "2000" });
    case 6:
      return call("risk", { limit: "1000" });
    default:
      return call("topology", { format: "dot", id: hub, depth: "20", direction: "dependents" });
  }
};
const statuses: number[] = [];
for (let round = 0; round < 2; round++) statuses.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => worst(i + round)))));
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().heapUsed);
process.stdout.write(`${JSON.stringify({ baselineMB: mb(baseline), peakMB: mb(peak), statuses })}\n`);
await store.idle();
process.exit(0);
