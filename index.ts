// The function app's entry point, as `src/index.ts` is in the Functions v4 template: app-level
// setup, loaded by the deployable bundle (tools/build-bundle.ts) before any functions/*.ts
// registers. Tells the worker this app emits OpenTelemetry (host.json telemetryMode), and starts
// the Azure Monitor exporter when APPLICATIONINSIGHTS_CONNECTION_STRING is set (nothing is loaded
// otherwise).
import { app } from "@azure/functions";

import { startTelemetry } from "./lib/telemetry/index.js";

app.setup({ capabilities: { WorkerOpenTelemetryEnabled: true } });

await startTelemetry();
