// Run in its own process (the exporter is global): starts telemetry with a fake credential
// against the ingestion endpoint in argv[2], ends one span, flushes, and prints
// {"tokens": <getToken calls>} as one JSON line.
import { shutdownAzureMonitor } from "@azure/monitor-opentelemetry";

import { recordCacheLookup, startTelemetry, withSpan } from "../../../../lib/telemetry/index.js";

let tokens = 0;
const credential = {
  getToken: () => {
    tokens += 1;
    return Promise.resolve({ token: "fake-entra-token", expiresOnTimestamp: Date.now() + 3_600_000 });
  },
};
const connectionString = `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${process.argv[2]}/`;
await startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }, { credential: () => Promise.resolve(credential) });
await withSpan("topdeck.test", {}, () => Promise.resolve());
// A metric too: the default sampler may drop the one span, a counter is always exported.
recordCacheLookup(true);
await shutdownAzureMonitor();
process.stdout.write(`${JSON.stringify({ tokens })}\n`);
process.exit(0);
