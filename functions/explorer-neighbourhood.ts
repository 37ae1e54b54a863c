// GET /api/explorer/neighbourhood — a resource's bounded neighbourhood for the explorer graph. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.explorerNeighbourhood;
app.http(name, { methods, authLevel, route, handler });
