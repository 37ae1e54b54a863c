// Reading commands out of Upstash request bodies: JSON arrays of strings and numbers.

/** A request body that is not a command (or list of commands); answered with HTTP 400. */
export class BadCommandError extends Error {
  override readonly name = "BadCommandError";
  readonly code = "BAD_COMMAND";
}

// Commands that change or depend on connection state. Connections are pooled across requests, so
// these would leak into the next request (or, like HELLO 3 and CLIENT REPLY OFF, break the protocol).
const CONNECTION_STATE = new Set([
  "AUTH",
  "DISCARD",
  "EXEC",
  "HELLO",
  "MONITOR",
  "MULTI",
  "PSUBSCRIBE",
  "PSYNC",
  "PUNSUBSCRIBE",
  "QUIT",
  "REPLCONF",
  "RESET",
  "SELECT",
  "SSUBSCRIBE",
  "SUBSCRIBE",
  "SUNSUBSCRIBE",
  "SYNC",
  "UNSUBSCRIBE",
  "UNWATCH",
  "WATCH",
]);
const CONNECTION_STATE_CLIENT = new Set(["REPLY", "TRACKING", "CACHING"]);

// Numbers become their decimal text and booleans "true"/"false", as redis-cli would send them;
// strings are sent as their UTF-8 bytes, which is all JSON can carry.
function toArgument(value: unknown, where: string): Buffer {
  switch (typeof value) {
    case "string":
      return Buffer.from(value, "utf8");
    case "number":
    case "boolean":
      return Buffer.from(String(value), "utf8");
    default:
      throw new BadCommandError(`ERR ${where} must be a string or a number, got ${value === null ? "null" : typeof value}`);
  }
}

/** Parses one command (`["SET", "k", "v"]`) into its arguments as bytes. @throws BadCommandError */
export function parseCommand(value: unknown, where = "command"): Buffer[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadCommandError(`ERR ${where} must be a non-empty JSON array like ["GET","key"]`);
  }
  return value.map((arg, i) => toArgument(arg, `${where} argument ${i}`));
}

/** Parses a pipeline or transaction body (`[["SET","k","v"],["GET","k"]]`). @throws BadCommandError */
export function parseCommandList(value: unknown): Buffer[][] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadCommandError('ERR body must be a non-empty JSON array of commands like [["GET","key"]]');
  }
  return value.map((command, i) => parseCommand(command, `command ${i}`));
}

/** The error message for a command the bridge refuses because it would outlive its request, if it is one. */
export function refusal(command: readonly Buffer[]): string | undefined {
  const name = command[0]?.toString("utf8").toUpperCase() ?? "";
  const sub = command[1]?.toString("utf8").toUpperCase() ?? "";
  if (CONNECTION_STATE.has(name) || (name === "CLIENT" && CONNECTION_STATE_CLIENT.has(sub))) {
    const what = name === "CLIENT" ? `CLIENT ${sub}` : name;
    return `ERR ${what} is not supported over REST (connection state does not survive a request)`;
  }
  return undefined;
}
