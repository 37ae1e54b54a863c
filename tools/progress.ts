import type { SubscriptionProgress } from "../lib/azure/discover-subscription.js";

/** A live progress line on stderr: rewritten in place on a terminal, a line every few seconds otherwise. */
export class ProgressLine {
  private readonly bySubscription = new Map<string, SubscriptionProgress>();
  private lastWrite = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly isTty: boolean,
    private readonly now: () => number = Date.now,
    private readonly everyMs = 2_000,
  ) {}

  /** Takes one subscription's progress and redraws. */
  update(p: SubscriptionProgress): void {
    this.bySubscription.set(p.subscriptionId, p);
    const t = this.now();
    if (!this.isTty && t - this.lastWrite < this.everyMs && p.typesDone < p.typesTotal) return;
    this.lastWrite = t;
    this.write(this.isTty ? `\r\x1b[2K${this.text()}` : `${this.text()}\n`);
  }

  /** Ends the line on a terminal. */
  done(): void {
    if (this.isTty && this.lastWrite > 0) this.write("\n");
  }

  /** The current line's text. */
  text(): string {
    let done = 0;
    let total = 0;
    let resources = 0;
    let throttled = 0;
    let errors = 0;
    for (const p of this.bySubscription.values()) {
      done += p.typesDone;
      total += p.typesTotal;
      resources += p.resources;
      throttled += p.throttled;
      errors += p.errors;
    }
    return `discover: ${this.bySubscription.size} subscription(s), types ${done}/${total}, resources ${resources}, throttled ${throttled}, errors ${errors}`;
  }
}
