// RESP2, the wire protocol of redis-server: commands out as arrays of bulk strings, replies in.
// Hand-written so the bridge keeps nil apart from an empty array, bulk strings as raw bytes
// (for base64), and error replies inside EXEC arrays as values rather than exceptions.

/** One RESP2 reply; bulk strings stay bytes so that nothing is lost before base64. */
export type RespReply =
  | { readonly kind: "simple"; readonly value: string }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "integer"; readonly value: number }
  | { readonly kind: "bulk"; readonly value: Buffer }
  | { readonly kind: "nil" }
  | { readonly kind: "array"; readonly items: readonly RespReply[] };

/** Redis sent bytes that are not RESP2; the connection can no longer be trusted. */
export class RespProtocolError extends Error {
  override readonly name = "RespProtocolError";
  readonly code = "RESP_PROTOCOL";
}

const CRLF = Buffer.from("\r\n");

/** Encodes one command as a RESP2 array of bulk strings (binary-safe: lengths, not delimiters). */
export function encodeCommand(args: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) parts.push(Buffer.from(`$${arg.length}\r\n`), arg, CRLF);
  return Buffer.concat(parts);
}

type Parsed = { reply: RespReply; end: number } | { need: number };

function readLine(buf: Buffer, start: number): { line: string; end: number } | { need: number } {
  const cr = buf.indexOf(CRLF, start);
  if (cr < 0) return { need: buf.length + 1 };
  return { line: buf.toString("latin1", start, cr), end: cr + 2 };
}

function parseLength(line: string): number {
  const n = Number(line);
  if (!Number.isInteger(n)) throw new RespProtocolError(`bad length ${JSON.stringify(line)}`);
  return n;
}

// Returns the reply starting at `offset`, or how many bytes the buffer must hold before retrying.
function parseAt(buf: Buffer, offset: number): Parsed {
  if (offset >= buf.length) return { need: offset + 1 };
  const type = String.fromCharCode(buf[offset] ?? 0);
  const head = readLine(buf, offset + 1);
  if ("need" in head) return head;
  const { line, end } = head;
  switch (type) {
    case "+":
      return { reply: { kind: "simple", value: line }, end };
    case "-":
      return { reply: { kind: "error", message: line }, end };
    case ":": {
      const value = Number(line);
      if (!Number.isFinite(value)) throw new RespProtocolError(`bad integer ${JSON.stringify(line)}`);
      return { reply: { kind: "integer", value }, end };
    }
    case "$": {
      const len = parseLength(line);
      if (len < 0) return { reply: { kind: "nil" }, end };
      const stop = end + len;
      if (buf.length < stop + 2) return { need: stop + 2 };
      return { reply: { kind: "bulk", value: Buffer.from(buf.subarray(end, stop)) }, end: stop + 2 };
    }
    case "*": {
      const count = parseLength(line);
      if (count < 0) return { reply: { kind: "nil" }, end };
      const items: RespReply[] = [];
      let at = end;
      for (let i = 0; i < count; i++) {
        const item = parseAt(buf, at);
        if ("need" in item) return item;
        items.push(item.reply);
        at = item.end;
      }
      return { reply: { kind: "array", items }, end: at };
    }
    default:
      throw new RespProtocolError(`unexpected reply type byte 0x${(buf[offset] ?? 0).toString(16)}`);
  }
}

/** Turns a stream of bytes from redis-server into whole replies, in order. */
export class RespParser {
  private chunks: Buffer[] = [];
  private buffered = 0;
  // Bytes needed before a retry can succeed, so a 2 MB bulk string is not re-parsed per chunk.
  private need = 0;

  /** Adds bytes; returns every reply they complete. @throws RespProtocolError on bytes that are not RESP2. */
  push(chunk: Buffer): RespReply[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.need) return [];
    const buf = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.buffered);
    const replies: RespReply[] = [];
    let offset = 0;
    this.need = 0;
    for (;;) {
      const parsed = parseAt(buf, offset);
      if ("need" in parsed) {
        this.need = parsed.need - offset;
        break;
      }
      replies.push(parsed.reply);
      offset = parsed.end;
    }
    const rest = buf.subarray(offset);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return replies;
  }
}
