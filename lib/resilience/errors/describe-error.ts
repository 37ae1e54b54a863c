import { statusOf } from "../common/headers.js";

/** What a thrown value says about itself, for a run's error record and a log line. */
export interface ErrorDescription {
  /** The error's `name` ("RestError", "TimeoutError", ...), or its JS type when it is not an Error. */
  type: string;
  /** The error's `code`, else `HTTP_<status>`, else "unknown". */
  code: string;
  /** HTTP status, when the error carries one. */
  status?: number;
  message: string;
}

/** Describes any thrown value as {type, code, status, message}. */
export function describeError(e: unknown): ErrorDescription {
  const status = statusOf(e);
  const o = typeof e === "object" && e !== null ? (e as { name?: unknown; code?: unknown; message?: unknown }) : {};
  const type = typeof o.name === "string" && o.name !== "" ? o.name : e === null ? "null" : typeof e;
  const code = typeof o.code === "string" && o.code !== "" ? o.code : status !== undefined ? `HTTP_${status}` : "unknown";
  const message = typeof o.message === "string" ? o.message : String(e);
  return status === undefined ? { type, code, message } : { type, code, status, message };
}
