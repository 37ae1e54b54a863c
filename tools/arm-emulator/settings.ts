import { defaultThrottle } from "./throttle.js";
import { type ArmEmulatorOptions, type FaultKind, faultKinds, type ThrottleSettings } from "./types.js";

/** Options with defaults applied and every value checked. */
export interface EmulatorSettings {
  port: number;
  latencyMs: number;
  pageSize: number;
  throttle: ThrottleSettings | "off";
  faultRate: number;
  seed: number;
  faults: readonly FaultKind[];
  now: () => number;
}

function check(ok: boolean, option: string, expected: string, got: unknown): void {
  if (!ok) throw new RangeError(`startArmEmulator: ${option} must be ${expected}, got ${JSON.stringify(got)}`);
}

/** Applies defaults and validates. @throws RangeError naming the bad option and the expected shape. */
export function resolveSettings(options: ArmEmulatorOptions): EmulatorSettings {
  const settings: EmulatorSettings = {
    port: options.port ?? 0,
    latencyMs: options.latencyMs ?? 0,
    pageSize: options.pageSize ?? 100,
    throttle: options.throttle ?? defaultThrottle,
    faultRate: options.faultRate ?? 0,
    seed: options.seed ?? 1,
    faults: options.faults ?? faultKinds,
    now: options.now ?? Date.now,
  };
  const { port, latencyMs, pageSize, throttle, faultRate, seed, faults } = settings;
  check(Number.isInteger(port) && port >= 0 && port <= 65535, "port", "an integer from 0 to 65535", port);
  check(Number.isFinite(latencyMs) && latencyMs >= 0, "latencyMs", "a number of at least 0", latencyMs);
  check(Number.isInteger(pageSize) && pageSize >= 1, "pageSize", "an integer of at least 1", pageSize);
  if (throttle !== "off") {
    check(Number.isInteger(throttle.burst) && throttle.burst >= 1, "throttle.burst", "an integer of at least 1", throttle.burst);
    check(
      Number.isFinite(throttle.refillPerSecond) && throttle.refillPerSecond > 0,
      "throttle.refillPerSecond",
      "a number above 0",
      throttle.refillPerSecond,
    );
  }
  check(Number.isFinite(faultRate) && faultRate >= 0 && faultRate <= 1, "faultRate", "a number from 0 to 1", faultRate);
  check(Number.isSafeInteger(seed), "seed", "an integer", seed);
  check(
    faults.every((k) => (faultKinds as readonly string[]).includes(k)),
    "faults",
    `a list of ${faultKinds.join(", ")}`,
    faults,
  );
  return settings;
}
