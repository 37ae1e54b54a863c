import type { StoreGuard } from "../guard/store-guard.js";

/**
 * Deletes every key matching `match` (a Redis glob, already escaped) page by page with SCAN and
 * DEL, never KEYS, so Redis never blocks on the whole keyspace.
 * @param onDeleted told of each page's deletions as they happen, so a failure part-way still counts them.
 * @throws StoreUnavailableError when Redis fails part-way.
 */
export async function scanDelete(guard: StoreGuard, match: string, onDeleted: (count: number) => void, pageSize = 1_000): Promise<void> {
  let cursor = "0";
  do {
    const page = await guard.call("scan", (d) => d.scan(cursor, match, pageSize));
    cursor = page.cursor;
    if (page.keys.length > 0) onDeleted(await guard.call("del", (d) => d.del(page.keys)));
  } while (cursor !== "0");
}
