import { Agent } from "node:https";

import { ResourceManagementClient, type ResourceManagementClientOptionalParams } from "@azure/arm-resources";
import { createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";

/** A TokenCredential that hands out one fixed fake token: the emulator only checks its presence. */
export const emulatorCredential: TokenCredential = {
  getToken: async () => ({ token: "emulator-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** What a client needs of a running emulator: where it is and which CA to trust. */
export interface EmulatorEndpoint {
  url: string;
  ca: string;
}

/**
 * The real ResourceManagementClient pointed at an emulator: `endpoint` is the emulator's URL and an
 * https.Agent carrying its CA is the client's `agent`. `options` (e.g. `retryOptions`) win over these.
 * Warning: do not pass `apiVersion`: the client then rewrites the api-version of every request,
 * getById's included.
 */
export function armClient(
  emulator: EmulatorEndpoint,
  subscriptionId: string,
  options: ResourceManagementClientOptionalParams = {},
): ResourceManagementClient {
  return new ResourceManagementClient(emulatorCredential, subscriptionId, {
    endpoint: emulator.url,
    credentialScopes: ["https://management.azure.com/.default"],
    agent: new Agent({ ca: emulator.ca, keepAlive: true }),
    ...options,
  });
}

/** A parsed answer of a request sent through a client's pipeline. */
export interface ArmJsonResponse {
  status: number;
  headers: PipelineResponse["headers"];
  body: unknown;
}

/**
 * GETs a URL through the client's pipeline (auth, retries and agent included), for routes the
 * generic client has no operation for: provider type lists, child lists, nextLinks.
 */
export async function armGet(
  client: ResourceManagementClient,
  url: string,
  options: { abortSignal?: AbortSignal } = {},
): Promise<ArmJsonResponse> {
  const request = createPipelineRequest({ url, method: "GET", abortSignal: options.abortSignal });
  const response = await client.sendRequest(request);
  return { status: response.status, headers: response.headers, body: response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined };
}

/** Every item of a paged ARM list at `url`, following nextLink; throws on a non-200 page. */
export async function armListAll(client: ResourceManagementClient, url: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let next: string | undefined = url;
  while (next !== undefined) {
    const page = await armGet(client, next);
    if (page.status !== 200) throw new Error(`GET ${next} answered ${page.status}: ${JSON.stringify(page.body)}`);
    const body = page.body as { value: Record<string, unknown>[]; nextLink?: string };
    items.push(...body.value);
    next = body.nextLink;
  }
  return items;
}
