// Timer (DISCOVERY_SCHEDULE, default every 6 hours, UTC): starts a discovery run unless one is
// running. Defined in lib/api/runs.ts.
import { app } from "@azure/functions";

import { appRunFunctions } from "../lib/api/app-runs.js";

const { name, schedule, useMonitor, extraOutputs, handler } = appRunFunctions.timer;
app.timer(name, { schedule, useMonitor, extraOutputs, handler });
