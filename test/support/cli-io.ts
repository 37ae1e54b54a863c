import type { DiscoverIo } from "../../tools/discover-command.js";

/** A command's io that records what it writes, not a terminal, with an empty environment. */
export function captureIo(): DiscoverIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTty: false, env: {} };
}
