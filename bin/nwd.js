#!/usr/bin/env node
// The `nwd` command. Loads the TypeScript sources through tsx so that no build step is needed.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
// Loading and compiling every module keeps most of what it allocates, which would grow V8's young
// generation to its largest (about 30 MB, then held for good) before the first request. It keeps its
// first size while the command starts (set after register(), whose loader thread resets V8's flags).
setFlagsFromString('--semi-space-growth-factor=1');
const { main } = await import('../src/main.ts');
await main(process.argv.slice(2));
if (process.argv[2] === 'start') {
  // Serving, it may grow again, as far as half its largest size: large enough that short-lived request
  // data dies young under load, small enough to keep the service's memory bounded.
  const YOUNG_GENERATION_BYTES = 16 * 2 ** 20;
  setFlagsFromString('--semi-space-growth-factor=2');
  const young = new PerformanceObserver(() => {
    const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (space && space.space_size >= YOUNG_GENERATION_BYTES) {
      setFlagsFromString('--semi-space-growth-factor=1');
      young.disconnect();
    }
  });
  young.observe({ entryTypes: ['gc'] });
}
