import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { encodeKeyPart, escapeGlob, globMatch, KeyLayout } from "../../../../lib/cache/index.js";

describe("KeyLayout", () => {
  const layout = new KeyLayout("td");

  it("lays out cache, generational, lock and snapshot keys under the prefix", () => {
    expect(layout.entry("api-versions", ["microsoft.web", "sites"])).toBe("td:c:api-versions:microsoft.web:sites");
    expect(layout.entry("impact", "x", 7)).toBe("td:q:7:impact:x");
    expect(layout.generation()).toBe("td:gen");
    expect(layout.lock("sub:1")).toBe("td:lock:sub%3A1");
    expect(layout.fence("sub:1")).toBe("td:fence:sub%3A1");
    expect(layout.snapshotHead("tenant")).toBe("td:snap:tenant:head");
    expect(layout.snapshotChunk("tenant", "w1", 3)).toBe("td:snap:tenant:chunk:w1:3");
    expect(new KeyLayout().generation()).toBe("topdeck:gen");
  });

  it("never lets two different part lists share a key", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), fc.array(fc.string(), { minLength: 1, maxLength: 4 }), (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(layout.entry("ns", a)).not.toBe(layout.entry("ns", b));
      }),
    );
    expect(encodeKeyPart("a:b%3A")).toBe("a%3Ab%253A");
    expect(() => layout.entry("ns", [])).toThrow(RangeError);
  });

  it("makes patterns that match the prefix's descendants and nothing else", () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.string(), (id, child, other) => {
        const pattern = layout.entryPattern("ns", ["r", id]);
        expect(globMatch(pattern, layout.entry("ns", ["r", id, child]))).toBe(true);
        expect(globMatch(pattern, layout.entry("ns", ["r", id]))).toBe(false);
        if (other !== id) expect(globMatch(pattern, layout.entry("ns", ["r", other, child]))).toBe(false);
      }),
    );
  });
});

describe("escapeGlob", () => {
  it("escapes exactly * ? [ ] and \\", () => {
    expect(escapeGlob("a*b?c[d]e\\f^g-h")).toBe("a\\*b\\?c\\[d\\]e\\\\f^g-h");
  });

  it("an escaped literal matches itself and only itself (property)", () => {
    const unit = fc.constantFrom("a", "*", "?", "[", "]", "\\", "^", "-", "é");
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1 }), fc.string({ unit, minLength: 1 }), (literal, other) => {
        expect(globMatch(escapeGlob(literal), literal)).toBe(true);
        expect(globMatch(escapeGlob(literal), other)).toBe(literal === other);
      }),
    );
  });
});
