/** Totals over the items an {@link ErrorTracker} has seen; an item counts by its last outcome. */
export interface ErrorSummary {
  /** Distinct items recorded. */
  total: number;
  /** Items whose last outcome was a success. */
  succeeded: number;
  /** Items whose last outcome was an error. */
  failed: number;
  /** failed / total; 0 when nothing was recorded. */
  errorRate: number;
  /** Failed items per error type (the error's `name`). */
  byType: Record<string, number>;
  /** Failed items per code (the error's `code`, else `HTTP_<status>`, else "unknown"). */
  byCode: Record<string, number>;
}
