// GET /api/monitoring/errors?id= — see docs/interfaces.md section 4. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.monitoringErrors;
app.http(name, { methods, authLevel, route, handler });
