import { Readable } from "node:stream";

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { PageBodyParser, PageSyntaxError, readPageBody } from "../../../lib/azure/page-body.js";

/** The parser's answer for `bytes` cut at `cuts`: its value as JSON text, or "throws". */
function parsed(bytes: Buffer, cuts: readonly number[]): string {
  const parser = new PageBodyParser();
  let at = 0;
  try {
    for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
      parser.push(bytes.subarray(at, cut));
      at = cut;
    }
    parser.push(bytes.subarray(at));
    return JSON.stringify(parser.end());
  } catch (error) {
    expect(error).toBeInstanceOf(PageSyntaxError);
    return "throws";
  }
}

/** What JSON.parse says of the whole text, in the same terms. */
function reference(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return "throws";
  }
}

// Strings that stress the scanner: quotes, backslashes, brackets, commas and multi-byte characters.
const tricky = fc.string({ unit: fc.constantFrom("\\", '"', "[", "]", "{", "}", ",", ":", " ", "a", "é", "😀", "\u2028", "\n") });
const key = fc.oneof(tricky, fc.constantFrom("value", "nextLink", "__proto__", "id", "properties"));
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    tricky,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** An ARM page: a `value` array among other members, in any order. */
const page = fc
  .tuple(fc.array(json, { maxLength: 12 }), fc.dictionary(key, json, { maxKeys: 3 }), fc.nat(4), fc.option(fc.webUrl(), { nil: undefined }))
  .map(([value, others, at, nextLink]) => {
    const members = Object.entries(others).filter(([k]) => k !== "value");
    members.splice(at % (members.length + 1), 0, ["value", value]);
    if (nextLink !== undefined) members.push(["nextLink", nextLink]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of members) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });

/** A page or any JSON value, compact or indented. */
const body = fc
  .tuple(fc.oneof(page, page, json), fc.constantFrom(undefined, 1, "\t", "  \n"))
  .map(([v, space]) => JSON.stringify(v, null, space));
const cuts = fc.array(fc.nat(), { maxLength: 20 });

describe("PageBodyParser", () => {
  it("gives JSON.parse's value, in JSON.parse's key order, however the body is cut into chunks", () => {
    fc.assert(
      fc.property(body, cuts, (text, at) => {
        expect(parsed(Buffer.from(text), at)).toBe(reference(text));
      }),
      { numRuns: 1500 },
    );
  });

  it("gives the same value one byte at a time", () => {
    fc.assert(
      fc.property(body, (text) => {
        const bytes = Buffer.from(text);
        expect(
          parsed(
            bytes,
            Array.from({ length: bytes.length }, (_v, i) => i),
          ),
        ).toBe(reference(text));
      }),
      { numRuns: 200 },
    );
  });

  it("throws where JSON.parse throws, and agrees where it does not, on damaged bodies", () => {
    // Damage to the bytes, as a network or a server cuts and garbles them: JSON.parse judges the
    // bytes decoded as the client decodes a whole body (invalid UTF-8 as U+FFFD).
    const damage = fc.tuple(
      fc.nat(),
      fc.constantFrom("cut", "drop", "insert", "replace"),
      fc.constantFrom(...'{}[],:"\\ 0a-.etn'.split("").map((c) => c.charCodeAt(0)), 0xc3, 0xff),
    );
    fc.assert(
      fc.property(body, damage, cuts, (text, [where, how, byte], at) => {
        const bytes = Buffer.from(text);
        const i = where % bytes.length;
        const parts =
          how === "cut"
            ? [bytes.subarray(0, i)]
            : how === "drop"
              ? [bytes.subarray(0, i), bytes.subarray(i + 1)]
              : [bytes.subarray(0, i), Buffer.of(byte), bytes.subarray(how === "insert" ? i : i + 1)];
        const damaged = Buffer.concat(parts);
        fc.pre(damaged.length > 0);
        expect(parsed(damaged, at)).toBe(reference(damaged.toString("utf8")));
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps __proto__ as an own member, as JSON.parse does, and the last of a repeated member", () => {
    const text = '{"__proto__":{"polluted":true},"value":[1],"nextLink":"a","value":[2,3]}';
    const value = new PageBodyParser();
    value.push(Buffer.from(text));
    const out = value.end() as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["__proto__", "value", "nextLink"]);
    expect(out.value).toEqual([2, 3]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reads an escaped backslash and an escaped quote cut between chunks", () => {
    const parser = new PageBodyParser();
    for (const part of ['{"value":[{"a":"x\\', '\\"},{"b":"\\', '""}]}']) parser.push(Buffer.from(part));
    expect(parser.end()).toEqual({ value: [{ a: "x\\" }, { b: '"' }] });
  });

  it("reads a multi-byte character cut between chunks", () => {
    const bytes = Buffer.from('{"value":["😀é"]}');
    const parser = new PageBodyParser();
    parser.push(bytes.subarray(0, 12));
    parser.push(bytes.subarray(12));
    expect(parser.end()).toEqual({ value: ["😀é"] });
  });

  it("says a body cut short ends early, and gives no value for no body at all", async () => {
    await expect(readPageBody(Readable.from([Buffer.from('{"value":[{"id":"a"}')]))).rejects.toThrow(/ends early/);
    await expect(readPageBody(Readable.from([]))).resolves.toBeUndefined();
  });
});
