import type { RedisScriptRunner } from "../../../../lib/resilience/rate-limit/shared-rate-limiter.js";
import { TOKEN_BUCKET_SCRIPT } from "../../../../lib/resilience/rate-limit/token-bucket-script.js";

/**
 * A small fake of the one command the shared limiter sends: it checks the script and arguments and
 * answers as the Lua script does (the integration test runs the real script against redis-server).
 */
export class FakeRedis implements RedisScriptRunner {
  readonly calls: { keys: string[]; args: unknown[] }[] = [];
  readonly buckets = new Map<string, { tokens: number; ts: number }>();
  /** Set to make the next calls fail or hang. */
  behaviour: "ok" | "error" | "hang" | "garbage" = "ok";

  async eval(script: string, keys: string[], args: unknown[]): Promise<unknown> {
    this.calls.push({ keys, args });
    if (script !== TOKEN_BUCKET_SCRIPT) throw new Error("unexpected script");
    if (this.behaviour === "error") throw new Error("ECONNREFUSED 127.0.0.1:6379");
    if (this.behaviour === "hang") return new Promise(() => undefined);
    if (this.behaviour === "garbage") return "OK";
    if (!args.every((a) => typeof a === "string")) throw new Error("arguments must be strings");
    const [capacity, perSecond, cost, now] = args.slice(0, 4).map(Number) as [number, number, number, number];
    const ceiling = args[4] as string;
    const key = keys[0] ?? "";
    const perMs = perSecond / 1000;
    let { tokens, ts } = this.buckets.get(key) ?? { tokens: capacity, ts: now };
    if (now > ts) {
      tokens = Math.min(capacity, tokens + (now - ts) * perMs);
      ts = now;
    }
    if (ceiling !== "") tokens = Math.min(tokens, Number(ceiling));
    let granted = 0;
    let waitMs = 0;
    if (cost <= tokens) {
      tokens = Math.min(capacity, tokens - cost);
      granted = 1;
    } else waitMs = Math.ceil((cost - tokens) / perMs);
    this.buckets.set(key, { tokens, ts });
    return [granted, Math.floor(Math.max(tokens, 0)), waitMs, Math.ceil((capacity - tokens) / perMs)];
  }
}
