// Queue "discovery-runs": one message per subscription of a run (or a plan message that lists
// them); the delivery that completes the run commits its snapshot. Defined in lib/api/runs.ts.
import { app } from "@azure/functions";

import { appRunFunctions } from "../lib/api/app-runs.js";

const { name, queueName, connection, extraOutputs, handler } = appRunFunctions.worker;
app.storageQueue(name, { queueName, connection, extraOutputs, handler });
