/** Milliseconds since the epoch, as `Date.now` returns them. */
export type Now = () => number;

/** A number in [0, 1), as `Math.random` returns it. */
export type Random = () => number;

/**
 * Resolves after `ms` milliseconds; rejects with `signal.reason` as soon as `signal` aborts, and
 * then leaves no timer behind.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The injectable sources of time and chance every policy here accepts. */
export interface ClockOptions {
  /** Wall-clock reader. @default Date.now */
  now?: Now;
  /** Random source for jitter. @default Math.random */
  random?: Random;
  /** Timer. Tests pass a fake, or use fake timers with the default. @default systemSleep */
  sleep?: Sleep;
}

/** The real `Sleep`: a `setTimeout` that an AbortSignal cancels. */
export const systemSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });

const CANCELLED = new Error("timer cancelled");

/**
 * Calls `fire` after `ms` unless the returned function is called first. With the real sleep it is a
 * bare `setTimeout` (an AbortController and listener per timer would cost more than the rest of a
 * short task); an injected sleep is used as given.
 */
export function startTimer(ms: number, sleep: Sleep, fire: () => void): () => void {
  if (sleep === systemSleep) {
    const timer = setTimeout(fire, Math.max(0, ms));
    return () => clearTimeout(timer);
  }
  const ctrl = new AbortController();
  sleep(ms, ctrl.signal).then(fire, () => undefined);
  return () => ctrl.abort(CANCELLED);
}

/**
 * The reason a signal aborted with; a DOMException AbortError when it gave none. Typed as Error, as
 * `abort()` and every caller here supply one, though a caller may abort with anything.
 */
export function abortReason(signal: AbortSignal | undefined): Error {
  return (signal?.reason as Error | undefined) ?? new DOMException("This operation was aborted", "AbortError");
}

/** Throws the signal's reason if it has already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/** True for the error an aborted fetch, timer or SDK call rejects with (`name === "AbortError"`). */
export function isAbortError(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "AbortError";
}
