import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { createCertificates } from "../arm-emulator/certificates.js";
import { mulberry32 } from "../arm-emulator/faults.js";
import { checkApiVersion, locationsOf, resourceAreas } from "./locations.js";
import type { Organisation } from "./organisation.js";
import { answerGet, type DevOpsAnswer, vssError } from "./routes.js";
import { type UsageLimit, UsageThrottle } from "./throttle.js";

/** Options of {@link startDevOpsEmulator}. */
export interface DevOpsEmulatorOptions {
  org: Organisation;
  /** @default 0 (a free port) */
  port?: number;
  /** Delay before every answer. @default 0 */
  latencyMs?: number;
  /** Largest page of every paged list. @default 100 */
  pageSize?: number;
  /** Requests per sliding minute before 429s. @default { perMinute: 200 } */
  limit?: UsageLimit | "off";
  /** Share (0..1) of GETs answered with a 503 instead. @default 0 */
  faultRate?: number;
  /** Seed of the fault sequence. @default 1 */
  seed?: number;
  /** The personal access token basic auth must carry. @default "emulator-pat" */
  pat?: string;
  /** The bearer token (Entra) auth may carry instead. @default "emulator-token" */
  bearerToken?: string;
  /** Clock of the usage limit. @default Date.now */
  now?: () => number;
}

/** Counts of what the emulator answered. */
export interface DevOpsRequestLog {
  total: number;
  /** By method and lower-cased path without the query: `GET /org/_apis/projects` -> status -> count. */
  byRoute: Record<string, Record<string, number>>;
  throttled: number;
  faults: number;
  /** How requests authenticated. */
  auth: { basic: number; bearer: number; rejected: number };
}

/** A running emulator. */
export interface DevOpsEmulator {
  /** `https://127.0.0.1:PORT` */
  url: string;
  /** The organisation URL clients take: `https://127.0.0.1:PORT/{org}`. */
  orgUrl: string;
  caCertPath: string;
  ca: string;
  requestLog(): DevOpsRequestLog;
  resetLog(): void;
  /** Serves another organisation (same name) from now on. */
  setOrganisation(org: Organisation): void;
  /** Changes the fault rate from now on (a test's outage and recovery). */
  setFaultRate(rate: number): void;
  /** Every GET whose lower-cased path matches answers 500 from now on (a lasting outage of one part); undefined ends it. */
  setFailing(pattern: RegExp | undefined): void;
  close(): Promise<void>;
}

function emptyLog(): DevOpsRequestLog {
  return { total: 0, byRoute: {}, throttled: 0, faults: 0, auth: { basic: 0, bearer: 0, rejected: 0 } };
}

/** The api-version of a request: the query's, else the Accept header's `api-version=` (the node client's way). */
function apiVersionOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const fromQuery = query.get("api-version");
  if (fromQuery !== null) return fromQuery;
  return /api-version=([^;,\s]+)/i.exec(req.headers.accept ?? "")?.[1];
}

function authOf(req: IncomingMessage, pat: string, bearer: string): "basic" | "bearer" | undefined {
  const header = req.headers.authorization ?? "";
  const [scheme, value = ""] = header.split(" ", 2);
  if (scheme?.toLowerCase() === "bearer") return value === bearer ? "bearer" : undefined;
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    return decoded.slice(decoded.indexOf(":") + 1) === pat ? "basic" : undefined;
  }
  return undefined;
}

/**
 * Starts an HTTPS server on 127.0.0.1 that answers the Azure DevOps REST routes
 * azure-devops-node-api calls for one organisation: resource areas and OPTIONS location
 * discovery, projects, repositories, build definitions and builds, release definitions and
 * deployments, environments with their resources and deployment records, service connections and
 * their execution history. It checks api-versions and basic (PAT) or bearer auth, pages with
 * `x-ms-continuationtoken`, sends Azure DevOps' throttling headers and 429s, and injects seeded 503s.
 */
export async function startDevOpsEmulator(options: DevOpsEmulatorOptions): Promise<DevOpsEmulator> {
  let org = options.org;
  const pat = options.pat ?? "emulator-pat";
  const bearer = options.bearerToken ?? "emulator-token";
  const pageSize = options.pageSize ?? 100;
  const latencyMs = options.latencyMs ?? 0;
  let faultRate = options.faultRate ?? 0;
  let failing: RegExp | undefined;
  const random = mulberry32(options.seed ?? 1);
  const throttle = new UsageThrottle(options.limit ?? { perMinute: 200 }, options.now ?? Date.now);
  const certificates = await createCertificates();
  const dir = await mkdtemp(join(tmpdir(), "topdeck-devops-emulator-"));
  const caCertPath = join(dir, "ca.pem");
  await writeFile(caCertPath, certificates.ca);
  let log = emptyLog();
  let origin = "https://127.0.0.1";

  const answer = (req: IncomingMessage, url: URL): DevOpsAnswer => {
    const segments = url.pathname.split("/");
    if ((segments[1] ?? "").toLowerCase() !== org.name.toLowerCase())
      return vssError(404, "VssServiceException", `The organisation '${segments[1]}' does not exist.`);
    const rest = url.pathname.slice(org.name.length + 1) || "/";
    const base = `${origin}/${org.name}`;
    if (req.method === "OPTIONS") {
      const area = /^\/_apis\/([^/]+)\/?$/.exec(rest)?.[1];
      const locations = area === undefined ? undefined : locationsOf(area);
      return locations ? { status: 200, body: locations } : vssError(404, "VssResourceNotFoundException", `Area ${area} not found.`);
    }
    if (req.method !== "GET") return vssError(405, "VssMethodNotAllowedException", `${req.method} is not served by the emulator.`);
    const versionProblem = checkApiVersion(apiVersionOf(req, url.searchParams));
    if (versionProblem !== undefined) return vssError(400, "VssVersionOutOfRangeException", versionProblem);
    if (/^\/_apis\/resourceareas\/?$/i.test(rest)) {
      return { status: 200, body: { count: resourceAreas.length, value: resourceAreas.map((a) => ({ ...a, locationUrl: `${base}/` })) } };
    }
    return (
      answerGet(rest, { org, base, query: url.searchParams, pageSize }) ??
      vssError(404, "VssResourceNotFoundException", `No route for ${url.pathname}.`)
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", origin);
    const route = `${req.method} ${url.pathname.toLowerCase()}`;
    const send = (a: DevOpsAnswer, extra: Record<string, string> = {}): void => {
      log.total += 1;
      const statuses = (log.byRoute[route] ??= {});
      statuses[String(a.status)] = (statuses[String(a.status)] ?? 0) + 1;
      res.writeHead(a.status, { "content-type": "application/json; charset=utf-8", ...extra, ...a.headers });
      res.end(JSON.stringify(a.body));
    };
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const auth = authOf(req, pat, bearer);
    if (auth === undefined) {
      log.auth.rejected += 1;
      send(vssError(401, "UnauthorizedRequestException", "TF400813: The user is not authorized to access this resource."));
      return;
    }
    log.auth[auth] += 1;
    const usage = throttle.decide();
    if (usage.blocked) {
      log.throttled += 1;
      send(
        vssError(
          429,
          "RequestBlockedException",
          "TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'Core.ApiRequests'.",
        ),
        usage.headers,
      );
      return;
    }
    if (req.method === "GET" && failing?.test(url.pathname.toLowerCase())) {
      log.faults += 1;
      send(vssError(500, "VssServiceException", "TF400898: An internal error occurred (emulated outage)."), usage.headers);
      return;
    }
    if (req.method === "GET" && faultRate > 0 && random() < faultRate) {
      log.faults += 1;
      send(vssError(503, "VssServiceUnavailableException", "TF400898: An internal error occurred (emulated fault)."), usage.headers);
      return;
    }
    send(answer(req, url), usage.headers);
  };

  const server = createServer({ key: certificates.key, cert: certificates.cert }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify(vssError(500, "VssServiceException", (error as Error).message).body));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  return {
    url: origin,
    orgUrl: `${origin}/${org.name}`,
    caCertPath,
    ca: certificates.ca,
    requestLog: () => structuredClone(log),
    resetLog: () => {
      log = emptyLog();
    },
    setOrganisation: (next) => {
      org = next;
    },
    setFaultRate: (rate) => {
      faultRate = rate;
    },
    setFailing: (pattern) => {
      failing = pattern;
    },
    close: () =>
      (closed ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await done;
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}
