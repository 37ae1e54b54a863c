/**
 * The stored form of a snapshot: JSON lines. The first line is the object with every top-level
 * array longer than `batch` left empty; each further line is `["<key>", [items...]]`, items to
 * append to that array, in order. Neither side ever holds the whole export as one string, and a
 * reader parses line by line while the rest is still arriving. JSON text has no raw newlines, so
 * "\n" always ends a line.
 */
export function* exportLines(value: object, batch = 500): Generator<string> {
  // No prototype: a key named "__proto__" must stay an ordinary key, as JSON.stringify keeps it.
  const head = Object.create(null) as Record<string, unknown>;
  const streamed: [string, unknown[]][] = [];
  for (const [key, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.length > batch) {
      head[key] = [];
      streamed.push([key, v]);
    } else {
      head[key] = v;
    }
  }
  yield `${JSON.stringify(head)}\n`;
  for (const [key, items] of streamed) {
    for (let at = 0; at < items.length; at += batch) yield `${JSON.stringify([key, items.slice(at, at + batch)])}\n`;
  }
}

/** Rebuilds the object from the bytes of {@link exportLines}, fed in pieces of any size. */
export class LineAssembler {
  private head: Record<string, unknown> | undefined;
  private partial: Buffer[] = [];

  /** Takes the next bytes; parses every line they complete. @throws SyntaxError on a line that is not JSON. */
  push(bytes: Buffer): void {
    let start = 0;
    for (let nl = bytes.indexOf(0x0a); nl >= 0; nl = bytes.indexOf(0x0a, start)) {
      this.partial.push(bytes.subarray(start, nl));
      const line = Buffer.concat(this.partial).toString("utf8");
      this.partial = [];
      this.line(line);
      start = nl + 1;
    }
    if (start < bytes.length) this.partial.push(bytes.subarray(start));
  }

  /** The object, once every byte has been pushed. @throws SyntaxError when the lines were incomplete. */
  end(): Record<string, unknown> {
    if (this.partial.some((b) => b.length > 0)) throw new SyntaxError("the last line is incomplete");
    if (this.head === undefined) throw new SyntaxError("no lines");
    return this.head;
  }

  private line(text: string): void {
    const parsed: unknown = JSON.parse(text);
    if (this.head === undefined) {
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new SyntaxError("the first line is not an object");
      this.head = parsed as Record<string, unknown>;
      return;
    }
    const [key, items] = Array.isArray(parsed) ? (parsed as unknown[]) : [];
    const target = typeof key === "string" && Object.hasOwn(this.head, key) ? this.head[key] : undefined;
    if (!Array.isArray(target) || !Array.isArray(items))
      throw new SyntaxError(`line does not extend a top-level array: ${text.slice(0, 60)}`);
    for (const item of items) target.push(item);
  }
}
