// GET /api/explorer/assets/{name} — the explorer page's script and style. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.explorerAsset;
app.http(name, { methods, authLevel, route, handler });
