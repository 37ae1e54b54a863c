import { createHash } from "node:crypto";

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { chunkDecoder, encodeChunks, isChunkDecodeError } from "../../../../lib/cache/snapshot/codec.js";
import { exportLines, LineAssembler } from "../../../../lib/cache/snapshot/export-lines.js";

const value = { resources: Array.from({ length: 2_000 }, (_, i) => ({ id: `/subscriptions/s/r/${i}`, n: i * 7919 })), runId: "r" };

async function encode(
  v: object,
  chunkChars: number,
  encoding: "gzip" | "br" = "gzip",
): Promise<{ chunks: string[]; sha256: string; rawBytes: number; storedBytes: number }> {
  const chunks: string[] = [];
  const result = await encodeChunks(v, {
    chunkChars,
    encoding,
    onChunk: async (chunk, index) => {
      chunks[index] = chunk;
    },
  });
  expect(result.chunks).toBe(chunks.length);
  return { ...result, chunks };
}

async function decode(chunks: string[], sha256: string, encoding: "gzip" | "br" = "gzip"): Promise<unknown> {
  const decoder = chunkDecoder(encoding, sha256);
  for (const c of chunks) decoder.push(c);
  return decoder.finish();
}

describe("snapshot codec", () => {
  it.each(["gzip", "br"] as const)(
    "round-trips through %s in chunks no longer than asked, each valid base64 on its own",
    async (encoding) => {
      const encoded = await encode(value, 1_002, encoding);
      expect(encoded.chunks.length).toBeGreaterThan(1);
      expect(encoded.chunks.every((c) => c.length <= 1_000 && c.length % 4 === 0)).toBe(true);
      expect(encoded.chunks.join("").length).toBe(encoded.storedBytes);
      expect(encoded.rawBytes).toBe(Buffer.byteLength([...exportLines(value)].join("")));
      expect(encoded.storedBytes).toBeLessThan(encoded.rawBytes / 3);
      expect(await decode(encoded.chunks, encoded.sha256, encoding)).toEqual(value);
    },
  );

  it("rejects chunks that do not match the checksum, or do not decode", async () => {
    const encoded = await encode(value, 1_000);
    const swapped = [encoded.chunks[1]!, encoded.chunks[0]!, ...encoded.chunks.slice(2)];
    const e: unknown = await decode(swapped, encoded.sha256).catch((x: unknown) => x);
    expect(isChunkDecodeError(e)).toBe(true);
    expect((e as Error).message).toMatch(/checksum/);
    const garbage = Buffer.from("not gzip at all");
    const sha = createHash("sha256").update(garbage).digest("hex");
    await expect(decode([garbage.toString("base64")], sha)).rejects.toThrow(/do not decode/);
  });

  it("stops and reports the first failed chunk write, leaving nothing running", async () => {
    let calls = 0;
    const failing = encodeChunks(value, {
      chunkChars: 400,
      concurrency: 2,
      onChunk: async (_chunk, index) => {
        calls++;
        if (index === 1) throw new Error("redis went away");
      },
    });
    await expect(failing).rejects.toThrow("redis went away");
    expect(calls).toBeLessThan(6);
  });

  it("JSON lines rebuild the object, fed in pieces of any size (property)", () => {
    const objects = fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue(), { maxLength: 9 })));
    fc.assert(
      fc.property(objects, fc.integer({ min: 1, max: 64 }), (obj, piece) => {
        const bytes = Buffer.from([...exportLines(obj, 2)].join(""), "utf8");
        const assembler = new LineAssembler();
        for (let at = 0; at < bytes.length; at += piece) assembler.push(bytes.subarray(at, at + piece));
        expect(assembler.end()).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
      { numRuns: 300 },
    );
    expect([...exportLines({ a: [1, 2, 3], b: undefined, c: "x" }, 2)]).toEqual(['{"a":[],"c":"x"}\n', '["a",[1,2]]\n', '["a",[3]]\n']);
  });

  it("refuses lines that do not extend a top-level array, and incomplete input", () => {
    const feed =
      (text: string): (() => unknown) =>
      () => {
        const a = new LineAssembler();
        a.push(Buffer.from(text));
        return a.end();
      };
    expect(feed('{"a":[]}\n["__proto__",[1]]\n')).toThrow(/does not extend/);
    expect(feed('{"a":1}\n["a",[1]]\n')).toThrow(/does not extend/);
    expect(feed('{"a":[]}\n["a",[1]')).toThrow(/incomplete/);
    expect(feed("[1]\n")).toThrow(/not an object/);
    expect(feed("")).toThrow(/no lines/);
  });
});
