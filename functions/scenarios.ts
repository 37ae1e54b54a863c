// POST /api/scenarios — the failure model for a set of resources, zones and regions. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.scenarios;
app.http(name, { methods, authLevel, route, handler });
