/**
 * Cuts a stream of bytes into base64 chunks of a fixed size and hands each to `onChunk` as soon
 * as it is full, with at most `concurrency` in flight: what both parts of a snapshot (payload
 * blocks, then the graph index) are written through. Chunks are cut at multiples of 3 bytes, so
 * each is valid base64 on its own.
 */
export class ChunkSink {
  private readonly chunkRaw: number;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private written = 0;
  /** Chunks handed out so far (the next chunk's index is `first + chunks`). */
  chunks = 0;
  /** Base64 characters handed out so far. */
  storedBytes = 0;

  constructor(
    chunkChars: number,
    private readonly onChunk: (chunk: string, index: number) => Promise<void>,
    private readonly concurrency = 4,
    private readonly first = 0,
  ) {
    this.chunkRaw = Math.floor(chunkChars / 4) * 3;
    if (!(this.chunkRaw >= 3)) throw new RangeError(`Expected \`chunkChars\` to be 4 or more, got ${chunkChars}`);
  }

  /** Bytes written so far: the offset the next byte will have. */
  get offset(): number {
    return this.written;
  }

  /** Takes bytes; waits while `concurrency` chunks are in flight. @throws what `onChunk` threw. */
  async write(bytes: Buffer): Promise<void> {
    this.written += bytes.length;
    this.held.push(bytes);
    this.heldBytes += bytes.length;
    if (this.heldBytes < this.chunkRaw) return;
    let all = Buffer.concat(this.held, this.heldBytes);
    while (all.length >= this.chunkRaw) {
      await this.emit(all.subarray(0, this.chunkRaw));
      all = all.subarray(this.chunkRaw);
    }
    this.held = [all];
    this.heldBytes = all.length;
  }

  /** Hands out what is left (one chunk at least, so an empty stream is one empty chunk) and waits for every chunk. */
  async end(): Promise<void> {
    if (this.heldBytes > 0 || this.chunks === 0) await this.emit(Buffer.concat(this.held, this.heldBytes));
    this.held = [];
    this.heldBytes = 0;
    await this.settle();
    if (this.failure) throw this.failure.error;
  }

  /** Waits for the chunks in flight, whatever they do (after a failure elsewhere). */
  async settle(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  private async emit(bytes: Buffer): Promise<void> {
    const chunk = bytes.toString("base64");
    this.storedBytes += chunk.length;
    const sent: Promise<void> = this.onChunk(chunk, this.first + this.chunks++).then(
      () => void this.inFlight.delete(sent),
      (error: unknown) => {
        this.inFlight.delete(sent);
        this.failure ??= { error };
      },
    );
    this.inFlight.add(sent);
    if (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure.error;
  }
}
