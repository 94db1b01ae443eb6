/**
 * A background loop on this instance: work run every `intervalMs` on an unref'd timer (it never keeps
 * the process alive), never two runs at once, a failure handed to `onError` and tried again next time.
 * The email delivery and the audit chainer run on it.
 */

export interface BackgroundLoop {
  /** Stops the timer, waits for the run in progress, then runs `afterStop` once. */
  stop(): Promise<void>;
}

/**
 * @example
 * const loop = startBackgroundLoop(() => deliverPending(…), {
 *   intervalMs: 5_000,
 *   onError: (error) => log.warn({ err: String(error) }, 'email delivery failed; will retry'),
 *   afterStop: () => transport.close(),
 * });
 * await loop.stop(); // before the pool closes
 */
export function startBackgroundLoop(
  work: (loop: { readonly stopped: boolean }) => Promise<unknown>,
  options: { intervalMs: number; onError: (error: unknown) => void; afterStop?: () => Promise<unknown> },
): BackgroundLoop {
  const state = { stopped: false };
  let running: Promise<void> | null = null;
  const run = () => {
    if (running || state.stopped) return;
    running = work(state)
      .then(() => undefined, options.onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(run, options.intervalMs);
  timer.unref();
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        state.stopped = true;
        clearInterval(timer);
        await running;
        await options.afterStop?.();
      })();
      return stopping;
    },
  };
}
