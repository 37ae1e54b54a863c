import { connect, type Socket } from "node:net";

import { RedisUnavailableError } from "./errors.js";
import { encodeCommand, RespParser, type RespReply } from "./resp.js";

interface PendingBatch {
  readonly expected: number;
  readonly replies: RespReply[];
  readonly resolve: (replies: RespReply[]) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** One TCP connection to redis-server that sends batches of commands and matches replies in order. */
export class RedisConnection {
  private readonly parser = new RespParser();
  private readonly pending: PendingBatch[] = [];
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly where: string,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (err) => this.fail(new RedisUnavailableError(`redis at ${where}: ${err.message}`, "closed", { cause: err })));
    socket.on("close", () => this.fail(new RedisUnavailableError(`redis at ${where} closed the connection`, "closed")));
  }

  /** Opens a connection, failing with RedisUnavailableError when refused or not accepted in `connectTimeoutMs`. */
  static open(host: string, port: number, connectTimeoutMs: number): Promise<RedisConnection> {
    const where = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RedisUnavailableError(`redis at ${where} did not accept a connection within ${connectTimeoutMs} ms`, "connect"));
      }, connectTimeoutMs);
      socket.once("error", (err) => {
        clearTimeout(timer);
        reject(new RedisUnavailableError(`cannot connect to redis at ${where}: ${err.message}`, "connect", { cause: err }));
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new RedisConnection(socket, where));
      });
    });
  }

  /** False once the connection failed or closed; a dead connection is never reused. */
  get alive(): boolean {
    return this.failure === undefined && !this.socket.destroyed;
  }

  /**
   * Sends the commands in one write and resolves with one reply per command, error replies included.
   * Warning: a batch that outlives `timeoutMs` destroys the connection, since its state is then unknown.
   */
  exchange(commands: readonly (readonly Buffer[])[], timeoutMs: number): Promise<RespReply[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (commands.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new RedisUnavailableError(`redis at ${this.where} did not answer within ${timeoutMs} ms`, "timeout"));
      }, timeoutMs);
      this.pending.push({ expected: commands.length, replies: [], resolve, reject, timer });
      this.socket.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
    });
  }

  /** Closes the connection; batches still waiting fail. */
  destroy(): void {
    this.fail(new RedisUnavailableError(`connection to redis at ${this.where} was closed by the bridge`, "closed"));
  }

  private onData(chunk: Buffer): void {
    let replies: RespReply[];
    try {
      replies = this.parser.push(chunk);
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    for (const reply of replies) {
      const batch = this.pending[0];
      if (!batch) {
        this.fail(new RedisUnavailableError(`redis at ${this.where} sent a reply nobody asked for`, "closed"));
        return;
      }
      batch.replies.push(reply);
      if (batch.replies.length === batch.expected) {
        this.pending.shift();
        clearTimeout(batch.timer);
        batch.resolve(batch.replies);
      }
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.socket.destroy();
    for (const batch of this.pending.splice(0)) {
      clearTimeout(batch.timer);
      batch.reject(this.failure);
    }
  }
}
