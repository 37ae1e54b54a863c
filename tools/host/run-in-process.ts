import { createRunFunctions } from "../../lib/api/runs.js";
import { isStoreUnavailableError } from "../../lib/cache/index.js";
import type { Logger } from "../../lib/log/index.js";
import type { RunTrigger } from "../../lib/runs/records.js";
import type { RunService, RunView, StartOutcome } from "../../lib/runs/run-service.js";
import type { TopologyExport } from "../../lib/topology/export-format.js";
import { LocalQueue } from "./local-queue.js";

/** Options of {@link runInProcess}. */
export interface RunInProcessOptions {
  trigger: RunTrigger;
  log: Logger;
  /** The queue to run on (serve's, shared with its HTTP routes). @default a queue of its own, closed after the run */
  queue?: LocalQueue;
  /** Deliveries of a message before it is poisoned. @default 5 */
  maxDequeueCount?: number;
  /** Wait before a redelivery, times the delivery count. @default 500 */
  retryDelayMs?: number;
}

/** What {@link runInProcess} ended with. */
export type InProcessRun =
  | { started: false; refused: Exclude<StartOutcome, { started: true }> }
  | { started: true; view: RunView | undefined; export: TopologyExport | undefined };

/**
 * One run through the same RunService, lock and queue handlers the function app uses, with the
 * queue in this process: starts it, delivers its messages (redelivering and poisoning as the host
 * does) until none is left, and reads back its view and, when it committed, its snapshot.
 * @throws StoreUnavailableError when the store fails the start (no run was started), or keeps
 *   failing the reads of the finished run's outcome.
 */
export async function runInProcess(service: RunService, options: RunInProcessOptions): Promise<InProcessRun> {
  const outcome = await service.start(options.trigger);
  if (!outcome.started) return { started: false, refused: outcome };
  let queue = options.queue;
  const own = queue === undefined;
  if (queue === undefined) {
    const functions = createRunFunctions(
      () => service,
      () => "0 0 0 * * *",
    );
    queue = new LocalQueue({
      worker: functions.worker,
      poison: functions.poison,
      log: options.log,
      ...(options.maxDequeueCount === undefined ? {} : { maxDequeueCount: options.maxDequeueCount }),
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    });
  }
  queue.send(outcome.messages);
  await queue.idle();
  if (own) await queue.close();
  // The run is over: a blip while reading its outcome back must not read as "no run started".
  const view = await readBack(() => service.view(outcome.run.runId));
  const committed = view?.result?.committed === true ? await readBack(() => service.committed(outcome.run.runId)) : undefined;
  return { started: true, view, export: committed };
}

/** Reads that a failing store answers on a second or third try (each failure is one blip). */
async function readBack<T>(read: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!isStoreUnavailableError(error) || attempt >= attempts) throw error;
    }
  }
}
