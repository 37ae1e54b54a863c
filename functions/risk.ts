// GET /api/risk — single points of failure, per-zone exposure and change risk. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.risk;
app.http(name, { methods, authLevel, route, handler });
