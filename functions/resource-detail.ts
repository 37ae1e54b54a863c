// GET /api/resources/detail?id= — one resource with its direct dependencies and dependents. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.resourceDetail;
app.http(name, { methods, authLevel, route, handler });
