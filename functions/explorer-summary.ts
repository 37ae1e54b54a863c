// GET /api/explorer/summary — the estate's counts for the explorer overview. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.explorerSummary;
app.http(name, { methods, authLevel, route, handler });
