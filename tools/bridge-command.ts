import { randomBytes } from "node:crypto";

import { z } from "zod";

import { type CommandIo, processCommandIo } from "./command-io.js";
import { parseCommandFlags } from "./flags.js";
import { startUpstashBridge, type UpstashBridge } from "./upstash-bridge/server.js";

/** Usage of `topdeck bridge` (docs/interfaces.md section 2). */
export const bridgeUsage = `Usage: topdeck bridge --redis redis://HOST:PORT [--port 0] [--token T]

Serves the Upstash REST protocol on 127.0.0.1 over a real redis-server, for a persistent local
store. When ready, prints one JSON line {"url":"http://127.0.0.1:PORT","token":"…"} and serves
until SIGINT or SIGTERM. Give the two to topdeck discover and topdeck serve as
UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN, and they share snapshots.

  --redis URL   the redis-server to front, redis://HOST:PORT (required; port 6379 if left out)
  --port N      TCP port on 127.0.0.1 (default 0: a free port)
  --token T     the bearer token clients must send (default: a random one, printed)
`;

const redisUrl = z.string({ error: "URL is required (redis://HOST:PORT)" }).transform((s, ctx) => {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be redis://HOST:PORT" });
    return z.NEVER;
  }
  if (url.protocol !== "redis:" || url.hostname === "" || url.username !== "" || url.password !== "" || !["", "/"].includes(url.pathname)) {
    ctx.addIssue({ code: "custom", message: "must be redis://HOST:PORT (no user, password or database)" });
    return z.NEVER;
  }
  // WHATWG URLs keep IPv6 hosts in brackets; the socket wants them bare.
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: url.port === "" ? 6379 : Number(url.port) };
});

const flagsSchema = z.object({
  redis: redisUrl,
  port: z
    .string()
    .regex(/^\d{1,5}$/, "must be an integer from 0 to 65535")
    .transform(Number)
    .refine((n) => n <= 65535, "must be an integer from 0 to 65535")
    .default(0),
  token: z.string().min(1, "must not be empty").optional(),
});

/** Whether redis-server answers PING through the bridge (so a wrong --redis fails at start). */
async function reachesRedis(bridge: UpstashBridge): Promise<string | undefined> {
  try {
    const response = await fetch(bridge.url, {
      method: "POST",
      headers: { authorization: `Bearer ${bridge.token}`, "content-type": "application/json" },
      body: JSON.stringify(["PING"]),
    });
    const body = (await response.json()) as { result?: unknown; error?: unknown };
    if (body.result === "PONG") return undefined;
    return typeof body.error === "string" ? body.error : `HTTP ${response.status}`;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * `topdeck bridge`: the Upstash REST protocol on 127.0.0.1 over a redis-server, until SIGINT or
 * SIGTERM. Prints one JSON line with the URL and token when ready.
 * @returns 0 after a clean stop, 2 for bad flags, a port that cannot be had, or a redis-server
 *   that does not answer.
 */
export async function bridgeCommand(args: string[], io: CommandIo = processCommandIo): Promise<number> {
  const flags = parseCommandFlags(args, { redis: { type: "string" }, port: { type: "string" }, token: { type: "string" } }, flagsSchema);
  if (typeof flags === "string") {
    io.stderr(`topdeck bridge: ${flags}\n\n${bridgeUsage}`);
    return 2;
  }
  if ("help" in flags) {
    io.stdout(bridgeUsage);
    return 0;
  }
  const token = flags.token ?? randomBytes(24).toString("base64url");
  let bridge: UpstashBridge;
  try {
    bridge = await startUpstashBridge({ redisHost: flags.redis.host, redisPort: flags.redis.port, token, port: flags.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EADDRINUSE" && code !== "EACCES") throw error;
    io.stderr(`topdeck bridge: --port ${flags.port}: ${(error as Error).message}\n`);
    return 2;
  }
  const unreachable = await reachesRedis(bridge);
  if (unreachable !== undefined) {
    await bridge.close();
    io.stderr(`topdeck bridge: --redis redis://${flags.redis.host}:${flags.redis.port}: redis-server does not answer (${unreachable})\n`);
    return 2;
  }
  io.stdout(`${JSON.stringify({ url: bridge.url, token: bridge.token })}\n`);
  io.stderr(`Upstash REST bridge at ${bridge.url} over redis://${flags.redis.host}:${flags.redis.port} (Ctrl+C to stop)\n`);
  await io.waitForStop();
  await bridge.close();
  return 0;
}
