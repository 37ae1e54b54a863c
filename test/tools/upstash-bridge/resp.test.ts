import { describe, expect, it } from "vitest";

import { encodeCommand, RespParser, RespProtocolError, type RespReply } from "../../../tools/upstash-bridge/resp.js";

const stream = Buffer.concat([
  Buffer.from("+OK\r\n-ERR bad\r\n:-42\r\n"),
  Buffer.from("$6\r\na\r\nb\0\xff\r\n", "latin1"),
  Buffer.from("$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n"),
  Buffer.from("*2\r\n$1\r\n0\r\n*2\r\n$1\r\nx\r\n-ERR inside\r\n"),
]);

const expected: RespReply[] = [
  { kind: "simple", value: "OK" },
  { kind: "error", message: "ERR bad" },
  { kind: "integer", value: -42 },
  { kind: "bulk", value: Buffer.from("a\r\nb\0\xff", "latin1") },
  { kind: "bulk", value: Buffer.alloc(0) },
  { kind: "nil" },
  { kind: "nil" },
  { kind: "array", items: [] },
  {
    kind: "array",
    items: [
      { kind: "bulk", value: Buffer.from("0") },
      {
        kind: "array",
        items: [
          { kind: "bulk", value: Buffer.from("x") },
          { kind: "error", message: "ERR inside" },
        ],
      },
    ],
  },
];

describe("encodeCommand", () => {
  it("frames arguments by length, so CRLF and NUL inside them are data", () => {
    const bytes = encodeCommand([Buffer.from("SET"), Buffer.from("k"), Buffer.from("a\r\n\0")]);
    expect(bytes.toString("latin1")).toBe("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\n\0\r\n");
  });
});

describe("RespParser", () => {
  it("parses every reply type, keeping nil apart from empty", () => {
    expect(new RespParser().push(stream)).toEqual(expected);
  });

  it("gives the same replies whatever the chunk boundaries", () => {
    const parser = new RespParser();
    const replies = [...stream].flatMap((byte) => parser.push(Buffer.from([byte])));
    expect(replies).toEqual(expected);
  });

  it("assembles a large bulk string from many chunks", () => {
    const value = Buffer.alloc(3 * 1024 * 1024, 7);
    const wire = Buffer.concat([Buffer.from(`$${value.length}\r\n`), value, Buffer.from("\r\n:1\r\n")]);
    const parser = new RespParser();
    const replies: RespReply[] = [];
    for (let at = 0; at < wire.length; at += 65_536) replies.push(...parser.push(wire.subarray(at, at + 65_536)));
    expect(replies).toHaveLength(2);
    const [big] = replies;
    expect(big?.kind === "bulk" && big.value.equals(value)).toBe(true);
    expect(replies[1]).toEqual({ kind: "integer", value: 1 });
  });

  it("rejects bytes that are not RESP2", () => {
    expect(() => new RespParser().push(Buffer.from("HTTP/1.1 400\r\n"))).toThrow(RespProtocolError);
  });
});
