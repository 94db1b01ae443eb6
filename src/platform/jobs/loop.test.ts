import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBackgroundLoop } from './loop.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('startBackgroundLoop', () => {
  it('runs the work each interval, never two at once, and goes on after a failure', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let runs = 0;
    let release!: () => void;
    const loop = startBackgroundLoop(
      async () => {
        runs++;
        if (runs === 1) throw new Error('first run fails');
        if (runs === 2) await new Promise<void>((r) => (release = r));
      },
      { intervalMs: 100, onError: (e) => errors.push(e) },
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(1);
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100); // the second run starts and waits
    await vi.advanceTimersByTimeAsync(300); // ticks while it runs start nothing
    expect(runs).toBe(2);
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(3);
    await loop.stop();
  });

  it('stop waits for the run in progress, runs afterStop once, and no run follows', async () => {
    vi.useFakeTimers();
    const order: string[] = [];
    let release!: () => void;
    const loop = startBackgroundLoop(
      async (state) => {
        order.push('run');
        await new Promise<void>((r) => (release = r));
        order.push(state.stopped ? 'run ends, told to stop' : 'run ends');
      },
      {
        intervalMs: 50,
        onError: () => undefined,
        afterStop: async () => {
          order.push('afterStop');
        },
      },
    );
    await vi.advanceTimersByTimeAsync(50);
    const stopped = loop.stop();
    const again = loop.stop();
    release();
    await stopped;
    await again;
    await vi.advanceTimersByTimeAsync(500);
    expect(order).toEqual(['run', 'run ends, told to stop', 'afterStop']);
  });
});
