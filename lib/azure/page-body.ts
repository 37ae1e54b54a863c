/**
 * An ARM list page read from its response stream chunk by chunk, so no page is ever one string.
 *
 * A page of 1,000 resources is ~1.7 MB of JSON. Read whole, each page is a 1.7 MB string in V8's
 * large-object space and its socket chunks wait in the C heap until the body has arrived, and both
 * are only freed by a full collection: at 100,000 resources that garbage was a fifth of the
 * discovery's peak RSS (docs/discovery.md, "Reading pages"). Here each chunk is scanned as it
 * arrives: the complete elements of the page's `value` array in it are parsed together by
 * `JSON.parse` (one call per chunk, on a string of the chunk's size), an element cut by the chunk's
 * end is carried over as a copy of its bytes, and the chunk is dropped.
 *
 * The result is what `JSON.parse` gives the whole body — the same values, the same key order — and
 * the parser throws where `JSON.parse` would (test/lib/azure/page-body.property.test.ts): the
 * structure around the elements is checked here, each element by `JSON.parse`. A body that is not
 * an object is kept whole and parsed at the end.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** JSON's whitespace (RFC 8259): space, tab, line feed, carriage return. */
const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Where the parser is in the page's outer object. */
const enum At {
  /** Before the body's first character. */
  Start,
  /** After `{`: a key or `}`. */
  KeyOrClose,
  /** After `,` between members: a key. */
  Key,
  /** Inside a key string. */
  InKey,
  /** After a key: `:`. */
  Colon,
  /** After `:`: a member's value. */
  Value,
  /** Inside a member's value other than the elements of `value`. */
  InValue,
  /** After `[` of `value`: an element or `]`. */
  ElementOrClose,
  /** After `,` between elements: an element. */
  Element,
  /** Inside an element. */
  InElement,
  /** After an element: `,` or `]`. */
  AfterElement,
  /** After a member: `,` or `}`. */
  AfterMember,
  /** After the closing `}`: only whitespace. */
  Done,
  /** The body is not an object: kept whole, parsed at the end. */
  Whole,
}

/** Thrown for a body `JSON.parse` would refuse. */
export class PageSyntaxError extends SyntaxError {
  override readonly name = "PageSyntaxError";
}

/** Parses one JSON body pushed as byte chunks; `end` returns the value. */
export class PageBodyParser {
  private at = At.Start;
  private readonly object: Record<string, unknown> = {};
  private key = "";
  private elements: unknown[] = [];
  /** Bytes of the span being read (an element batch, a key, a value) from earlier chunks, copied. */
  private carried: Buffer[] = [];
  /** Where, in the current chunk, the span being read starts (0 when it began in an earlier chunk). */
  private spanStart = 0;
  /** In the elements: the end, in the current chunk, of the last complete element not yet parsed; -1 if none. */
  private batchEnd = -1;
  /** In the elements: where, in the current chunk, the element being read starts. */
  private elementAt = 0;
  // The value scanner's state, kept across chunks.
  /** The value being scanned is a number or literal, ended by the byte after it (not a string or container). */
  private scalar = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Bytes seen, for error messages. */
  private offset = 0;

  /** Reads one chunk. @throws PageSyntaxError */
  push(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      // Between tokens, whitespace is skipped; inside a key, value or element the scanner reads it.
      if (this.at !== At.InKey && this.at !== At.InValue && this.at !== At.InElement && this.at !== At.Whole) {
        i = skipSpace(chunk, i);
        if (i === n) break;
      }
      switch (this.at) {
        case At.Start: {
          if (chunk[i] === OPEN_BRACE) {
            this.at = At.KeyOrClose;
            i += 1;
          } else {
            this.at = At.Whole;
            this.spanStart = i;
            i = n;
          }
          break;
        }
        case At.Whole:
          i = n;
          break;
        case At.KeyOrClose:
        case At.Key: {
          const b = chunk[i]!;
          if (b === CLOSE_BRACE && this.at === At.KeyOrClose) {
            this.at = At.Done;
            i += 1;
          } else if (b === QUOTE) {
            this.spanStart = i;
            i = this.begin(chunk, i);
            this.at = At.InKey;
          } else this.fail(i, "a key");
          break;
        }
        case At.InKey:
        case At.InValue:
        case At.InElement: {
          const end = this.scan(chunk, i);
          if (end < 0) {
            i = n;
            break;
          }
          this.endValue(chunk, end);
          i = end;
          break;
        }
        case At.Colon: {
          if (chunk[i] !== COLON) this.fail(i, "':'");
          this.at = At.Value;
          i += 1;
          break;
        }
        case At.Value: {
          if (this.key === "value" && chunk[i] === OPEN_BRACKET) {
            this.elements = [];
            define(this.object, "value", this.elements);
            this.at = At.ElementOrClose;
            i += 1;
          } else {
            this.spanStart = i;
            i = this.begin(chunk, i);
            this.at = At.InValue;
          }
          break;
        }
        case At.ElementOrClose:
        case At.Element: {
          const b = chunk[i]!;
          if (b === CLOSE_BRACKET && this.at === At.ElementOrClose) {
            this.at = At.AfterMember;
            i += 1;
          } else if (b === CLOSE_BRACKET || b === CLOSE_BRACE || b === COMMA) this.fail(i, "an element");
          else {
            // The first element of a batch starts the span; later ones extend it.
            if (this.batchEnd < 0 && this.carried.length === 0) this.spanStart = i;
            this.elementAt = i;
            i = this.begin(chunk, i);
            this.at = At.InElement;
          }
          break;
        }
        case At.AfterElement: {
          const b = chunk[i]!;
          if (b === COMMA) this.at = At.Element;
          else if (b === CLOSE_BRACKET) {
            this.flushBatch(chunk);
            this.at = At.AfterMember;
          } else this.fail(i, "',' or ']'");
          i += 1;
          break;
        }
        case At.AfterMember: {
          const b = chunk[i]!;
          if (b === COMMA) this.at = At.Key;
          else if (b === CLOSE_BRACE) this.at = At.Done;
          else this.fail(i, "',' or '}'");
          i += 1;
          break;
        }
        case At.Done:
          this.fail(i, "the end of the body");
      }
    }
    this.carryOver(chunk);
    this.offset += n;
  }

  /** The body's value, once every chunk was pushed. @throws PageSyntaxError when the body is cut short. */
  end(): unknown {
    // An empty body (not even whitespace) is no JSON: the caller decides what no body means.
    if (this.offset === 0) return undefined;
    if (this.at === At.Whole) return parse(Buffer.concat(this.carried).toString("utf8"), this.offset);
    if (this.at !== At.Done) throw new PageSyntaxError(`JSON body ends early (after ${this.offset} bytes)`);
    return this.object;
  }

  /** Starts the scanner on the value whose first byte is at `i`; returns where scanning goes on. */
  private begin(chunk: Buffer, i: number): number {
    const first = chunk[i]!;
    this.depth = 0;
    this.escaped = false;
    this.inString = first === QUOTE;
    this.scalar = false;
    if (this.inString) return i + 1;
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      this.depth = 1;
      return i + 1;
    }
    // A scalar's first byte is scanned with the rest.
    this.scalar = true;
    return i;
  }

  /** Scans the value the scanner is inside from `from`: the index just past its end, or -1 when the chunk ends first. */
  private scan(chunk: Buffer, from: number): number {
    const n = chunk.length;
    const scalar = this.scalar;
    let i = from;
    let depth = this.depth;
    let inString = this.inString;
    let end = -1;
    // The last chunk ended on a backslash inside a string: this chunk's first byte is escaped.
    if (this.escaped) {
      this.escaped = false;
      i += 1;
    }
    while (i < n) {
      if (inString) {
        // A byte loop, not a native search per string: strings in payloads are short, and the
        // call cost more than their bytes. A backslash skips the byte it escapes.
        let b = chunk[i]!;
        while (b !== QUOTE) {
          i += b === BACKSLASH ? 2 : 1;
          if (i >= n) break;
          b = chunk[i]!;
        }
        if (i >= n) {
          this.escaped = i > n;
          break;
        }
        inString = false;
        i += 1;
        if (depth === 0) {
          end = i;
          break;
        }
        continue;
      }
      const b = chunk[i]!;
      if (scalar) {
        if (b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || isSpace(b)) {
          end = i;
          break;
        }
      } else if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth += 1;
      else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && --depth === 0) {
        end = i + 1;
        break;
      }
      i += 1;
    }
    this.depth = depth;
    this.inString = inString;
    return end;
  }

  /** A key, value or element ended at `end` (exclusive) in `chunk`. */
  private endValue(chunk: Buffer, end: number): void {
    if (this.at === At.InElement) {
      this.batchEnd = end;
      this.at = At.AfterElement;
      return;
    }
    const text = this.spanText(chunk, end);
    if (this.at === At.InKey) {
      this.key = parse(text, this.offset) as string;
      this.at = At.Colon;
    } else {
      define(this.object, this.key, parse(text, this.offset));
      this.at = At.AfterMember;
    }
  }

  /** Parses the complete elements read so far (all but one cut by the chunk's end). */
  private flushBatch(chunk: Buffer): void {
    if (this.batchEnd < 0) return;
    const parsed = parse(`[${this.spanText(chunk, this.batchEnd)}]`, this.offset) as unknown[];
    for (const element of parsed) this.elements.push(element);
    this.batchEnd = -1;
  }

  /** The span's text: the bytes carried from earlier chunks and `chunk` up to `end`. */
  private spanText(chunk: Buffer, end: number): string {
    const tail = chunk.subarray(this.spanStart, end);
    const text = this.carried.length === 0 ? tail.toString("utf8") : Buffer.concat([...this.carried, tail]).toString("utf8");
    this.carried = [];
    return text;
  }

  /** At a chunk's end: parse the batch's complete elements, copy what the next chunk continues. */
  private carryOver(chunk: Buffer): void {
    const inElements = this.at === At.InElement || this.at === At.AfterElement || this.at === At.Element;
    if (inElements && this.batchEnd >= 0) {
      this.flushBatch(chunk);
      // An element in progress starts after the last complete one.
      if (this.at === At.InElement) this.carried.push(Buffer.from(chunk.subarray(this.elementAt)));
    } else if (this.at === At.InElement || this.at === At.InKey || this.at === At.InValue || this.at === At.Whole) {
      this.carried.push(this.spanStart === 0 ? chunk : Buffer.from(chunk.subarray(this.spanStart)));
    }
    this.spanStart = 0;
  }

  private fail(i: number, expected: string): never {
    throw new PageSyntaxError(`JSON body: expected ${expected} at byte ${this.offset + i}`);
  }
}

/** Reads a JSON body from a stream of byte chunks, chunk by chunk (see PageBodyParser). */
export async function readPageBody(stream: AsyncIterable<Buffer | string>): Promise<unknown> {
  const parser = new PageBodyParser();
  for await (const chunk of stream) parser.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return parser.end();
}

function skipSpace(chunk: Buffer, from: number): number {
  let i = from;
  while (i < chunk.length && isSpace(chunk[i]!)) i += 1;
  return i;
}

function parse(text: string, offset: number): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PageSyntaxError(`JSON body: ${(cause as Error).message} (in the bytes before ${offset})`, { cause });
  }
}

/** Sets a member as JSON.parse does: an own property even for `__proto__`, in first-seen order. */
function define(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}
