import { abortReason, type Sleep, startTimer, systemSleep } from "../common/clock.js";
import { TimeoutError } from "../errors/timeout-error.js";

/** Options of {@link withTimeout}. */
export interface TimeoutOptions {
  /** Limit in ms, counted from this call; `Infinity` for none. */
  timeoutMs: number;
  /** The caller's signal: aborting it aborts the work and rejects at once with its reason. */
  signal?: AbortSignal;
  /** Names the work in the TimeoutError message. @default "operation" */
  what?: string;
  /** Timer. @default systemSleep */
  sleep?: Sleep;
}

/**
 * Lets a caller cancel the work: called once with a `cancel` function, returns how to unsubscribe.
 * The worker pool uses this instead of a listener per task on one shared AbortSignal, which costs
 * microseconds per task in Node's EventTarget.
 */
export type CancelSubscription = (cancel: (reason: Error) => void) => () => void;

/**
 * An AbortController made on first use. Creating an AbortSignal is the largest cost of a short
 * task in Node (and most of its garbage), so work that never looks at its signal never pays for it.
 */
export class LazyAbort {
  private ctrl: AbortController | undefined;
  private reason: Error | undefined;

  /** The signal, created now if it was not yet; already aborted if the work was. */
  get signal(): AbortSignal {
    if (!this.ctrl) {
      this.ctrl = new AbortController();
      if (this.reason) this.ctrl.abort(this.reason);
    }
    return this.ctrl.signal;
  }

  /** Aborts the signal (now, or when it is first read). */
  abort(reason: Error): void {
    if (this.reason) return;
    this.reason = reason;
    this.ctrl?.abort(reason);
  }
}

/**
 * Runs `fn` with a signal that aborts after `timeoutMs` (reason: a {@link TimeoutError}) or when
 * the caller's signal aborts. Settles with whichever comes first: the work, the timeout, or the
 * caller's abort, without waiting for `fn` to notice the abort.
 *
 * Warning: `fn` keeps running after the rejection unless it honours the signal it is given; pass it
 * on to every request and timer inside.
 */
export function withTimeout<T>(fn: (signal: AbortSignal) => Promise<T>, options: TimeoutOptions): Promise<T> {
  const { signal: parent, ...rest } = options;
  if (parent?.aborted) return Promise.reject(abortReason(parent));
  const subscribe: CancelSubscription | undefined = parent
    ? (cancel) => {
        const onAbort = (): void => cancel(abortReason(parent));
        parent.addEventListener("abort", onAbort, { once: true });
        return () => parent.removeEventListener("abort", onAbort);
      }
    : undefined;
  return raceTimeout((work) => fn(work.signal), { ...rest, subscribe });
}

/**
 * {@link withTimeout} for hot paths: cancellation through a {@link CancelSubscription} instead of a
 * signal, and the work's signal made only if the work reads it.
 */
export function raceTimeout<T>(
  fn: (work: LazyAbort) => Promise<T>,
  options: Omit<TimeoutOptions, "signal"> & { subscribe?: CancelSubscription | undefined },
): Promise<T> {
  const { timeoutMs, what = "operation", sleep = systemSleep, subscribe } = options;
  const work = new LazyAbort();
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let stopTimer: (() => void) | undefined = undefined;
    let unsubscribe: (() => void) | undefined = undefined;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      unsubscribe?.();
      stopTimer?.();
      return true;
    };
    const cancel = (reason: Error): void => {
      if (!finish()) return;
      work.abort(reason);
      reject(reason);
    };
    unsubscribe = subscribe?.(cancel);
    // Cancelled while subscribing: finish() ran before there was anything to unsubscribe.
    if (done) unsubscribe?.();
    if (Number.isFinite(timeoutMs)) stopTimer = startTimer(timeoutMs, sleep, () => cancel(new TimeoutError(timeoutMs, what)));
    let running: Promise<T>;
    try {
      running = fn(work);
    } catch (e) {
      const thrown = e as Error;
      running = Promise.reject(thrown);
    }
    running.then(
      (value) => {
        if (finish()) resolve(value);
      },
      (e: unknown) => {
        const failure = e as Error;
        if (finish()) reject(failure);
      },
    );
  });
}
