/**
 * Redis's glob (`stringmatchlen` in util.c, case-sensitive) over UTF-8 bytes, so the in-memory
 * driver's SCAN MATCH agrees with redis-server's byte for byte: `*`, `?`, `[abc]`, `[^a-z]`,
 * and `\` escaping the next character (also inside brackets).
 */
export function globMatch(pattern: string, subject: string): boolean {
  const skipLonger = { value: false };
  return match(Buffer.from(pattern, "utf8"), 0, Buffer.from(subject, "utf8"), 0, skipLonger);
}

function match(p: Buffer, pi: number, s: Buffer, si: number, skipLonger: { value: boolean }): boolean {
  while (pi < p.length && si < s.length) {
    const c = p[pi];
    if (c === 0x2a /* * */) {
      while (pi + 1 < p.length && p[pi + 1] === 0x2a) pi++;
      if (pi + 1 === p.length) return true;
      while (si < s.length) {
        if (match(p, pi + 1, s, si, skipLonger)) return true;
        if (skipLonger.value) return false;
        si++;
      }
      // Once the rest failed against every suffix, no shorter one can match either.
      skipLonger.value = true;
      return false;
    } else if (c === 0x3f /* ? */) {
      si++;
    } else if (c === 0x5b /* [ */) {
      pi++;
      const not = p[pi] === 0x5e; /* ^ */
      if (not) pi++;
      let matched = false;
      for (;;) {
        if (p[pi] === 0x5c /* \ */ && p.length - pi >= 2) {
          pi++;
          if (p[pi] === s[si]) matched = true;
        } else if (p[pi] === 0x5d /* ] */) {
          break;
        } else if (pi >= p.length) {
          pi--;
          break;
        } else if (p.length - pi >= 3 && p[pi + 1] === 0x2d /* - */) {
          // Redis compares C chars, signed on the platforms it runs on: bytes over 127 are negative.
          let start = signed(p[pi]);
          let end = signed(p[pi + 2]);
          if (start > end) [start, end] = [end, start];
          const ch = signed(s[si]);
          pi += 2;
          if (ch >= start && ch <= end) matched = true;
        } else if (p[pi] === s[si]) {
          matched = true;
        }
        pi++;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      si++;
    } else {
      if (c === 0x5c /* \ */ && p.length - pi >= 2) pi++;
      if (p[pi] !== s[si]) return false;
      si++;
    }
    pi++;
    if (si === s.length) {
      while (pi < p.length && p[pi] === 0x2a) pi++;
      break;
    }
  }
  return pi === p.length && si === s.length;
}

function signed(byte: number | undefined): number {
  const b = byte ?? 0;
  return b > 127 ? b - 256 : b;
}
