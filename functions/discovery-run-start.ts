// POST /api/discovery/runs — starts a discovery run (202 + Location; 409 naming the running run). The handler and its route metadata live in lib/api/runs.ts.
import { app } from "@azure/functions";

import { appRunFunctions } from "../lib/api/app-runs.js";

const { name, methods, authLevel, route, handler, extraOutputs } = appRunFunctions.startRun;
app.http(name, { methods, authLevel, route, handler, ...(extraOutputs ? { extraOutputs } : {}) });
