// GET /api/changes?since= — what changed since a kept run. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.changes;
app.http(name, { methods, authLevel, route, handler });
