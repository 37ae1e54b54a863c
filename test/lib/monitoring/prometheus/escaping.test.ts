import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { renderMatcher, renderSelector } from "../../../../lib/monitoring/prometheus/label-matchers.js";
import { isQuotable, quotePromqlString } from "../../../../lib/monitoring/prometheus/promql-string.js";
import { escapeRegexLiteral } from "../../../../lib/monitoring/prometheus/regex-literal.js";
import { parseLogql } from "../../../support/loki.js";

/** What Go's strconv.Unquote (PromQL's and LogQL's string rules) reads back, via the Loki stand-in's lexer. */
const readBack = (literal: string): string => parseLogql(`{job="x", a=${literal}}`).matchers[1]!.value;

describe("quotePromqlString", () => {
  it("escapes backslash, double quote and control characters, and nothing else", () => {
    expect(quotePromqlString('a"b')).toBe('"a\\"b"');
    expect(quotePromqlString("a\\b")).toBe('"a\\\\b"');
    expect(quotePromqlString("a\nb\r\t")).toBe('"a\\nb\\r\\t"');
    expect(quotePromqlString("\u0000\u001b\u007f\u0085\u2028")).toBe('"\\u0000\\u001b\\u007f\\u0085\\u2028"');
    // `\'` is an error inside double quotes for Go and Prometheus: single quotes stay as they are.
    expect(quotePromqlString("it's")).toBe(`"it's"`);
    expect(quotePromqlString("ünï 🚀 {x} $&")).toBe('"ünï 🚀 {x} $&"');
  });

  it("reads back as exactly the value under Go's unquoting rules, for any well-formed string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (s) => {
        expect(readBack(quotePromqlString(s))).toBe(s);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }).filter(isQuotable), (s) => {
        expect(readBack(quotePromqlString(s))).toBe(s);
      }),
    );
  });

  it("refuses lone surrogate halves, which no UTF-8 label value can equal", () => {
    expect(isQuotable("a\uD800b")).toBe(false);
    expect(isQuotable("\uDC00")).toBe(false);
    expect(isQuotable("🚀")).toBe(true);
    expect(() => quotePromqlString("\uD800")).toThrow(RangeError);
  });
});

describe("escapeRegexLiteral", () => {
  it("escapes every RE2 metacharacter as Go's QuoteMeta does", () => {
    expect(escapeRegexLiteral("a.b*c+d?e(f)g|h[i]j{k}l^m$n\\o")).toBe("a\\.b\\*c\\+d\\?e\\(f\\)g\\|h\\[i\\]j\\{k\\}l\\^m\\$n\\\\o");
    expect(escapeRegexLiteral("plain-text_1/2")).toBe("plain-text_1/2");
  });

  it("an anchored pattern of the escaped value matches the value and nothing else", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 20 }), fc.string({ unit: "grapheme", maxLength: 20 }), (s, other) => {
        const re = new RegExp(`^(?:${escapeRegexLiteral(s)})$`, "u");
        expect(re.test(s)).toBe(true);
        if (other !== s) expect(re.test(other)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe("renderMatcher / renderSelector", () => {
  it("renders exact and ignore-case matchers with the value escaped", () => {
    expect(renderMatcher({ label: "resource_id", value: 'a"}.*' })).toBe('resource_id="a\\"}.*"');
    expect(renderMatcher({ label: "resource_id", value: 'a"}.*', match: "ignore-case" })).toBe('resource_id=~"(?i)a\\"\\\\}\\\\.\\\\*"');
  });

  it("an empty value selects nothing rather than every series without the label", () => {
    expect(renderMatcher({ label: "cluster", value: "" })).toBeUndefined();
    expect(
      renderSelector([
        { label: "a", value: "x" },
        { label: "cluster", value: "" },
      ]),
    ).toBeUndefined();
    expect(renderSelector([])).toBeUndefined();
  });

  it("a value with a lone surrogate makes the selector unmatchable instead of throwing", () => {
    expect(renderSelector([{ label: "a", value: "x\uD800" }])).toBeUndefined();
  });

  it("refuses a label name that is not a Prometheus label name", () => {
    expect(() => renderMatcher({ label: 'a="x",b', value: "v" })).toThrow(RangeError);
  });
});
