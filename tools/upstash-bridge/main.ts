// Runs the Upstash REST bridge in front of a redis-server:
//   npx tsx tools/upstash-bridge/main.ts --redis 127.0.0.1:6379 --token T [--port 0]
// Prints one JSON line {"url": ..., "token": ...} once it listens; SIGINT or SIGTERM stops it.
import { parseArgs } from "node:util";

import { startUpstashBridge } from "./server.js";

function fail(message: string): never {
  process.stderr.write(`upstash-bridge: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    redis: { type: "string", default: "127.0.0.1:6379" },
    token: { type: "string" },
    port: { type: "string", default: "0" },
  },
});

const redis = /^(.+):(\d+)$/.exec(values.redis);
if (!redis?.[1] || !redis[2]) fail(`--redis must be HOST:PORT, got ${JSON.stringify(values.redis)}`);
if (!values.token) fail("--token is required (the bearer token clients must send)");
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`);

const bridge = await startUpstashBridge({ redisHost: redis[1], redisPort: Number(redis[2]), token: values.token, port });
process.stdout.write(`${JSON.stringify({ url: bridge.url, token: bridge.token })}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    bridge.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
