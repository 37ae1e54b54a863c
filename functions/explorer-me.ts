// GET /api/explorer/me — the caller's TopDeck roles, so the explorer page can hide what it may not do. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.explorerMe;
app.http(name, { methods, authLevel, route, handler });
