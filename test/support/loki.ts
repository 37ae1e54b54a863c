// A Loki stand-in for tests (no Loki package exists here): answers `GET /loki/api/v1/query_range`
// from fixture streams in Loki's documented response format, after parsing the LogQL it receives
// as strictly as Loki's lexer would. What it understands: a stream selector of `=`, `!=`, `=~`, `!~`
// matchers, then line filters `|=`, `!=`, `|~`, `!~`; strings in double quotes with Go's escapes, or
// backticks. Anything else is answered 400 with a plain-text parse error, as Loki does, so a query
// our code built wrongly fails the test instead of matching by accident.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One fixture stream: its labels and `[epoch ms, line]` entries. */
export interface LokiFixtureStream {
  labels: Record<string, string>;
  entries: ReadonlyArray<readonly [number, string]>;
}

/** A running stand-in. */
export interface LokiStandIn {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every LogQL query received, in order (also the ones refused). */
  readonly queries: string[];
  /** Answer every request with this status (and a plain-text body) until called with undefined. */
  failWith(status: number | undefined): void;
  stop(): Promise<void>;
}

/** A LogQL parse error, with Loki's message shape. */
export class LogqlParseError extends Error {}

interface Matcher {
  label: string;
  op: "=" | "!=" | "=~" | "!~";
  value: string;
  test(v: string): boolean;
}

interface LineFilter {
  op: "|=" | "!=" | "|~" | "!~";
  test(line: string): boolean;
}

/** The parsed query: the selector's matchers and the line filters. */
export interface ParsedLogql {
  matchers: Matcher[];
  filters: LineFilter[];
}

const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, '"': 34 };

/** Go's strconv.Unquote for a double-quoted literal starting at `text[start]`; returns the value and the index after it. */
function unquote(text: string, start: number): { value: string; end: number } {
  const bytes: number[] = [];
  const push = (s: string): void => {
    bytes.push(...Buffer.from(s, "utf8"));
  };
  const hex = (from: number, n: number): number => {
    const digits = text.slice(from, from + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw new LogqlParseError(`invalid escape at col ${from}`);
    return parseInt(digits, 16);
  };
  let i = start + 1;
  for (;;) {
    const c = text[i];
    if (c === undefined || c === "\n") throw new LogqlParseError(`literal not terminated at col ${start + 1}`);
    if (c === '"') return { value: Buffer.from(bytes).toString("utf8"), end: i + 1 };
    if (c !== "\\") {
      const cp = text.codePointAt(i)!;
      push(String.fromCodePoint(cp));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = text[i + 1];
    if (e !== undefined && e in SIMPLE) {
      bytes.push(SIMPLE[e]!);
      i += 2;
    } else if (e === "x") {
      bytes.push(hex(i + 2, 2));
      i += 4;
    } else if (e === "u" || e === "U") {
      const n = e === "u" ? 4 : 8;
      const cp = hex(i + 2, n);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new LogqlParseError(`invalid code point at col ${i}`);
      push(String.fromCodePoint(cp));
      i += 2 + n;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const oct = text.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) throw new LogqlParseError(`invalid octal escape at col ${i}`);
      bytes.push(parseInt(oct, 8));
      i += 4;
    } else {
      // Includes \' : Go accepts it only inside single quotes.
      throw new LogqlParseError(`invalid char escape at col ${i}`);
    }
  }
}

function stringAt(text: string, i: number): { value: string; end: number } {
  if (text[i] === '"') return unquote(text, i);
  if (text[i] === "`") {
    const close = text.indexOf("`", i + 1);
    if (close < 0) throw new LogqlParseError(`literal not terminated at col ${i + 1}`);
    return { value: text.slice(i + 1, close), end: close + 1 };
  }
  throw new LogqlParseError(`syntax error: unexpected ${JSON.stringify(text.slice(i, i + 10))}, expecting STRING at col ${i + 1}`);
}

/** RE2 (as our code writes it) to a JS RegExp; only a leading `(?i)` flag group is understood. */
function re2(pattern: string, anchored: boolean): RegExp {
  let flags = "u";
  let source = pattern;
  if (source.startsWith("(?i)")) {
    flags += "i";
    source = source.slice(4);
  }
  if (source.includes("(?")) throw new LogqlParseError(`the stand-in does not support this regex: ${pattern}`);
  try {
    return new RegExp(anchored ? `^(?:${source})$` : source, flags);
  } catch (e) {
    throw new LogqlParseError(`error parsing regexp: ${(e as Error).message}`);
  }
}

/** Parses the subset of LogQL the stand-in serves. @throws LogqlParseError. */
export function parseLogql(query: string): ParsedLogql {
  let i = 0;
  const skip = (): void => {
    while (i < query.length && /\s/.test(query[i]!)) i++;
  };
  skip();
  if (query[i] !== "{") throw new LogqlParseError(`syntax error: unexpected ${JSON.stringify(query.slice(i, i + 10))}, expecting {`);
  i++;
  const matchers: Matcher[] = [];
  for (;;) {
    skip();
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(query.slice(i))?.[0];
    if (name === undefined)
      throw new LogqlParseError(`syntax error: unexpected ${JSON.stringify(query.slice(i, i + 10))}, expecting IDENTIFIER`);
    i += name.length;
    skip();
    const op = (["=~", "!~", "!=", "="] as const).find((o) => query.startsWith(o, i));
    if (op === undefined) throw new LogqlParseError(`syntax error at col ${i + 1}: expecting = != =~ !~`);
    i += op.length;
    skip();
    const { value, end } = stringAt(query, i);
    i = end;
    const re = op === "=~" || op === "!~" ? re2(value, true) : undefined;
    const test = (v: string): boolean => (op === "=" ? v === value : op === "!=" ? v !== value : op === "=~" ? re!.test(v) : !re!.test(v));
    matchers.push({ label: name, op, value, test });
    skip();
    if (query[i] === ",") {
      i++;
      continue;
    }
    if (query[i] === "}") {
      i++;
      break;
    }
    throw new LogqlParseError(`syntax error: unexpected ${JSON.stringify(query.slice(i, i + 10))}, expecting , or }`);
  }
  if (!matchers.some((m) => !m.test(""))) {
    throw new LogqlParseError("queries require at least one regexp or equality matcher that does not have an empty-compatible value");
  }
  const filters: LineFilter[] = [];
  for (;;) {
    skip();
    if (i >= query.length) break;
    const op = (["|=", "!=", "|~", "!~"] as const).find((o) => query.startsWith(o, i));
    if (op === undefined) throw new LogqlParseError(`the stand-in does not support ${JSON.stringify(query.slice(i, i + 20))}`);
    i += op.length;
    skip();
    const { value, end } = stringAt(query, i);
    i = end;
    const re = op === "|~" || op === "!~" ? re2(value, false) : undefined;
    const test = (line: string): boolean =>
      op === "|=" ? line.includes(value) : op === "!=" ? !line.includes(value) : op === "|~" ? re!.test(line) : !re!.test(line);
    filters.push({ op, test });
  }
  return { matchers, filters };
}

const NS_PER_MS = 1_000_000n;

function nsParam(v: string | null, fallback: bigint): bigint {
  if (v === null) return fallback;
  if (!/^\d+$/.test(v)) throw new LogqlParseError(`invalid time ${JSON.stringify(v)}: the stand-in takes nanoseconds`);
  return BigInt(v);
}

function answer(streams: readonly LokiFixtureStream[], url: URL): unknown {
  const query = url.searchParams.get("query") ?? "";
  const { matchers, filters } = parseLogql(query);
  const start = nsParam(url.searchParams.get("start"), 0n);
  const end = nsParam(url.searchParams.get("end"), BigInt(Date.now()) * NS_PER_MS);
  const limit = Number(url.searchParams.get("limit") ?? "100");
  const backward = (url.searchParams.get("direction") ?? "backward") === "backward";
  const hits: Array<{ stream: Record<string, string>; ns: bigint; line: string }> = [];
  for (const s of streams) {
    // A label the stream lacks reads as "" (Prometheus semantics, which Loki shares).
    if (!matchers.every((m) => m.test(s.labels[m.label] ?? ""))) continue;
    for (const [ms, line] of s.entries) {
      const ns = BigInt(ms) * NS_PER_MS;
      if (ns < start || ns >= end || !filters.every((f) => f.test(line))) continue;
      hits.push({ stream: s.labels, ns, line });
    }
  }
  hits.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0) * (backward ? -1 : 1));
  const kept = hits.slice(0, limit);
  const byStream = new Map<Record<string, string>, Array<[string, string]>>();
  for (const h of kept) {
    let values = byStream.get(h.stream);
    if (!values) byStream.set(h.stream, (values = []));
    values.push([h.ns.toString(), h.line]);
  }
  return {
    status: "success",
    data: {
      resultType: "streams",
      result: [...byStream].map(([stream, values]) => ({ stream, values })),
      stats: { summary: { totalEntriesReturned: kept.length } },
    },
  };
}

/** Starts the stand-in on a free port with the fixture streams. */
export async function startLoki(streams: readonly LokiFixtureStream[]): Promise<LokiStandIn> {
  const queries: string[] = [];
  let failure: number | undefined;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://loki");
    const send = (status: number, body: string, type: string): void => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    if (url.pathname === "/ready") return send(200, "ready", "text/plain");
    if (url.pathname !== "/loki/api/v1/query_range" || req.method !== "GET") return send(404, "404 page not found", "text/plain");
    queries.push(url.searchParams.get("query") ?? "");
    if (failure !== undefined) return send(failure, "stand-in failure", "text/plain");
    try {
      send(200, JSON.stringify(answer(streams, url)), "application/json");
    } catch (e) {
      if (!(e instanceof LogqlParseError)) throw e;
      send(400, `parse error : ${e.message}`, "text/plain; charset=utf-8");
    }
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    failWith: (status) => {
      failure = status;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
