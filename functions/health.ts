// GET /api/health (anonymous) — status only: healthy, degraded or unhealthy (details: health-details.ts). The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.health;
app.http(name, { methods, authLevel, route, handler });
