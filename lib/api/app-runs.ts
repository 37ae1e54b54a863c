import type { ArmReader } from "../azure/arm-reader.js";
import { getStore } from "../cache/index.js";
import { getConfig, loadSetting } from "../config/index.js";
import { getLogger } from "../log/index.js";
import { createRunService } from "../runs/compose.js";
import type { RunService } from "../runs/run-service.js";
import { createRunFunctions, type RunFunctions } from "./runs.js";

let service: RunService | undefined;

/** The app's run service over the app's store, settings and Azure credential (made on first use). */
export function appRunService(): RunService {
  if (service === undefined) {
    const config = getConfig();
    let reader: Promise<ArmReader> | undefined;
    service = createRunService(config, {
      store: getStore(),
      log: getLogger(),
      // Loaded on the first run, not at start: the ARM client is a heavy import for a cold start.
      reader: () => (reader ??= import("../azure/readers.js").then((m) => m.azureReader(config))),
    });
  }
  return service;
}

/** The app's discovery-run routes and triggers; the timer's schedule is DISCOVERY_SCHEDULE. */
export const appRunFunctions: RunFunctions = createRunFunctions(appRunService, () => loadSetting("DISCOVERY_SCHEDULE"));
