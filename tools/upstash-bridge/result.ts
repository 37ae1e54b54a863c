import type { RespReply } from "./resp.js";

/** A command's outcome as Upstash writes it in a response body. */
export type UpstashOutcome = { result: unknown } | { error: string };

/**
 * Converts a reply to Upstash's JSON shape. With `base64`, every string is base64 of its bytes
 * except the status reply "OK" (as Upstash does); without it, bytes are read as UTF-8 and invalid
 * sequences become U+FFFD. Integers stay numbers, nil is null, arrays nest.
 */
export function toUpstashJson(reply: RespReply, base64: boolean): unknown {
  switch (reply.kind) {
    case "simple":
      return base64 && reply.value !== "OK" ? Buffer.from(reply.value, "utf8").toString("base64") : reply.value;
    case "bulk":
      return reply.value.toString(base64 ? "base64" : "utf8");
    case "integer":
      return reply.value;
    case "nil":
      return null;
    case "error":
      // Only reachable nested in an array (a Lua table holding an error): a string is all RESP2 JSON has.
      return base64 ? Buffer.from(reply.message, "utf8").toString("base64") : reply.message;
    case "array":
      return reply.items.map((item) => toUpstashJson(item, base64));
  }
}

/** A top-level reply as `{error}` when redis refused the command, `{result}` otherwise. */
export function toUpstashOutcome(reply: RespReply, base64: boolean): UpstashOutcome {
  return reply.kind === "error" ? { error: reply.message } : { result: toUpstashJson(reply, base64) };
}
