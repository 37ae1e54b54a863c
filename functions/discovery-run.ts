// GET /api/discovery/runs/{runId} — a run's status, progress per subscription and type, errors and stats. The handler and its route metadata live in lib/api/runs.ts.
import { app } from "@azure/functions";

import { appRunFunctions } from "../lib/api/app-runs.js";

const { name, methods, authLevel, route, handler, extraOutputs } = appRunFunctions.run;
app.http(name, { methods, authLevel, route, handler, ...(extraOutputs ? { extraOutputs } : {}) });
