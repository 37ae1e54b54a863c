import { RedisConnection } from "./connection.js";
import { RedisUnavailableError } from "./errors.js";

/** Where the pool connects and how many connections it may hold. */
export interface RedisPoolOptions {
  readonly host: string;
  readonly port: number;
  /** @default 8 */
  readonly maxConnections?: number;
  /** @default 2000 */
  readonly connectTimeoutMs?: number;
}

/**
 * Lends each caller a connection of its own for the whole of its work, so a MULTI ... EXEC
 * never interleaves with another request. Connections open on demand: after redis-server
 * restarts, the next borrower simply gets a fresh one.
 */
export class RedisPool {
  private readonly idle: RedisConnection[] = [];
  private readonly all = new Set<RedisConnection>();
  private readonly waiters: (() => void)[] = [];
  private opening = 0;
  private closed = false;
  private readonly maxConnections: number;
  private readonly connectTimeoutMs: number;

  constructor(private readonly options: RedisPoolOptions) {
    this.maxConnections = options.maxConnections ?? 8;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  }

  /** Runs `work` with a connection nobody else uses meanwhile, then returns it to the pool. */
  async withConnection<T>(work: (connection: RedisConnection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await work(connection);
    } finally {
      this.release(connection);
    }
  }

  /** Closes every connection; borrowers still waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const connection of this.all) connection.destroy();
    this.all.clear();
    this.idle.length = 0;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private async acquire(): Promise<RedisConnection> {
    for (;;) {
      if (this.closed) throw new RedisUnavailableError("the bridge is closing", "closed");
      const idle = this.idle.pop();
      if (idle) {
        if (idle.alive) return idle;
        this.all.delete(idle);
        continue;
      }
      if (this.all.size + this.opening < this.maxConnections) return this.open();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private async open(): Promise<RedisConnection> {
    this.opening++;
    try {
      const connection = await RedisConnection.open(this.options.host, this.options.port, this.connectTimeoutMs);
      if (this.closed) {
        connection.destroy();
        throw new RedisUnavailableError("the bridge is closing", "closed");
      }
      this.all.add(connection);
      return connection;
    } finally {
      this.opening--;
      // A failed attempt frees a slot another borrower may be waiting for.
      this.wakeOne();
    }
  }

  private release(connection: RedisConnection): void {
    if (connection.alive && !this.closed) this.idle.push(connection);
    else {
      this.all.delete(connection);
      connection.destroy();
    }
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiters.shift()?.();
  }
}
