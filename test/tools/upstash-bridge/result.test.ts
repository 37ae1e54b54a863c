import { describe, expect, it } from "vitest";

import type { RespReply } from "../../../tools/upstash-bridge/resp.js";
import { toUpstashJson, toUpstashOutcome } from "../../../tools/upstash-bridge/result.js";

const bulk = (bytes: string | Buffer): RespReply => ({ kind: "bulk", value: Buffer.from(bytes) });

describe("toUpstashJson", () => {
  it("base64-encodes bulk and status strings except OK, keeps integers and null, nests arrays", () => {
    const scan: RespReply = { kind: "array", items: [bulk("0"), { kind: "array", items: [bulk("a"), { kind: "nil" }] }] };
    expect(toUpstashJson(scan, true)).toEqual(["MA==", ["YQ==", null]]);
    expect(toUpstashJson({ kind: "simple", value: "OK" }, true)).toBe("OK");
    expect(toUpstashJson({ kind: "simple", value: "PONG" }, true)).toBe("UE9ORw==");
    expect(toUpstashJson({ kind: "integer", value: -3 }, true)).toBe(-3);
    expect(toUpstashJson({ kind: "array", items: [] }, true)).toEqual([]);
    expect(toUpstashJson(bulk(Buffer.from([0xff, 0x00])), true)).toBe("/wA=");
  });

  it("without base64, reads bytes as UTF-8 and replaces invalid sequences with U+FFFD", () => {
    expect(toUpstashJson(bulk(Buffer.from([0x61, 0xff, 0xf0, 0x9f, 0x98, 0x80])), false)).toBe("a\uFFFD😀");
    expect(toUpstashJson({ kind: "simple", value: "PONG" }, false)).toBe("PONG");
  });
});

describe("toUpstashOutcome", () => {
  it("maps a top-level error reply to {error} and anything else to {result}", () => {
    expect(toUpstashOutcome({ kind: "error", message: "ERR no" }, true)).toEqual({ error: "ERR no" });
    expect(toUpstashOutcome({ kind: "nil" }, true)).toEqual({ result: null });
  });
});
