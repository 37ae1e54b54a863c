import { sanitisePayload, sanitiseText } from "../../security/index.js";
import { MonitoringResponseError } from "../errors/monitoring-response-error.js";
import { BackendClient, type BackendClientOptions } from "../http/backend-client.js";
import type { LogEntry, LogQueryResult, LogsQuerier, LogWindow } from "./log-entry.js";
import { lokiStreamsSchema } from "./response-schema.js";

/** Options of {@link LokiClient}. */
export interface LokiClientOptions extends Omit<BackendClientOptions, "backend"> {
  /** Sent as `X-Scope-OrgID` for a multi-tenant Loki. @default undefined (not sent) */
  tenant?: string;
}

const PATH = "/loki/api/v1/query_range";
const ns = (ms: number): string => (BigInt(Math.trunc(ms)) * 1_000_000n).toString();

/**
 * Log queries over Loki's HTTP API (`GET /loki/api/v1/query_range`) through the resilience
 * composition, with the streams merged into one list, oldest first. Lines and label values go
 * through the payload sanitiser (lib/security): an application's log line can quote a connection
 * string or a token, and the API must not serve it.
 */
export class LokiClient implements LogsQuerier {
  /** The HTTP side: base URL, policy and breakers. */
  readonly http: BackendClient;

  constructor(options: LokiClientOptions) {
    const { tenant, ...rest } = options;
    const headers = { ...rest.headers, ...(tenant !== undefined && { "X-Scope-OrgID": tenant }) };
    this.http = new BackendClient({ ...rest, headers, backend: "loki" });
  }

  /**
   * Lines of `logql` (a log query: a stream selector and filters) in the window.
   * @throws MonitoringUnavailableError, MonitoringQueryError, MonitoringResponseError.
   */
  async queryRange(logql: string, window: LogWindow, signal?: AbortSignal): Promise<LogQueryResult> {
    const limit = window.limit ?? 1000;
    const params = new URLSearchParams({
      query: logql,
      start: ns(window.startMs),
      end: ns(window.endMs),
      limit: String(limit),
      direction: window.direction ?? "backward",
    });
    const body = await this.http.requestJson({ path: PATH, params, query: logql, ...(signal && { signal }) });
    const parsed = lokiStreamsSchema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const issues = first ? `${first.path.join(".")}: ${first.message}` : "invalid body";
      throw new MonitoringResponseError("loki", this.http.endpoint(PATH), issues, { cause: parsed.error });
    }
    const entries: LogEntry[] = [];
    for (const { stream, values } of parsed.data.data.result) {
      const labels = sanitisePayload(stream);
      for (const [raw, line] of values) {
        const time = BigInt(raw);
        entries.push({ timeNs: time.toString(), timeMs: Number(time / 1_000_000n), line: sanitiseText(line), labels });
      }
    }
    entries.sort((a, b) => compareNs(a.timeNs, b.timeNs));
    return { entries, truncated: entries.length >= limit };
  }
}

/** Orders two canonical (no leading zeros) nanosecond strings numerically without losing precision. */
function compareNs(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
