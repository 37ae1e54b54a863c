// Raw RESP access to redis-server, beside the bridge: MONITOR to see which commands really ran,
// and a busy script to make Redis slow on purpose.
import { connect, type Socket } from "node:net";

function encode(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** A MONITOR session: every command redis-server runs, as its log lines, until `stop()`. */
export interface Monitor {
  /** Command names (upper case) seen so far. */
  commands(): string[];
  /** The raw MONITOR lines seen so far. */
  lines(): string[];
  stop(): void;
}

/** Starts MONITOR on redis-server and resolves once it is active. */
export async function monitor(port: number): Promise<Monitor> {
  const socket = await open(port);
  let buffer = "";
  const names: string[] = [];
  const seen: string[] = [];
  await new Promise<void>((resolve) => {
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let nl: number;
      while ((nl = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (line === "+OK") resolve();
        // +1700000000.123456 [0 127.0.0.1:5555] "SCAN" "0" "MATCH" ...
        const name = /^\+\d+\.\d+ \[[^\]]*\] "([^"]+)"/.exec(line)?.[1];
        if (name !== undefined) {
          names.push(name.toUpperCase());
          seen.push(line);
        }
      }
    });
    socket.write(encode(["MONITOR"]));
  });
  return { commands: () => [...names], lines: () => [...seen], stop: () => socket.destroy() };
}

/**
 * Keeps redis-server busy in a Lua loop for `ms` (below its 5 s busy-reply threshold, so other
 * clients simply wait); resolves when the script has returned.
 */
export async function blockRedis(port: number, ms: number): Promise<{ done: Promise<void> }> {
  const socket = await open(port);
  const script = `local t = redis.call('TIME'); local start = t[1] * 1000000 + t[2]
    while true do local n = redis.call('TIME'); if n[1] * 1000000 + n[2] - start > ${ms * 1000} then break end end
    return 1`;
  const done = new Promise<void>((resolve) => {
    socket.once("data", () => {
      socket.destroy();
      resolve();
    });
  });
  socket.write(encode(["EVAL", script, "0"]));
  return { done };
}
