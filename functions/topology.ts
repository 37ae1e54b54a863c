// GET /api/topology — the graph for a scope as JSON, Mermaid or DOT. The handler and its route metadata live in lib/api/routes.ts.
import { app } from "@azure/functions";

import { appRoutes } from "../lib/api/routes.js";

const { name, methods, authLevel, route, handler } = appRoutes.topology;
app.http(name, { methods, authLevel, route, handler });
