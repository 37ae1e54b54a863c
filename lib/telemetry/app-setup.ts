// Loaded first by the deployable bundle (tools/build-bundle.ts), before any function registers:
// tells the worker this app emits OpenTelemetry (host.json telemetryMode), and starts the Azure
// Monitor exporter when APPLICATIONINSIGHTS_CONNECTION_STRING is set (nothing is loaded otherwise).
import { app } from "@azure/functions";

import { startTelemetry } from "./index.js";

app.setup({ capabilities: { WorkerOpenTelemetryEnabled: true } });

await startTelemetry();
