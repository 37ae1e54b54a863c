/**
 * The process whose CPU `npm run bench -- discovery` reports as `cpuMsPer1kResourcesBundled`
 * (bundled by esbuild as the deployed app is, run by plain node) and, run from source under tsx,
 * `cpuMsPer1kResourcesChild`: the discovery of the subscriptions in `argv[3]` against the emulator
 * at `argv[2]` (its CA on stdin), run twice in the same process; the first run warms the JIT, as
 * the in-process figure's run comes after the 1 x 20,000 scenario; the second is measured, with its
 * transport floor (bench/_transport-floor.ts). Prints one line with the figures.
 */
import { createArmCalls } from "../lib/azure/arm-calls.js";
import { ArmHttpReader } from "../lib/azure/arm-http.js";
import { emulatorCredential } from "../lib/azure/credentials.js";
import { runDiscovery } from "../lib/azure/discover.js";
import { emulatorAgent } from "../lib/azure/readers.js";
import { recordRequests, transportCpuMs } from "./_transport-floor.js";

const [url, subscriptionList] = process.argv.slice(2);
if (url === undefined || subscriptionList === undefined)
  throw new Error("usage: _discovery-cpu-child <emulator url> <subscription,...> (CA on stdin)");
let ca = "";
for await (const chunk of process.stdin) ca += String(chunk);
const subscriptions = subscriptionList.split(",");

async function discover() {
  const agent = emulatorAgent(ca);
  const reader = new ArmHttpReader({ credential: emulatorCredential, endpoint: url!, agent, run: createArmCalls().run });
  try {
    const out = await runDiscovery({ reader, subscriptions, concurrency: 16, subscriptionConcurrency: subscriptions.length });
    if (out.errors.length > 0) throw new Error(`the run recorded errors: ${JSON.stringify(out.errors[0])}`);
    return out;
  } finally {
    agent.destroy();
  }
}

await discover();
const before = process.cpuUsage();
const recorded = await recordRequests(discover);
const cpu = process.cpuUsage(before);
const transportMs = await transportCpuMs({ url, ca }, recorded.requests, recorded.peak);
process.stdout.write(
  `resources=${recorded.value.resources.length} requests=${recorded.requests.length} inFlightPeak=${recorded.peak} ` +
    `cpuMs=${((cpu.user + cpu.system) / 1000).toFixed(1)} transportMs=${transportMs.toFixed(1)}\n`,
);
