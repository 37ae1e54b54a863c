import { randomUUID } from "node:crypto";

import azureFunctions, { type FunctionOutput } from "@azure/functions";
import pLimit from "p-limit";

import type { QueueWorkerDefinition } from "../../lib/api/runs.js";
import type { Logger } from "../../lib/log/index.js";

const { InvocationContext } = azureFunctions;

/** Options of {@link LocalQueue}. */
export interface LocalQueueOptions {
  /** The worker and the handler of messages it gave up on. */
  worker: QueueWorkerDefinition;
  poison: QueueWorkerDefinition;
  log: Logger;
  /** Messages handled at once (the host's batch size per instance). @default 4 */
  concurrency?: number;
  /** Deliveries before a message goes to `poison` (host.json maxDequeueCount). @default 5 */
  maxDequeueCount?: number;
  /** Wait before redelivery, times the delivery count (host.json visibilityTimeout). @default 500 */
  retryDelayMs?: number;
}

/**
 * The storage queue in process, for `topdeck serve`: messages a handler sets on its queue output
 * are delivered to the worker (as JSON, like the host does), a delivery that throws is retried
 * with a growing delay and its `dequeueCount`, and after `maxDequeueCount` deliveries the message
 * goes to the poison handler. The same handlers the function app registers run unchanged.
 */
export class LocalQueue {
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly pending = new Set<Promise<void>>();
  private readonly maxDequeueCount: number;
  private readonly retryDelayMs: number;
  private closed = false;

  constructor(private readonly options: LocalQueueOptions) {
    this.limit = pLimit(options.concurrency ?? 4);
    this.maxDequeueCount = options.maxDequeueCount ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 500;
  }

  /** Takes what a handler set on `output`, if it is this queue's binding. */
  accept(output: FunctionOutput, value: unknown): void {
    const queueName = (output as { queueName?: unknown }).queueName;
    if (output.type !== "queue" || queueName !== this.options.worker.queueName || value === undefined) return;
    this.send(Array.isArray(value) ? value : [value]);
  }

  /** Enqueues messages. */
  send(messages: readonly unknown[]): void {
    if (this.closed) {
      this.options.log.warn("local queue closed; messages dropped", { count: messages.length });
      return;
    }
    for (const message of messages) {
      const body: unknown = JSON.parse(JSON.stringify(message));
      const task = this.limit(() => this.deliver(body));
      this.pending.add(task);
      void task.finally(() => this.pending.delete(task));
    }
  }

  /** True while a message is queued or being handled. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Resolves once no message is queued or being handled (including the ones handling adds). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stops taking messages and waits for the ones in hand. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private async deliver(message: unknown): Promise<void> {
    const { worker, poison, log } = this.options;
    const id = randomUUID();
    for (let dequeueCount = 1; dequeueCount <= this.maxDequeueCount; dequeueCount++) {
      const context = new InvocationContext({
        functionName: worker.name,
        invocationId: randomUUID(),
        triggerMetadata: { id, dequeueCount },
        options: {
          trigger: { type: "queueTrigger", name: "message", queueName: worker.queueName, connection: worker.connection },
          extraOutputs: worker.extraOutputs,
          extraInputs: [],
        },
        logHandler: () => undefined,
      });
      try {
        await worker.handler(message, context);
        for (const output of worker.extraOutputs) this.accept(output, context.extraOutputs.get(output));
        return;
      } catch (error) {
        log.warn("queue message failed; it will be redelivered", { id, dequeueCount, maxDequeueCount: this.maxDequeueCount, error });
        if (dequeueCount < this.maxDequeueCount) await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * dequeueCount));
      }
    }
    log.error("queue message moved to the poison handler", { id, maxDequeueCount: this.maxDequeueCount });
    const context = new InvocationContext({
      functionName: poison.name,
      invocationId: randomUUID(),
      triggerMetadata: { id, dequeueCount: 1 },
      logHandler: () => undefined,
    });
    try {
      await poison.handler(message, context);
    } catch (error) {
      log.error("poison handler failed; the message is dropped", { id, error });
    }
  }
}
