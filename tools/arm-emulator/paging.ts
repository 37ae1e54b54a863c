import { armErrors, type ArmResponse } from "./arm-errors.js";

/** What a list route needs to cut a page and link the next one. */
export interface PageRequest {
  /** The request URL (emulator origin, normalized path, original query). */
  url: URL;
  pageSize: number;
}

const tokenPattern = /^\d+$/;

/** Encodes a list offset as an opaque `$skiptoken`. */
export function encodeSkipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

/** Decodes a `$skiptoken`; undefined when it is not one the emulator made. */
export function decodeSkipToken(token: string): number | undefined {
  const text = Buffer.from(token, "base64url").toString("utf8");
  const offset = text.startsWith("offset:") ? text.slice("offset:".length) : "";
  return tokenPattern.test(offset) ? Number(offset) : undefined;
}

/**
 * One page of `items` as ARM lists answer: `{ value, nextLink? }`, where nextLink is the request
 * URL with a `$skiptoken` for the next offset (every other query parameter kept).
 */
export function page<T>(items: readonly T[], request: PageRequest, map: (item: T) => unknown = (i) => i): ArmResponse {
  const token = request.url.searchParams.get("$skiptoken");
  const offset = token === null ? 0 : decodeSkipToken(token);
  if (offset === undefined) return armErrors.invalidSkipToken(token ?? "");
  const end = offset + request.pageSize;
  const body: { value: unknown[]; nextLink?: string } = { value: items.slice(offset, end).map(map) };
  if (end < items.length) {
    const next = new URL(request.url);
    next.searchParams.set("$skiptoken", encodeSkipToken(end));
    body.nextLink = next.toString();
  }
  return { status: 200, body };
}
