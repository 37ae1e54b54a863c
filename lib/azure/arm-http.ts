import type { Agent } from "node:https";

import { ResourceManagementClient } from "@azure/arm-resources";
import type { TokenCredential } from "@azure/core-auth";
import { createPipelineRequest, type HttpHeaders, isRestError, type PipelineResponse } from "@azure/core-rest-pipeline";

import { throwIfAborted } from "../resilience/index.js";
import type { ProviderInfo } from "./api-versions.js";
import { type ArmReader, ArmRequestError, type CallStats, type SubscriptionInfo } from "./arm-reader.js";
import { PageSyntaxError, readPageBody } from "./page-body.js";

/** Longest nextLink chain one list follows unless told otherwise: 1,000 pages (100,000 items at ARM's usual page size). */
export const DEFAULT_MAX_PAGES = 1_000;

/** Versions of ARM's own resource-management routes (docs/platform.md, "ARM list APIs and api-versions"). */
const RESOURCES_API = "2021-04-01";
const SUBSCRIPTIONS_API = "2022-12-01";
/** Version of Microsoft.Management's `getEntities` (docs/devops.md, "Management groups"). */
const MANAGEMENT_API = "2020-05-01";

/** One failed HTTP attempt, as the resilience layer classifies it. */
export class ArmAttemptError extends Error {
  override readonly name = "ArmAttemptError";
  readonly code = "TOPDECK_ARM_ATTEMPT";
  constructor(
    message: string,
    /** HTTP status; undefined when no response arrived (the cause then holds the socket error). */
    readonly status: number | undefined,
    /** ARM's error code, or a transport code such as ECONNRESET. */
    readonly armCode: string,
    /** Response headers (for Retry-After), when a response arrived. */
    readonly headers: Record<string, string>,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** What a call runner knows about the call it wraps. */
export interface CallContext {
  subscriptionId: string | undefined;
  /** Provider namespace of the type read, or `Microsoft.Resources` for ARM's own routes. */
  namespace: string;
  stats: CallStats | undefined;
  /** The caller's signal: once aborted, no attempt starts and the one in flight is aborted. */
  signal?: AbortSignal | undefined;
}

/**
 * Runs one logical call: rate limit, breaker, retry and timeout around `attempt`, which sends one
 * request. It must return the attempt's result or throw; it reports retries in `ctx.stats`.
 */
export type CallRunner = <T>(
  ctx: CallContext,
  attempt: (signal: AbortSignal, observeHeaders?: (headers: Record<string, string>) => Promise<void>) => Promise<T>,
) => Promise<T>;

/** A runner that sends each call once, with no retry: for tests and as the plain baseline. */
export const sendOnce: CallRunner = (ctx, attempt) => {
  throwIfAborted(ctx.signal);
  return attempt(ctx.signal ?? new AbortController().signal);
};

/** Options of the HTTP ARM reader. */
export interface ArmHttpReaderOptions {
  credential: TokenCredential;
  /** ARM endpoint. @default "https://management.azure.com" */
  endpoint?: string;
  /** Token audience. @default "https://management.azure.com/.default" */
  credentialScopes?: string[];
  /** An https.Agent, e.g. one that trusts the emulator's CA. */
  agent?: Agent;
  /** The resilience composition around each call. @default sendOnce */
  run?: CallRunner;
  /** Called with every response's headers (the rate limiter reads its remaining-reads budget). */
  onResponse?: (subscriptionId: string | undefined, status: number, headers: Record<string, string>) => void;
  /**
   * SDK pipeline retries. @default 0 — TopDeck's own retry policy owns retrying, so attempts per
   * call stay bounded by one number instead of multiplying.
   */
  sdkMaxRetries?: number;
  /**
   * Longest nextLink chain one list follows; past it the list ends with a `PageCapReached`
   * error, its pages kept (setting DISCOVERY_MAX_PAGES). @default DEFAULT_MAX_PAGES (1,000)
   */
  maxPages?: number;
}

const encodeSegments = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/** The subscription an id lies in, if it names one: its call draws on that subscription's bucket. */
const subscriptionOf = (id: string): string | undefined => /^\/subscriptions\/([^/]+)/i.exec(id.trim())?.[1];

/** The provider namespace of an id's first provider segment (its breaker's key), else Microsoft.Resources. */
const namespaceOf = (id: string): string => /\/providers\/([^/]+)\/[^/]+\/[^/]+/i.exec(id)?.[1] ?? "Microsoft.Resources";

/**
 * ArmReader over HTTPS with the real @azure/arm-resources client's pipeline (auth, user agent,
 * agent). Each page and each GET is one logical call through `run`.
 */
export class ArmHttpReader implements ArmReader {
  private readonly client: ResourceManagementClient;
  private readonly endpoint: URL;
  private readonly run: CallRunner;

  constructor(private readonly options: ArmHttpReaderOptions) {
    this.endpoint = new URL(options.endpoint ?? "https://management.azure.com");
    this.run = options.run ?? sendOnce;
    this.client = new ResourceManagementClient(options.credential, {
      endpoint: this.endpoint.origin,
      credentialScopes: options.credentialScopes ?? ["https://management.azure.com/.default"],
      retryOptions: { maxRetries: options.sdkMaxRetries ?? 0 },
      ...(options.agent === undefined ? {} : { agent: options.agent }),
    });
  }

  /** @inheritdoc */
  async listSubscriptions(stats?: CallStats, signal?: AbortSignal): Promise<SubscriptionInfo[]> {
    const out: SubscriptionInfo[] = [];
    for await (const page of this.pages(
      `/subscriptions?api-version=${SUBSCRIPTIONS_API}`,
      undefined,
      "Microsoft.Resources",
      stats,
      signal,
    )) {
      for (const s of page as Array<{ subscriptionId?: unknown; displayName?: unknown; state?: unknown }>) {
        if (typeof s.subscriptionId !== "string") continue;
        if (typeof s.state === "string" && s.state !== "Enabled" && s.state !== "PastDue" && s.state !== "Warned") continue;
        out.push({ subscriptionId: s.subscriptionId, displayName: typeof s.displayName === "string" ? s.displayName : "" });
      }
    }
    return out;
  }

  /** @inheritdoc */
  async listProviders(subscriptionId: string, stats?: CallStats, signal?: AbortSignal): Promise<ProviderInfo[]> {
    const out: ProviderInfo[] = [];
    const path = `/subscriptions/${encodeURIComponent(subscriptionId)}/providers?api-version=${RESOURCES_API}`;
    for await (const page of this.pages(path, subscriptionId, "Microsoft.Resources", stats, signal)) {
      out.push(...(page as ProviderInfo[]));
    }
    return out;
  }

  /** @inheritdoc */
  async listResourceGroups(subscriptionId: string, stats?: CallStats, signal?: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    const path = `/subscriptions/${encodeURIComponent(subscriptionId)}/resourcegroups?api-version=${RESOURCES_API}`;
    for await (const page of this.pages(path, subscriptionId, "Microsoft.Resources", stats, signal)) {
      for (const g of page as Array<{ name?: unknown }>) if (typeof g.name === "string") out.push(g.name);
    }
    return out;
  }

  /** @inheritdoc */
  listResources(subscriptionId: string, resourceGroup?: string, stats?: CallStats, signal?: AbortSignal): AsyncIterable<unknown[]> {
    const scope = this.scope(subscriptionId, resourceGroup);
    return this.pages(`${scope}/resources?api-version=${RESOURCES_API}`, subscriptionId, "Microsoft.Resources", stats, signal);
  }

  /** @inheritdoc */
  listByType(
    subscriptionId: string,
    type: string,
    apiVersion: string,
    resourceGroup?: string,
    stats?: CallStats,
    signal?: AbortSignal,
  ): AsyncIterable<unknown[]> {
    const path = `${this.scope(subscriptionId, resourceGroup)}/providers/${encodeSegments(type)}?api-version=${encodeURIComponent(apiVersion)}`;
    return this.pages(path, subscriptionId, type.split("/")[0]!, stats, signal);
  }

  /** @inheritdoc */
  async getById(id: string, apiVersion: string, stats?: CallStats, signal?: AbortSignal): Promise<unknown> {
    const url = this.sameOrigin(this.url(`${encodeSegments(armId(id))}?api-version=${encodeURIComponent(apiVersion)}`), "resource id");
    return this.call(url, subscriptionOf(id), namespaceOf(id), stats, signal);
  }

  /** @inheritdoc */
  listEntities(stats?: CallStats, signal?: AbortSignal): AsyncIterable<unknown[]> {
    return this.pages(
      `/providers/Microsoft.Management/getEntities?api-version=${MANAGEMENT_API}`,
      undefined,
      "Microsoft.Management",
      stats,
      signal,
      "POST",
    );
  }

  /** @inheritdoc */
  listChildren(parentId: string, childType: string, apiVersion: string, stats?: CallStats, signal?: AbortSignal): AsyncIterable<unknown[]> {
    if (!/^[A-Za-z0-9]+$/.test(childType))
      throw new ArmRequestError(
        `child list: ${JSON.stringify(childType.slice(0, 100))} is not a child type name`,
        "InvalidResourceType",
        0,
        0,
      );
    const path = `${encodeSegments(armId(parentId))}/${childType}?api-version=${encodeURIComponent(apiVersion)}`;
    return this.pages(path, subscriptionOf(parentId), namespaceOf(parentId), stats, signal);
  }

  private scope(subscriptionId: string, resourceGroup: string | undefined): string {
    const sub = `/subscriptions/${encodeURIComponent(subscriptionId)}`;
    return resourceGroup === undefined ? sub : `${sub}/resourceGroups/${encodeURIComponent(resourceGroup)}`;
  }

  private url(pathAndQuery: string): string {
    return new URL(pathAndQuery, this.endpoint).toString();
  }

  /**
   * Follows one nextLink chain. A link seen before in the chain (`PagingLoop`) or a chain past
   * `maxPages` (`PageCapReached`) ends it with an error after the pages already yielded, so a
   * caller keeps what it read.
   */
  private async *pages(
    first: string,
    subscriptionId: string | undefined,
    namespace: string,
    stats: CallStats | undefined,
    signal: AbortSignal | undefined,
    method: "GET" | "POST" = "GET",
  ): AsyncGenerator<unknown[]> {
    const maxPages = this.options.maxPages ?? DEFAULT_MAX_PAGES;
    const seen = new Set<string>();
    let next: string | undefined = this.url(first);
    while (next !== undefined) {
      if (seen.has(next)) {
        throw new ArmRequestError(
          `${method} ${redactQuery(next)}: nextLink repeats a page already read (after ${seen.size} pages)`,
          "PagingLoop",
          0,
          0,
        );
      }
      if (seen.size >= maxPages) {
        throw new ArmRequestError(
          `${method} ${redactQuery(next)}: more than ${maxPages} pages; the rest was not read`,
          "PageCapReached",
          0,
          0,
        );
      }
      seen.add(next);
      const body = (await this.call(next, subscriptionId, namespace, stats, signal, method, true)) as {
        value?: unknown;
        nextLink?: unknown;
      };
      if (stats) stats.pages += 1;
      if (!Array.isArray(body?.value)) {
        throw new ArmRequestError(`${method} ${redactQuery(next)}: the page has no value array`, "MalformedPage", 200, 1);
      }
      yield body.value as unknown[];
      next = typeof body.nextLink === "string" && body.nextLink !== "" ? this.sameOrigin(body.nextLink) : undefined;
    }
  }

  /** A nextLink (or a GET by id) must stay on the ARM endpoint: the bearer token never goes anywhere else. */
  private sameOrigin(link: string, what = "nextLink"): string {
    const url = new URL(link, this.endpoint);
    if (url.origin !== this.endpoint.origin) {
      throw new ArmRequestError(
        `${what} leaves the ARM endpoint (${url.origin})`,
        what === "nextLink" ? "ForeignNextLink" : "InvalidResourceId",
        0,
        0,
      );
    }
    return url.toString();
  }

  private async call(
    url: string,
    subscriptionId: string | undefined,
    namespace: string,
    stats: CallStats | undefined,
    caller: AbortSignal | undefined,
    method: "GET" | "POST" = "GET",
    page = false,
  ) {
    // Aborted: no new request starts (the runner's retry and token waits end on it too).
    throwIfAborted(caller);
    let attempts = 0;
    try {
      return await this.run({ subscriptionId, namespace, stats, signal: caller }, async (signal, observeHeaders) => {
        attempts += 1;
        return this.attempt(url, subscriptionId, signal, stats, observeHeaders, method, page);
      });
    } catch (error) {
      throw toRequestError(error, url, attempts, method);
    } finally {
      if (stats && attempts > 1) stats.retries += attempts - 1;
    }
  }

  private async attempt(
    url: string,
    subscriptionId: string | undefined,
    signal: AbortSignal,
    stats: CallStats | undefined,
    observeHeaders: ((headers: Record<string, string>) => Promise<void>) | undefined,
    method: "GET" | "POST",
    page: boolean,
  ) {
    if (stats) stats.requests += 1;
    let status: number;
    let text: string | undefined;
    let parsed: unknown;
    let headers: Record<string, string>;
    let stream: NodeJS.ReadableStream | undefined;
    try {
      const request = createPipelineRequest({
        url,
        method,
        abortSignal: signal,
        ...(page ? { streamResponseStatusCodes: PAGE_STATUS } : {}),
      });
      const response: PipelineResponse & { parsedBody?: unknown } = await this.client.sendRequest(request);
      status = response.status;
      headers = plainHeaders(response.headers);
      text = response.bodyAsText ?? undefined;
      // Any answer but a page (200) the client's deserialization policy has already parsed:
      // parsing the text a second time would double the CPU and the short-lived garbage.
      parsed = response.parsedBody;
      stream = response.readableStreamBody;
    } catch (error) {
      if (isRestError(error) && error.code === "PARSE_ERROR") {
        // The pipeline parsed a JSON body and failed: a cut or garbled answer, retried like a 502.
        throw new ArmAttemptError(`${method} ${redactQuery(url)}: malformed JSON`, 502, "MalformedResponse", {}, { cause: error });
      }
      if (isRestError(error) && error.response === undefined) {
        throw new ArmAttemptError(
          `${method} ${redactQuery(url)}: ${clip(error.message)}`,
          undefined,
          error.code ?? "RequestFailed",
          {},
          {
            cause: error,
          },
        );
      }
      throw error;
    }
    // A page (200) is read from the stream chunk by chunk (page-body.ts), before its headers are
    // taken in, as the client reads any other body before it answers.
    if (stream !== undefined) parsed = await readStreamedPage(stream, url, method);
    this.options.onResponse?.(subscriptionId, status, headers);
    if (status < 400) await observeHeaders?.(headers);
    if (status === 429 && stats) stats.throttled += 1;
    let body: unknown;
    try {
      body = parsed !== undefined ? parsed : text === undefined || text === "" ? undefined : JSON.parse(text);
    } catch (cause) {
      // A cut or garbled body is an unusable upstream answer: a 502, worth a retry like a reset.
      throw new ArmAttemptError(
        `${method} ${redactQuery(url)}: malformed JSON (${status})`,
        status >= 500 ? status : 502,
        "MalformedResponse",
        headers,
        {
          cause,
        },
      );
    }
    if (status >= 200 && status < 300) return body;
    const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const code = typeof err?.code === "string" ? err.code : `Http${status}`;
    const message = typeof err?.message === "string" ? clip(err.message) : `status ${status}`;
    throw new ArmAttemptError(`${method} ${redactQuery(url)}: ${status} ${code}: ${message}`, status, code, headers);
  }
}

/** The status whose body is a page to read from the stream: a list's answer. */
const PAGE_STATUS = new Set([200]);

/**
 * A page's body, read from its stream chunk by chunk (page-body.ts). A body cut short or garbled
 * is an unusable upstream answer, retried like a 502 (as a whole body that fails to parse); a
 * stream that fails (a reset, an abort) is a transport failure with no answer.
 */
async function readStreamedPage(stream: NodeJS.ReadableStream, url: string, method: string): Promise<unknown> {
  try {
    return await readPageBody(stream as AsyncIterable<Buffer>);
  } catch (error) {
    if (error instanceof PageSyntaxError) {
      throw new ArmAttemptError(`${method} ${redactQuery(url)}: malformed JSON (200)`, 502, "MalformedResponse", {}, { cause: error });
    }
    const e = error instanceof Error ? error : new Error(String(error));
    const code = (e as { code?: unknown }).code;
    throw new ArmAttemptError(
      `${method} ${redactQuery(url)}: ${clip(e.message)}`,
      undefined,
      typeof code === "string" ? code : "RequestFailed",
      {},
      { cause: e },
    );
  }
}

/** ARM messages can quote whole payloads; a run's error list keeps them short. */
function clip(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function plainHeaders(headers: HttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) out[name.toLowerCase()] = value;
  return out;
}

/** Keeps api-version, drops anything else from a URL shown in an error (skip tokens can be long). */
function redactQuery(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.searchParams.has("api-version") ? `?api-version=${u.searchParams.get("api-version")}` : ""}`;
}

function toRequestError(error: unknown, url: string, attempts: number, method: string): ArmRequestError {
  if (error instanceof ArmRequestError) return error;
  if (error instanceof ArmAttemptError) {
    return new ArmRequestError(error.message, error.armCode, error.status ?? 0, attempts, { cause: error });
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  return new ArmRequestError(`${method} ${redactQuery(url)}: ${clip(e.message)}`, typeof code === "string" ? code : e.name, 0, attempts, {
    cause: e,
  });
}

/**
 * `id`, trimmed, when it is an ARM resource id: `/subscriptions/{id}` then name/value segment
 * pairs, none empty, `.` or `..`, and no query, fragment, backslash or control character. A GET by
 * id follows ids read from payloads, so one that could leave the ARM endpoint or its path is
 * refused before anything is sent. @throws ArmRequestError `InvalidResourceId`.
 */
function armId(id: string): string {
  const trimmed = id.trim();
  const segments = trimmed.split("/").slice(1);
  const valid =
    trimmed.startsWith("/") &&
    segments.length >= 2 &&
    segments.length % 2 === 0 &&
    segments[0]!.toLowerCase() === "subscriptions" &&
    segments.every((s) => s !== "" && s !== "." && s !== ".." && !/[?#\\]/.test(s) && ![...s].some((c) => c.charCodeAt(0) < 0x20));
  if (!valid)
    throw new ArmRequestError(`GET by id: ${JSON.stringify(trimmed.slice(0, 200))} is not an ARM resource id`, "InvalidResourceId", 0, 0);
  return trimmed;
}
