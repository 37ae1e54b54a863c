import azureFunctions, {
  type FunctionOutput,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
  type StorageQueueOutput,
  type Timer,
} from "@azure/functions";
import { z } from "zod";

import { getStore } from "../cache/index.js";
import { getConfig } from "../config/index.js";
import { getLogger, withLogScope } from "../log/index.js";
import { isFinal, type RunMessage, runMessageSchema } from "../runs/records.js";
import type { RunService, RunView, StartOutcome } from "../runs/run-service.js";
import { appScope } from "./app-scope.js";
import { hostAuthLevel } from "./auth.js";
import { apiHandler, boundedText, json, type RouteDefinition } from "./handler.js";
import { isLocalInvocation } from "./local-invocation.js";
import { conflict, fromZodError, notFound, type ProblemError, tooManyRequests, validationProblem } from "./problem.js";
import { type StartCooldown, storeCooldown } from "./start-cooldown.js";

// Names the package's CommonJS build hides from Node's ESM loader come from its default export.
const { output } = azureFunctions;

/** The queue of discovery work; infra/ creates it and its `-poison` twin. */
export const DISCOVERY_QUEUE = "discovery-runs";
/** Where the Functions host moves a message that failed `maxDequeueCount` times (host.json). */
export const DISCOVERY_POISON_QUEUE = `${DISCOVERY_QUEUE}-poison`;
/** The app setting (prefix) of the storage account the queues live in. */
export const QUEUE_CONNECTION = "AzureWebJobsStorage";

/** The output binding every producer of discovery messages sets. */
export const discoveryQueueOutput: StorageQueueOutput = output.storageQueue({ queueName: DISCOVERY_QUEUE, connection: QUEUE_CONNECTION });

/** A queue-triggered function, defined once for the Functions host and `topdeck serve`. */
export interface QueueWorkerDefinition {
  name: string;
  queueName: string;
  connection: string;
  extraOutputs: FunctionOutput[];
  handler: (message: unknown, context: InvocationContext) => Promise<void>;
}

/** A timer-triggered function. */
export interface TimerDefinition {
  name: string;
  /** NCRONTAB, UTC. */
  schedule: string;
  useMonitor: boolean;
  extraOutputs: FunctionOutput[];
  handler: (timer: Timer, context: InvocationContext) => Promise<void>;
}

/** The discovery-run routes and triggers. */
export interface RunFunctions {
  startRun: RouteDefinition;
  run: RouteDefinition;
  latestRun: RouteDefinition;
  worker: QueueWorkerDefinition;
  poison: QueueWorkerDefinition;
  timer: TimerDefinition;
}

const runIdParams = z.object({
  runId: z.uuid({ message: "must be a run id (a UUID) or latest" }),
});

/** A POST body, when one is sent, must be an empty JSON object: runs take their scope from the settings. */
const startBody = z.strictObject({});

/**
 * Where a run is read: a path on the same host (RFC 9110 allows a relative Location), so it holds
 * behind any proxy and never echoes a caller's Host header.
 */
export function runLocation(runId: string): string {
  return `/api/discovery/runs/${encodeURIComponent(runId)}`;
}

let appCooldown: StartCooldown | undefined;

/** The app's start cooldown: DISCOVERY_START_COOLDOWN_MS per scope, kept in the app's store. */
function appStartCooldown(): StartCooldown {
  appCooldown ??= storeCooldown({ locks: getStore().locks, scope: appScope, cooldownMs: getConfig().DISCOVERY_START_COOLDOWN_MS });
  return appCooldown;
}

/**
 * `POST /discovery/runs`, `GET /discovery/runs/{runId}`, `GET /discovery/runs/latest`, the queue
 * worker and its poison handler, and the timer (docs/api.md, "Discovery runs"). `service` is
 * called on first use, so importing builds nothing. `cooldown` spaces HTTP starts of the scope
 * (429 with Retry-After); `topdeck serve`'s own invocations and the timer skip it.
 */
export function createRunFunctions(
  service: () => RunService,
  schedule: () => string,
  cooldown: () => StartCooldown = appStartCooldown,
): RunFunctions {
  return {
    startRun: startRunRoute(service, cooldown),
    run: runRoute(service),
    latestRun: latestRunRoute(service),
    worker: workerDefinition(service),
    poison: poisonDefinition(service),
    timer: timerDefinition(service, schedule),
  };
}

/** `POST /discovery/runs`: checks the body and the cooldown, starts a run and queues its first messages. */
function startRunRoute(service: () => RunService, cooldown: () => StartCooldown): RouteDefinition {
  return {
    name: "discoveryRunStart",
    route: "discovery/runs",
    methods: ["POST"],
    authLevel: hostAuthLevel("function"),
    extraOutputs: [discoveryQueueOutput],
    handler: apiHandler(
      async (request, context) => {
        await checkStartBody(request);
        if (!isLocalInvocation(context)) await claimStartCooldown(service, cooldown);
        const outcome = await service().start("http");
        if (!outcome.started) throw notStartedConflict(outcome);
        context.extraOutputs.set(discoveryQueueOutput, outcome.messages);
        return json(202, outcome.run, { location: runLocation(outcome.run.runId), "cache-control": "no-store" });
      },
      { access: "operator" },
    ),
  };
}

/** A start's body, when one is sent, must be an empty JSON object. @throws ProblemError 400 otherwise. */
async function checkStartBody(request: HttpRequest): Promise<void> {
  const text = await boundedText(request);
  if (text.trim().length === 0) return;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw validationProblem("body", "body: must be a JSON object (or empty)");
  }
  const parsed = startBody.safeParse(body);
  if (!parsed.success) throw fromZodError("body", parsed.error);
}

/**
 * Claims the scope's start cooldown. @throws ProblemError 409 naming the run still holding the
 * scope, else 429 with the seconds left, when the cooldown is not over.
 */
async function claimStartCooldown(service: () => RunService, cooldown: () => StartCooldown): Promise<void> {
  const claim = await cooldown().claim();
  if (claim.allowed) return;
  // A run still holding the scope is the answer callers need (409 naming it), not the cooldown.
  const latest = await service()
    .latestSummary()
    .catch(() => undefined);
  if (latest !== undefined && !isFinal(latest.status)) {
    throw conflict(`Discovery run ${latest.runId} of this scope is still running.`, {
      runId: latest.runId,
      location: runLocation(latest.runId),
    });
  }
  const seconds = Math.max(1, Math.ceil(claim.retryAfterMs / 1000));
  throw tooManyRequests(
    `A discovery run of this scope was started less than DISCOVERY_START_COOLDOWN_MS ago; try again in ${seconds} s.`,
    seconds,
  );
}

/** The 409 of a start the scope's lock refused: the running run, or a start that never recorded its run. */
function notStartedConflict(outcome: Extract<StartOutcome, { started: false }>): ProblemError {
  if (outcome.reason === "unrecorded") {
    return conflict(
      "The scope's lock is held by a run start that never recorded its run (it failed half-way); the lock expires within DISCOVERY_LOCK_TTL_MS. Try again then.",
    );
  }
  const runId = outcome.runningRunId;
  return conflict(`Discovery run ${runId} of this scope is still running.`, { runId, location: runLocation(runId) });
}

/** `GET /discovery/runs/{runId}`. */
function runRoute(service: () => RunService): RouteDefinition {
  return {
    name: "discoveryRun",
    route: "discovery/runs/{runId}",
    methods: ["GET"],
    authLevel: hostAuthLevel("function"),
    handler: apiHandler(async (request) => {
      const parsed = runIdParams.safeParse(request.params);
      if (!parsed.success) throw fromZodError("path", parsed.error);
      return runViewResponse(
        () => service().view(parsed.data.runId.toLowerCase()),
        `No discovery run ${parsed.data.runId} is known (runs are kept for 7 days).`,
        "path.runId",
      );
    }),
  };
}

/** `GET /discovery/runs/latest`. */
function latestRunRoute(service: () => RunService): RouteDefinition {
  return {
    name: "discoveryRunLatest",
    route: "discovery/runs/latest",
    methods: ["GET"],
    authLevel: hostAuthLevel("function"),
    handler: apiHandler(async () =>
      runViewResponse(
        () => service().latest(),
        "No discovery run of this scope has been started yet; POST /api/discovery/runs starts one.",
      ),
    ),
  };
}

/** A run view as a 200, never cached. @throws ProblemError 404 with `missing` when there is none. */
async function runViewResponse(find: () => Promise<RunView | undefined>, missing: string, field?: string): Promise<HttpResponseInit> {
  const found = await find();
  if (found === undefined) throw notFound(missing, field);
  return json(200, found, { "cache-control": "no-store" });
}

/** The queue worker: handles one run message and queues the messages it leads to. */
function workerDefinition(service: () => RunService): QueueWorkerDefinition {
  return {
    name: "discoveryWorker",
    queueName: DISCOVERY_QUEUE,
    connection: QUEUE_CONNECTION,
    extraOutputs: [discoveryQueueOutput],
    handler: async (message, context) => {
      const parsed = parseMessage(message);
      const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
      await withLogScope(
        { correlationId: parsed.success ? parsed.data.runId : context.invocationId, operation: "discoveryWorker", sink: context },
        async () => {
          if (!parsed.success) return dropped(parsed.error);
          const next = await service().handle(parsed.data, { dequeueCount: Number.isFinite(dequeueCount) ? dequeueCount : 1 });
          if (next.length > 0) context.extraOutputs.set(discoveryQueueOutput, next);
        },
      );
    },
  };
}

/** The poison handler: reports a message the worker gave up on in its run. */
function poisonDefinition(service: () => RunService): QueueWorkerDefinition {
  return {
    name: "discoveryPoison",
    queueName: DISCOVERY_POISON_QUEUE,
    connection: QUEUE_CONNECTION,
    extraOutputs: [],
    handler: async (message, context) => {
      const parsed = parseMessage(message);
      await withLogScope(
        { correlationId: parsed.success ? parsed.data.runId : context.invocationId, operation: "discoveryPoison", sink: context },
        async () => {
          if (!parsed.success) return dropped(parsed.error);
          await service().poisoned(parsed.data);
        },
      );
    },
  };
}

/** The timer: starts a scheduled run unless one of the scope is still running. */
function timerDefinition(service: () => RunService, schedule: () => string): TimerDefinition {
  return {
    name: "discoveryTimer",
    get schedule() {
      return schedule();
    },
    useMonitor: true,
    extraOutputs: [discoveryQueueOutput],
    handler: async (timer, context) => {
      await withLogScope({ correlationId: context.invocationId, operation: "discoveryTimer", sink: context }, async () => {
        const log = getLogger();
        if (timer.isPastDue)
          log.warn("discovery timer is past due (a scheduled run was missed, e.g. while the app was stopped); starting now");
        const outcome = await service().start("timer");
        if (!outcome.started) {
          log.info("scheduled discovery skipped: a run of this scope is still running", { runningRunId: outcome.runningRunId });
          return;
        }
        context.extraOutputs.set(discoveryQueueOutput, outcome.messages);
      });
    },
  };
}

/** A queue message as a RunMessage (the host hands JSON text when it did not parse it). */
function parseMessage(message: unknown): z.ZodSafeParseResult<RunMessage> {
  let value = message;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      // reported by the schema below
    }
  }
  return runMessageSchema.safeParse(value);
}

/** Logs a message that is not a run message; it is dropped, since retrying cannot fix it. */
function dropped(error: z.ZodError): void {
  getLogger().error("discovery queue message is not a run message; dropped", { issue: error.issues[0]?.message });
}
