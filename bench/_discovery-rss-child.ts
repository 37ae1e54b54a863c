/**
 * The process whose peak RSS `npm run bench -- discovery` reports as `peakRssMb100k` (run from
 * source, under tsx) and `peakRssMb100kBundled` (bundled by esbuild as the deployed app is, run by
 * plain node): one discovery run against the emulator at `argv[2]` (its CA on stdin) over the
 * subscriptions in `argv[3]`, up to the finished export. Prints one line with the figures: the
 * RSS before discovery starts and the peak.
 */

import { createArmCalls } from "../lib/azure/arm-calls.js";
import { ArmHttpReader } from "../lib/azure/arm-http.js";
import { emulatorCredential } from "../lib/azure/credentials.js";
import { runDiscovery } from "../lib/azure/discover.js";
import { emulatorAgent } from "../lib/azure/readers.js";

const [url, subscriptions] = process.argv.slice(2);
if (url === undefined || subscriptions === undefined)
  throw new Error("usage: _discovery-rss-child <emulator url> <subscription,...> (CA on stdin)");
let ca = "";
for await (const chunk of process.stdin) ca += String(chunk);
// What the process holds before discovery starts (the runtime, tsx when from source, the modules).
const startRssMb = process.memoryUsage().rss / 1048576;
const reader = new ArmHttpReader({ credential: emulatorCredential, endpoint: url, agent: emulatorAgent(ca), run: createArmCalls().run });
const out = await runDiscovery({ reader, subscriptions: subscriptions.split(","), concurrency: 16 });
const peak = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `resources=${out.resources.length} edges=${out.edges.length} errors=${out.errors.length} startRssMb=${startRssMb.toFixed(1)} peakRssMb=${peak.toFixed(1)}\n`,
);
