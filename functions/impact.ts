// GET /api/impact?id=&limit=&cursor= — the failure model for one resource. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.impact;
app.http(name, { methods, authLevel, route, handler });
