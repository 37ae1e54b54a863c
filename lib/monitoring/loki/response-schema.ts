import { z } from "zod";

const nanoseconds = z.string().regex(/^\d{1,20}$/, "a Unix time in nanoseconds");

/**
 * A successful `query_range` answer for a log query, as Loki documents it:
 * `{"status":"success","data":{"resultType":"streams","result":[{"stream":{…},"values":[["<ns>","line"]]}]}}`.
 * A value may carry a third element (structured metadata), which is ignored.
 */
export const lokiStreamsSchema = z.object({
  status: z.literal("success"),
  data: z.object({
    resultType: z.literal("streams"),
    result: z.array(
      z.object({
        stream: z.record(z.string(), z.string()),
        values: z.array(z.tuple([nanoseconds, z.string()], z.unknown())),
      }),
    ),
    stats: z.unknown().optional(),
  }),
});

/** A parsed streams answer. */
export type LokiStreams = z.output<typeof lokiStreamsSchema>;
