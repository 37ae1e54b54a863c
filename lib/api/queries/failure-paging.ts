import { z } from "zod";

import { decodeOffsetCursor, MAX_FAILURE_LIMIT } from "../../topology/index.js";
import { validationProblem } from "../problem.js";
import { intParam, text } from "./common.js";

/** `limit` and `cursor` of the failure-model routes: one page of every list. */
export const failurePageParams = {
  limit: intParam(1, MAX_FAILURE_LIMIT).optional(),
  cursor: text(200).optional(),
};

/** The offset a cursor stands for; a cursor this API did not return is a 400 naming `field`. */
export function offsetOf(cursor: string | undefined, field = "query.cursor"): number {
  if (cursor === undefined) return 0;
  const offset = decodeOffsetCursor(cursor);
  if (offset === undefined) throw validationProblem(field, `${field}: not a cursor this API returned`);
  return offset;
}

/** A zone of a region in a scenario body. */
export const zoneRefSchema = z.strictObject({
  region: z.string().min(1, "must not be empty").max(100),
  zone: z.string().regex(/^[1-9]\d?$/, 'must be a zone number such as "1"'),
});
