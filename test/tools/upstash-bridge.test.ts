// Conformance of the Upstash REST bridge: the real @upstash/redis client against a real redis-server.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startUpstashBridge } from "../../tools/upstash-bridge/server.js";
import { startRedisServer, startUpstashStack, type UpstashStack } from "../support/redis.js";

interface RawOptions {
  path?: string;
  token?: string;
  base64?: boolean;
  contentType?: string | null;
  method?: string;
  body?: string;
}

/** POSTs straight to the bridge, to check the wire format the client hides. */
async function raw(stack: { url: string; token: string }, command: unknown, opts: RawOptions = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token ?? stack.token}` };
  if (opts.contentType !== null) headers["content-type"] = opts.contentType ?? "application/json";
  if (opts.base64 ?? true) headers["upstash-encoding"] = "base64";
  const res = await fetch(`${stack.url}${opts.path ?? "/"}`, {
    method: opts.method ?? "POST",
    headers,
    body: opts.method === "GET" ? undefined : (opts.body ?? JSON.stringify(command)),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as unknown };
}

const b64 = (s: string | Buffer): string => Buffer.from(s).toString("base64");

describe("Upstash REST bridge with the real @upstash/redis client", () => {
  let stack: UpstashStack;
  let redis: Redis;

  beforeAll(async () => {
    stack = await startUpstashStack();
    redis = stack.client();
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(async () => {
    await redis.flushdb();
  });

  describe("values", () => {
    it("round-trips strings, including ones that are valid base64 text and the empty string", async () => {
      expect(await redis.set("s:plain", "hello world")).toBe("OK");
      await redis.set("s:b64like", "abcd");
      await redis.set("s:empty", "");
      // "abcd" would come back as garbage if the bridge skipped base64 while the client decodes it.
      expect(await redis.get("s:plain")).toBe("hello world");
      expect(await redis.get("s:b64like")).toBe("abcd");
      expect(await redis.get("s:empty")).toBe("");
      expect(await redis.exists("s:empty")).toBe(1);
      expect(await raw(stack, ["GET", "s:b64like"])).toEqual({ status: 200, body: { result: "YWJjZA==" } });
    });

    it("answers integers as JSON numbers", async () => {
      expect(await redis.incr("n")).toBe(1);
      expect(await redis.incrby("n", 41)).toBe(42);
      expect(await redis.decr("n")).toBe(41);
      expect(await redis.get("n")).toBe(41);
      expect(await raw(stack, ["INCRBY", "n", 1])).toEqual({ status: 200, body: { result: 42 } });
      expect(await raw(stack, ["DECRBY", "n", "100"])).toEqual({ status: 200, body: { result: -58 } });
    });

    it("answers nil as null, distinct from an empty string and an empty array", async () => {
      await redis.set("present", "v");
      expect(await redis.get("missing")).toBeNull();
      expect(await redis.mget("present", "missing")).toEqual(["v", null]);
      expect(await redis.hget("missing-hash", "f")).toBeNull();
      expect(await redis.set("present", "other", { nx: true })).toBeNull();
      expect(await raw(stack, ["GET", "missing"])).toEqual({ status: 200, body: { result: null } });
      expect(await raw(stack, ["MGET", "present", "missing"])).toEqual({ status: 200, body: { result: [b64("v"), null] } });
      expect(await raw(stack, ["HGETALL", "missing-hash"])).toEqual({ status: 200, body: { result: [] } });
    });

    it("stores JSON values as the client serialises them and returns them deserialised", async () => {
      const doc = { name: "web-1", tags: ["a", "b"], nested: { ok: true, none: null, n: 1.5, text: "é ✓" } };
      await redis.set("doc", doc);
      await redis.set("num", 3.25);
      await redis.set("flag", true);
      expect(await redis.get("doc")).toEqual(doc);
      expect(await redis.get("num")).toBe(3.25);
      expect(await redis.get("flag")).toBe(true);
      expect(await raw(stack, ["GET", "doc"], { base64: false })).toEqual({ status: 200, body: { result: JSON.stringify(doc) } });
    });

    it("honours SET with EX and PX, and reports TTLs", async () => {
      await redis.set("ex", "v", { ex: 100 });
      await redis.set("px", "v", { px: 1500 });
      await redis.set("short", "v", { px: 20 });
      await redis.set("forever", "v");
      const ttl = await redis.ttl("ex");
      expect(ttl).toBeGreaterThanOrEqual(99);
      expect(ttl).toBeLessThanOrEqual(100);
      const pttl = await redis.pttl("px");
      expect(pttl).toBeGreaterThan(500);
      expect(pttl).toBeLessThanOrEqual(1500);
      expect(await redis.ttl("forever")).toBe(-1);
      expect(await redis.ttl("missing")).toBe(-2);
      await new Promise((r) => setTimeout(r, 40));
      expect(await redis.get("short")).toBeNull();
    });

    it("returns SCAN's nested array, honouring MATCH across cursor pages", async () => {
      const wanted = Array.from({ length: 25 }, (_, i) => `scan:item:${i}`);
      await redis.mset(Object.fromEntries([...wanted, "other:1", "other:2"].map((k) => [k, "v"])));
      const seen = new Set<string>();
      let cursor: string | number = "0";
      let pages = 0;
      do {
        const [next, keys]: [string | number, string[]] = await redis.scan(cursor, { match: "scan:item:*", count: 5 });
        keys.forEach((k) => seen.add(k));
        cursor = next;
        pages++;
      } while (String(cursor) !== "0" && pages < 100);
      expect(pages).toBeGreaterThan(1);
      expect([...seen].sort()).toEqual([...wanted].sort());
      const one = await raw(stack, ["SCAN", "0", "MATCH", "scan:item:7", "COUNT", "1000"]);
      expect(one).toEqual({ status: 200, body: { result: [b64("0"), [b64("scan:item:7")]] } });
    });

    it("writes hashes with HSET and reads them back with HGETALL", async () => {
      expect(await redis.hset("h", { name: "topdeck", count: 3, tags: ["a", "b"] })).toBe(3);
      expect(await redis.hget("h", "name")).toBe("topdeck");
      expect(await redis.hgetall("h")).toEqual({ name: "topdeck", count: 3, tags: ["a", "b"] });
      expect(await redis.hgetall("no-such-hash")).toBeNull();
    });
  });

  describe("errors", () => {
    it("surfaces a command error from the client and as HTTP 400 with {error}", async () => {
      await redis.set("text", "not a number");
      await expect(redis.incr("text")).rejects.toThrow(/ERR value is not an integer or out of range/);
      await expect(redis.hset("text", { f: "v" })).rejects.toThrow(/WRONGTYPE/);
      expect(await raw(stack, ["INCR", "text"])).toEqual({
        status: 400,
        body: { error: "ERR value is not an integer or out of range" },
      });
      const unknown = await raw(stack, ["NOSUCHCOMMAND", "x"]);
      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual({ error: expect.stringMatching(/^ERR unknown command/) });
    });

    it("runs the rest of a pipeline when one command fails, and the client reports the failure", async () => {
      await redis.set("text", "x");
      const p = redis.pipeline();
      p.set("a", 1);
      p.incr("text");
      p.incr("a");
      p.get("a");
      const kept = await p.exec({ keepErrors: true });
      expect(kept.map((r) => r.result)).toEqual(["OK", undefined, 2, 2]);
      expect(kept.map((r) => r.error)).toEqual([undefined, "ERR value is not an integer or out of range", undefined, undefined]);

      const failing = redis.pipeline();
      failing.set("b", "1");
      failing.incr("text");
      await expect(failing.exec()).rejects.toThrow(/Command 2 \[ incr \] failed: ERR value is not an integer/);
      expect(await redis.get("b")).toBe(1);

      // Auto-pipelined: awaited together, one HTTP request, one rejection.
      const [bad, good] = await Promise.allSettled([redis.incr("text"), redis.set("c", "ok")]);
      expect(bad).toMatchObject({ status: "rejected", reason: { message: expect.stringMatching(/ERR value is not an integer/) } });
      expect(good).toEqual({ status: "fulfilled", value: "OK" });

      const wire = await raw(
        stack,
        [
          ["SET", "d", "1"],
          ["INCR", "text"],
          ["GET", "d"],
        ],
        { path: "/pipeline" },
      );
      expect(wire).toEqual({
        status: 200,
        body: [{ result: "OK" }, { error: "ERR value is not an integer or out of range" }, { result: b64("1") }],
      });
    });
  });

  describe("multi-exec", () => {
    it("runs a transaction and returns each result", async () => {
      expect(await redis.multi().set("k", "1").incr("k").get("k").exec()).toEqual(["OK", 2, 2]);
    });

    it("keeps runtime errors per command, as redis does inside EXEC", async () => {
      await redis.set("text", "x");
      const kept = await redis.multi().set("t1", "a").incr("text").set("t2", "b").exec({ keepErrors: true });
      expect(kept.map((r) => r.error)).toEqual([undefined, "ERR value is not an integer or out of range", undefined]);
      expect(await redis.mget("t1", "t2")).toEqual(["a", "b"]);
    });

    it("discards the whole transaction when a command is rejected at queue time", async () => {
      const res = await raw(stack, [["SET", "k", "1"], ["NOSUCHCOMMAND"]], { path: "/multi-exec" });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: expect.stringMatching(/^EXECABORT.*unknown command/) });
      expect(await redis.get("k")).toBeNull();
    });

    it("is atomic: no other request sees the state between its commands", async () => {
      // Outside MULTI, XREAD BLOCK would hold redis on this request for 300 ms between the two SETs
      // and a reader would see "before"; inside MULTI it returns nil at once and EXEC applies both.
      const started = Date.now();
      const tx = redis.multi().set("window", "before").xread("no-stream", "0-0", { blockMS: 300 }).set("window", "after").exec();
      const reader = stack.client({ enableAutoPipelining: false });
      let seen: unknown = null;
      while (seen === null && Date.now() - started < 5000) seen = await reader.get("window");
      expect(seen).toBe("after");
      expect(await tx).toEqual(["OK", null, "OK"]);
    });

    it("keeps concurrent transactions apart", async () => {
      const pad = "p".repeat(1024);
      const lists = await Promise.all(
        Array.from({ length: 6 }, (_, id) => {
          const tx = redis.multi().del("shared");
          for (let i = 0; i < 40; i++) tx.rpush("shared", `${id}:${i}:${pad}`);
          return tx.lrange("shared", 0, -1).exec();
        }),
      );
      lists.forEach((results, id) => {
        const list = results[results.length - 1] as string[];
        expect(list).toHaveLength(40);
        expect(list.every((v) => v.startsWith(`${id}:`))).toBe(true);
      });
    });
  });

  describe("EVAL", () => {
    const releaseLock = `
      if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
      return 0`;
    const takeToken = `
      local tokens = tonumber(redis.call("GET", KEYS[1]) or ARGV[1])
      if tokens > 0 then
        redis.call("SET", KEYS[1], tokens - 1, "PX", ARGV[2])
        return {1, tokens - 1}
      end
      return {0, 0}`;

    it("passes KEYS and ARGV: compare-and-delete releases only the owner's lock", async () => {
      await redis.set("lock", "owner-1");
      expect(await redis.eval(releaseLock, ["lock"], ["owner-2"])).toBe(0);
      expect(await redis.get("lock")).toBe("owner-1");
      expect(await redis.eval(releaseLock, ["lock"], ["owner-1"])).toBe(1);
      expect(await redis.get("lock")).toBeNull();
    });

    it("returns Lua tables as arrays: a token bucket", async () => {
      const take = () => redis.eval(takeToken, ["bucket"], [2, 60_000]);
      expect(await take()).toEqual([1, 1]);
      expect(await take()).toEqual([1, 0]);
      expect(await take()).toEqual([0, 0]);
      expect(await redis.eval("return {KEYS[1], ARGV[1], false, string.len(ARGV[1])}", ["k:é"], ["é😀"])).toEqual(["k:é", "é😀", null, 6]);
    });

    it("passes NOSCRIPT through, so scripts fall back from EVALSHA to EVAL", async () => {
      await redis.scriptFlush();
      await expect(redis.evalsha("0".repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);
      const script = redis.createScript<number>(releaseLock);
      await redis.set("lock", "me");
      expect(await script.exec(["lock"], ["me"])).toBe(1);
      await expect(redis.eval('return redis.error_reply("ERR boom")', [], [])).rejects.toThrow(/ERR boom/);
    });
  });

  describe("binary safety and size", () => {
    it("keeps NUL, RESP framing characters and non-BMP unicode intact, as UTF-8", async () => {
      const values = {
        nul: "a\u0000b\u0000c",
        framing: "line1\r\n*3\r\n$3\r\nSET\r\n+OK\r\n-ERR no\r\n",
        unicode: "𝄞 music, 😀 and 中文, é",
      };
      for (const [key, value] of Object.entries(values)) {
        await redis.set(key, value);
        expect(await redis.get(key)).toBe(value);
        expect(await redis.strlen(key)).toBe(Buffer.byteLength(value, "utf8"));
      }
      await redis.set("ключ:😀", "v");
      expect(await redis.keys("ключ:*")).toEqual(["ключ:😀"]);
    });

    it("returns bytes that are not valid UTF-8 exactly in base64 (and as U+FFFD without it)", async () => {
      const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0xc3]);
      await redis.eval('redis.call("SET", KEYS[1], ARGV[1] .. string.char(0, 255, 254, 128, 10, 195))', ["bin"], ["x"]);
      const encoded = await raw(stack, ["GET", "bin"]);
      expect(encoded.status).toBe(200);
      expect(Buffer.from((encoded.body as { result: string }).result, "base64")).toEqual(Buffer.concat([Buffer.from("x"), bytes]));
      const plain = await raw(stack, ["GET", "bin"], { base64: false });
      expect(plain.body).toEqual({ result: "x\u0000\uFFFD\uFFFD\uFFFD\n\uFFFD" });
      expect(await raw(stack, ["EVAL", "return string.char(255, 0, 128)", "0"])).toEqual({ status: 200, body: { result: "/wCA" } });
    });

    it("stores a Uint8Array as the client serialises it (JSON), byte for byte", async () => {
      // @upstash/redis has no binary argument path: it JSON-stringifies objects, typed arrays included.
      await redis.set("u8", new Uint8Array([0, 255]));
      expect(await raw(stack, ["GET", "u8"], { base64: false })).toEqual({ status: 200, body: { result: '{"0":0,"1":255}' } });
    });

    it("round-trips a 2 MB value", async () => {
      const value = "0123456789abcdef ✓ 😀 ".repeat(80_000);
      expect(Buffer.byteLength(value)).toBeGreaterThan(2_000_000);
      await redis.set("big", value);
      expect(await redis.strlen("big")).toBe(Buffer.byteLength(value));
      const back = await redis.get<string>("big");
      expect(back?.length).toBe(value.length);
      expect(back === value).toBe(true);
    });

    it("rejects a body over maxRequestBytes with Upstash's error", async () => {
      const small = await startUpstashBridge({ redisPort: stack.redis.port, token: "t", maxRequestBytes: 1_048_576 });
      try {
        const client = new Redis({ url: small.url, token: "t", enableTelemetry: false });
        await expect(client.set("big", "x".repeat(1_100_000))).rejects.toThrow(/ERR max request size exceeded/);
        expect(await client.set("fits", "x".repeat(1_000_000))).toBe("OK");
        expect(await client.strlen("fits")).toBe(1_000_000);
      } finally {
        await small.close();
      }
    });
  });

  describe("HTTP contract", () => {
    it("answers 401 with {error} for a wrong or missing token", async () => {
      const wrong = await raw(stack, ["PING"], { token: "wrong" });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ error: expect.any(String) });
      const res = await fetch(stack.url, { method: "POST", headers: { "content-type": "application/json" }, body: '["PING"]' });
      expect(res.status).toBe(401);
      const client = new Redis({ url: stack.url, token: "wrong", enableTelemetry: false });
      await expect(client.get("k")).rejects.toThrow(/WRONGPASS/);
      const viaQuery = await fetch(`${stack.url}/?_token=${stack.token}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '["PING"]',
      });
      expect(await viaQuery.json()).toEqual({ result: "PONG" });
    });

    it("answers 400 for a body that is not JSON, the wrong content-type, or not a command", async () => {
      const notJson = await raw(stack, undefined, { body: "SET k v" });
      expect(notJson).toEqual({ status: 400, body: { error: expect.stringMatching(/not valid JSON/) } });
      const wrongType = await raw(stack, ["PING"], { contentType: "text/plain" });
      expect(wrongType).toEqual({ status: 400, body: { error: expect.stringMatching(/content-type/) } });
      expect((await raw(stack, ["PING"], { contentType: null })).status).toBe(400);
      for (const body of [{}, [], [["GET", "k"]], ["GET", null], ["SET", "k", { v: 1 }]]) {
        const res = await raw(stack, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body).toEqual({ error: expect.stringMatching(/^ERR /) });
      }
      for (const body of [[], ["GET", "k"], [["GET", "k"], "x"]]) {
        expect((await raw(stack, body, { path: "/pipeline" })).status, JSON.stringify(body)).toBe(400);
      }
      expect((await raw(stack, ["PING"], { path: "/nowhere" })).status).toBe(404);
      expect((await raw(stack, undefined, { method: "GET" })).status).toBe(405);
    });

    it("refuses commands that would leave state on a pooled connection", async () => {
      expect(await raw(stack, ["MULTI"])).toEqual({ status: 400, body: { error: expect.stringMatching(/MULTI is not supported/) } });
      const piped = await raw(
        stack,
        [
          ["SELECT", "1"],
          ["SET", "k", "v"],
        ],
        { path: "/pipeline" },
      );
      expect(piped).toEqual({ status: 200, body: [{ error: expect.stringMatching(/SELECT is not supported/) }, { result: "OK" }] });
      expect(
        (
          await raw(
            stack,
            [
              ["SET", "k", "v"],
              ["WATCH", "k"],
            ],
            { path: "/multi-exec" },
          )
        ).status,
      ).toBe(400);
      expect(await redis.get("k")).toBe("v");
    });

    it("base64-encodes every string but the status OK only when asked to", async () => {
      await redis.set("k", "abcd");
      expect((await raw(stack, ["SET", "k", "abcd"])).body).toEqual({ result: "OK" });
      expect((await raw(stack, ["PING"])).body).toEqual({ result: b64("PONG") });
      expect((await raw(stack, ["TYPE", "k"])).body).toEqual({ result: b64("string") });
      expect((await raw(stack, ["PING"], { base64: false })).body).toEqual({ result: "PONG" });
      expect((await raw(stack, ["GET", "k"], { base64: false })).body).toEqual({ result: "abcd" });
      const plainClient = stack.client({ responseEncoding: false });
      await plainClient.set("p", "abcd ✓");
      expect(await plainClient.get("p")).toBe("abcd ✓");
    });
  });

  describe("stats", () => {
    it("counts round trips: commands awaited together are one request", async () => {
      await redis.mset({ a: "1", b: "2", c: "3" });
      stack.bridge.resetStats();
      expect(stack.bridge.stats()).toEqual({ requests: 0, commands: 0, byPath: {} });

      expect(await Promise.all([redis.get("a"), redis.get("b"), redis.get("c")])).toEqual([1, 2, 3]);
      expect(stack.bridge.stats()).toEqual({ requests: 1, commands: 3, byPath: { "/pipeline": 1 } });

      const unpipelined = stack.client({ enableAutoPipelining: false });
      await Promise.all([unpipelined.get("a"), unpipelined.get("b"), unpipelined.get("c")]);
      await redis.multi().get("a").get("b").exec();
      expect(stack.bridge.stats()).toEqual({ requests: 5, commands: 8, byPath: { "/pipeline": 1, "/": 3, "/multi-exec": 1 } });
    });
  });
});

describe("Upstash REST bridge when redis-server goes away", () => {
  let stack: UpstashStack;

  beforeAll(async () => {
    stack = await startUpstashStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("answers 503 promptly while redis is down and serves again once it is back", async () => {
    const redis = stack.client({ retry: { retries: 0 } });
    await redis.set("k", "v");
    await stack.redis.kill();

    const started = Date.now();
    const down = await raw(stack, ["GET", "k"]);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ error: expect.stringMatching(/redis/) });
    await expect(redis.get("k")).rejects.toThrow(/redis/);
    expect(Date.now() - started).toBeLessThan(2000);

    await stack.redis.restart();
    expect(await redis.get("k")).toBeNull(); // a fresh server without persistence
    expect(await redis.set("k", "again")).toBe("OK");
    expect(await redis.get("k")).toBe("again");
  });

  it("does not fail requests on connections left stale by a restart", async () => {
    // Four concurrent blocking calls leave four idle pooled connections behind.
    await Promise.all(Array.from({ length: 4 }, () => raw(stack, ["BLPOP", "none", "0.05"])));
    await stack.redis.kill();
    await stack.redis.restart();
    const after = await Promise.all(Array.from({ length: 4 }, (_, i) => raw(stack, ["SET", `k${i}`, "v"])));
    expect(after).toEqual(Array.from({ length: 4 }, () => ({ status: 200, body: { result: "OK" } })));
  });

  it("fails an in-flight request at once when redis dies under it", async () => {
    const pending = raw(stack, ["BLPOP", "never", "10"]);
    await new Promise((r) => setTimeout(r, 50));
    const killedAt = Date.now();
    await stack.redis.kill();
    const res = await pending;
    expect(res.status).toBe(503);
    expect(Date.now() - killedAt).toBeLessThan(2000);
    await stack.redis.restart();
    expect((await raw(stack, ["PING"], { base64: false })).body).toEqual({ result: "PONG" });
  });

  it("answers 504 when redis does not reply within commandTimeoutMs, then carries on", async () => {
    const impatient = await startUpstashBridge({ redisPort: stack.redis.port, token: "t", commandTimeoutMs: 100 });
    try {
      const started = Date.now();
      const res = await raw({ url: impatient.url, token: "t" }, ["BLPOP", "never", "5"]);
      expect(res.status).toBe(504);
      expect(Date.now() - started).toBeLessThan(2000);
      expect((await raw({ url: impatient.url, token: "t" }, ["PING"], { base64: false })).body).toEqual({ result: "PONG" });
      // The connection that timed out was dropped, so redis no longer holds a client blocked in BLPOP.
      let clients = "";
      for (let i = 0; i < 40; i++) {
        const list = await raw(stack, ["CLIENT", "LIST"], { base64: false });
        clients = (list.body as { result: string }).result;
        if (!clients.includes("cmd=blpop")) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(clients).not.toContain("cmd=blpop");
    } finally {
      await impatient.close();
    }
  });
});

describe("test support and entry point", () => {
  it("stop() leaves nothing listening", async () => {
    const stack = await startUpstashStack();
    const { port } = stack.redis;
    await stack.stop();
    await stack.stop();
    const socket = connect({ host: "127.0.0.1", port });
    const [err] = (await once(socket, "error")) as [NodeJS.ErrnoException];
    expect(err.code).toBe("ECONNREFUSED");
    await expect(fetch(stack.url, { method: "POST" })).rejects.toThrow();
  });

  it("says how to install redis-server when it is missing", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await expect(startRedisServer()).rejects.toThrow(
        "redis-server not found: run `npm run test:setup` (installs it with apt-get) or `apt-get install redis-server`",
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it("main.ts prints {url, token} once ready and serves the client", async () => {
    const redisServer = await startRedisServer();
    const main = fileURLToPath(new URL("../../tools/upstash-bridge/main.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", main, "--redis", `127.0.0.1:${redisServer.port}`, "--token", "cli-token"], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const exited = once(child, "exit") as Promise<[number | null]>;
      const first = await Promise.race([once(lines, "line") as Promise<[string]>, exited.then(() => undefined)]);
      if (!first) throw new Error("main.ts exited before printing its address");
      const [line] = first;
      const ready = JSON.parse(line) as { url: string; token: string };
      expect(ready).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), token: "cli-token" });
      const client = new Redis({ url: ready.url, token: ready.token, enableTelemetry: false });
      await client.set("k", "from-cli");
      expect(await client.get("k")).toBe("from-cli");
      child.kill("SIGTERM");
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      child.kill("SIGKILL");
      await redisServer.stop();
    }
  });
});
