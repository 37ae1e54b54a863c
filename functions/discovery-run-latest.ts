// GET /api/discovery/runs/latest — the scope's latest run. The handler and its route metadata live in lib/api/runs.ts.
import { app } from "@azure/functions";

import { appRunFunctions } from "../lib/api/app-runs.js";

const { name, methods, authLevel, route, handler, extraOutputs } = appRunFunctions.latestRun;
app.http(name, { methods, authLevel, route, handler, ...(extraOutputs ? { extraOutputs } : {}) });
