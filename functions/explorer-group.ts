// GET /api/explorer/group — one resource group aggregated by type for the explorer. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.explorerGroup;
app.http(name, { methods, authLevel, route, handler });
