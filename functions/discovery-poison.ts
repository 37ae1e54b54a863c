// Queue "discovery-runs-poison": a message the host gave up on (host.json maxDequeueCount) is
// reported in its run, which still completes. Defined in lib/api/runs.ts.
import { app } from "@azure/functions";

import { appRunFunctions } from "../lib/api/app-runs.js";

const { name, queueName, connection, handler } = appRunFunctions.poison;
app.storageQueue(name, { queueName, connection, handler });
