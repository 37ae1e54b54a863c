/** Label and field names that carry a correlation id, by preference, compared without case, `-` and `_`. */
const NAMES = ["correlationid", "xcorrelationid", "requestid", "xrequestid", "operationid", "traceid", "xmsrequestid", "activityid"];

const normal = (name: string): string => name.toLowerCase().replace(/[-_.]/g, "");
const rank = (name: string): number => NAMES.indexOf(normal(name));
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{3,127}$/;

const KEY_VALUE =
  /(?:^|[\s{,;(["'])["']?((?:x[-_]?)?(?:ms[-_]?)?(?:correlation|request|operation|trace|activity)[-_.]?id)["']?\s*[=:]\s*["']?([A-Za-z0-9][A-Za-z0-9._:-]{3,127})/gi;
const TRACEPARENT = /\b00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}\b/;

function best(candidates: Iterable<[string, unknown]>): string | undefined {
  let found: { rank: number; id: string } | undefined;
  for (const [name, value] of candidates) {
    const r = rank(name);
    if (r < 0 || typeof value !== "string" || !ID.test(value)) continue;
    if (found === undefined || r < found.rank) found = { rank: r, id: value };
  }
  return found?.id;
}

function fromJson(line: string): string | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const record: unknown = JSON.parse(line);
    if (typeof record !== "object" || record === null) return undefined;
    const fields = Object.entries(record as Record<string, unknown>);
    const traceparent = fields.find(([k]) => k.toLowerCase() === "traceparent")?.[1];
    return best(fields) ?? (typeof traceparent === "string" ? TRACEPARENT.exec(traceparent)?.[1] : undefined);
  } catch {
    return undefined;
  }
}

/**
 * The correlation id of a log line, so one request can be followed across resources. Looks, in
 * order, at the stream's labels, JSON fields, `key=value` / `key: value` pairs in the text (names
 * like `correlationId`, `x-request-id`, `trace_id`, `operation_Id`; a correlation id is preferred
 * to a request id, a request id to a trace id), then a W3C `traceparent` (its trace id).
 */
export function correlationIdOf(line: string, labels: Readonly<Record<string, string>> = {}): string | undefined {
  return (
    best(Object.entries(labels)) ??
    fromJson(line) ??
    best([...line.matchAll(KEY_VALUE)].map((m) => [m[1] ?? "", m[2]] as [string, unknown])) ??
    TRACEPARENT.exec(line)?.[1]
  );
}
