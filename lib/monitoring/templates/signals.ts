/**
 * The signals TopDeck reads for a resource. The unit is part of every name, so a threshold can
 * only be compared with a value in the same unit: latency is always seconds, never milliseconds.
 */
export const SIGNALS = ["requestsPerSecond", "errorRatio", "latencySeconds", "cpuRatio", "memoryRatio"] as const;

/** One of {@link SIGNALS}. */
export type SignalName = (typeof SIGNALS)[number];

/** Which way a change is bad: up (errors, latency, load), or both (traffic: a drop is news too). */
export const badDirection: Readonly<Record<SignalName, "up" | "both">> = {
  requestsPerSecond: "both",
  errorRatio: "up",
  latencySeconds: "up",
  cpuRatio: "up",
  memoryRatio: "up",
};
