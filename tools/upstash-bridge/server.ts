import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { BadCommandError, parseCommand, parseCommandList, refusal } from "./commands.js";
import { isRedisUnavailableError } from "./errors.js";
import { RedisPool } from "./pool.js";
import { toUpstashOutcome, type UpstashOutcome } from "./result.js";

/** How to start the bridge: which redis-server to front and which bearer token to demand. */
export interface UpstashBridgeOptions {
  /** @default "127.0.0.1" */
  readonly redisHost?: string;
  readonly redisPort: number;
  /** The bearer token every request must carry (`Authorization: Bearer <token>`, or `?_token=`). */
  readonly token: string;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Larger request bodies get 400 "ERR max request size exceeded" (Upstash's own is 1 MB on small plans). @default 67108864 */
  readonly maxRequestBytes?: number;
  /** A request whose replies take longer fails with 504 and its redis connection is dropped. @default 15000 */
  readonly commandTimeoutMs?: number;
  /** Upper bound on redis connections, one per in-flight request; further requests wait for one. @default 8 */
  readonly maxConnections?: number;
}

/** Counters since start or the last resetStats(): HTTP requests, redis commands, requests per path. */
export interface UpstashBridgeStats {
  requests: number;
  commands: number;
  byPath: Record<string, number>;
}

/** A running bridge: an Upstash REST endpoint in front of a real redis-server. */
export interface UpstashBridge {
  /** `http://127.0.0.1:PORT`, to pass as the @upstash/redis `url`. */
  readonly url: string;
  readonly token: string;
  /** Round trips (every HTTP request, rejected ones included) and the commands they carried. */
  stats(): UpstashBridgeStats;
  resetStats(): void;
  /** Stops listening, drops open HTTP and redis connections. */
  close(): Promise<void>;
}

class RequestFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MULTI = [Buffer.from("MULTI")];
const EXEC = [Buffer.from("EXEC")];

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authorized(req: IncomingMessage, url: URL, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  const given = bearer ?? url.searchParams.get("_token");
  return given !== null && sameSecret(given, token);
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    // Keep draining past the limit so the keep-alive connection stays usable for the next request.
    if (size <= maxBytes) chunks.push(buf);
  }
  if (size > maxBytes) throw new RequestFailure(400, `ERR max request size exceeded. Limit: ${maxBytes} bytes`);
  return Buffer.concat(chunks, size);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new RequestFailure(400, "ERR request body is not valid JSON");
  }
}

/** Starts the bridge on 127.0.0.1 and resolves once it listens; redis-server is only dialled per request. */
export async function startUpstashBridge(opts: UpstashBridgeOptions): Promise<UpstashBridge> {
  const redisHost = opts.redisHost ?? "127.0.0.1";
  const maxRequestBytes = opts.maxRequestBytes ?? 64 * 1024 * 1024;
  const commandTimeoutMs = opts.commandTimeoutMs ?? 15_000;
  const pool = new RedisPool({ host: redisHost, port: opts.redisPort, maxConnections: opts.maxConnections });
  let stats: UpstashBridgeStats = { requests: 0, commands: 0, byPath: {} };

  async function single(command: Buffer[], base64: boolean): Promise<[number, UpstashOutcome]> {
    const refused = refusal(command);
    if (refused) return [400, { error: refused }];
    const [reply] = await pool.withConnection((c) => c.exchange([command], commandTimeoutMs));
    const outcome = toUpstashOutcome(reply ?? { kind: "nil" }, base64);
    return ["error" in outcome ? 400 : 200, outcome];
  }

  async function pipeline(commands: Buffer[][], base64: boolean): Promise<UpstashOutcome[]> {
    const refused = commands.map(refusal);
    const runnable = commands.filter((_, i) => refused[i] === undefined);
    const replies = await pool.withConnection((c) => c.exchange(runnable, commandTimeoutMs));
    let next = 0;
    return refused.map((error) => (error !== undefined ? { error } : toUpstashOutcome(replies[next++] ?? { kind: "nil" }, base64)));
  }

  async function multiExec(commands: Buffer[][], base64: boolean): Promise<[number, unknown]> {
    const refused = commands.map(refusal).find((e) => e !== undefined);
    if (refused) return [400, { error: refused }];
    // One exclusive connection for MULTI ... EXEC: nothing else can run between them.
    const replies = await pool.withConnection((c) => c.exchange([MULTI, ...commands, EXEC], commandTimeoutMs));
    const exec = replies[replies.length - 1];
    if (exec?.kind === "array") return [200, exec.items.map((item) => toUpstashOutcome(item, base64))];
    const queued = replies.slice(1, -1).find((r) => r.kind === "error");
    const why = [exec?.kind === "error" ? exec.message : "ERR transaction aborted", queued?.kind === "error" ? queued.message : undefined];
    return [400, { error: why.filter(Boolean).join(": ") }];
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://bridge");
    stats.requests++;
    stats.byPath[url.pathname] = (stats.byPath[url.pathname] ?? 0) + 1;
    try {
      if (!authorized(req, url, opts.token)) throw new RequestFailure(401, "WRONGPASS invalid or missing auth token");
      if (!["/", "/pipeline", "/multi-exec"].includes(url.pathname)) throw new RequestFailure(404, `ERR no such endpoint ${url.pathname}`);
      if (req.method !== "POST") throw new RequestFailure(405, `ERR method ${req.method ?? "?"} not allowed, use POST`);
      if (!/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "")) {
        throw new RequestFailure(400, "ERR content-type must be application/json");
      }
      const body = parseJson(await readBody(req, maxRequestBytes));
      const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
      if (url.pathname === "/") {
        const command = parseCommand(body);
        stats.commands++;
        const [status, outcome] = await single(command, base64);
        return send(res, status, outcome);
      }
      const commands = parseCommandList(body);
      stats.commands += commands.length;
      if (url.pathname === "/pipeline") return send(res, 200, await pipeline(commands, base64));
      const [status, outcome] = await multiExec(commands, base64);
      return send(res, status, outcome);
    } catch (err) {
      req.resume();
      if (err instanceof RequestFailure) return send(res, err.status, { error: err.message });
      if (err instanceof BadCommandError) return send(res, 400, { error: err.message });
      if (isRedisUnavailableError(err)) return send(res, err.reason === "timeout" ? 504 : 503, { error: `ERR bridge: ${err.message}` });
      return send(res, 500, { error: `ERR bridge: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: `ERR bridge: ${String(err)}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token: opts.token,
    stats: () => ({ requests: stats.requests, commands: stats.commands, byPath: { ...stats.byPath } }),
    resetStats: () => {
      stats = { requests: 0, commands: 0, byPath: {} };
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await pool.close();
      await closed;
    },
  };
}
