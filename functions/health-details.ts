// GET /api/health/details (function key, reader role) — store state, counters, last snapshot and run. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.healthDetails;
app.http(name, { methods, authLevel, route, handler });
