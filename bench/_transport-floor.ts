/**
 * The CPU floor of a discovery run (bench/discovery.ts): the run's own HTTP requests, recorded
 * through node:diagnostics_channel, sent again through the same @azure/arm-resources client
 * pipeline, as many in flight as the run had at its peak, on fresh connections, the parsed pages
 * dropped. What any design reading these pages with this client pays.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";

import { ResourceManagementClient } from "@azure/arm-resources";
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import pLimit from "p-limit";

import { emulatorCredential } from "../lib/azure/credentials.js";
import { emulatorAgent } from "../lib/azure/readers.js";

/** One request as sent. */
export interface SentRequest {
  method: string;
  url: string;
}

/** The HTTP requests this process sends while `during` runs, and the most in flight at once. */
export async function recordRequests<T>(during: () => Promise<T>): Promise<{ value: T; requests: SentRequest[]; peak: number }> {
  const requests: SentRequest[] = [];
  let inFlight = 0;
  let peak = 0;
  const started = (message: unknown) => {
    const request = (message as { request: { method: string; path: string; getHeader(name: string): unknown } }).request;
    requests.push({ method: request.method, url: `https://${String(request.getHeader("host"))}${request.path}` });
    peak = Math.max(peak, ++inFlight);
  };
  const finished = () => void inFlight--;
  subscribe("http.client.request.start", started);
  subscribe("http.client.response.finish", finished);
  try {
    return { value: await during(), requests, peak };
  } finally {
    unsubscribe("http.client.request.start", started);
    unsubscribe("http.client.response.finish", finished);
  }
}

/**
 * Process CPU ms of sending `requests` again, `peak` at a time, through the ARM client's pipeline
 * (fresh connections, as the run had), the parsed bodies dropped.
 */
export async function transportCpuMs(
  emulator: { url: string; ca: string },
  requests: readonly SentRequest[],
  peak: number,
): Promise<number> {
  const agent = emulatorAgent(emulator.ca);
  const client = new ResourceManagementClient(emulatorCredential, { endpoint: emulator.url, retryOptions: { maxRetries: 0 }, agent });
  const limit = pLimit(Math.max(1, peak));
  const before = process.cpuUsage();
  const statuses = await Promise.all(
    requests.map((r) =>
      limit(
        async () => (await client.sendRequest(createPipelineRequest({ url: r.url, method: r.method === "POST" ? "POST" : "GET" }))).status,
      ),
    ),
  );
  const cpu = process.cpuUsage(before);
  agent.destroy();
  // A replay answered otherwise than the run was (a 429 from a bucket the run drained) is no floor.
  const odd = statuses.filter((s) => s !== 200).length;
  if (odd > 0) process.stdout.write(`transport replay: ${odd} of ${statuses.length} answers not 200, no floor reported\n`);
  return odd > 0 ? Number.NaN : (cpu.user + cpu.system) / 1000;
}
