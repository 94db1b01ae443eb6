/**
 * Measures what one argon2id hash costs on this machine, for choosing `ARGON2_PARAMS` in `password.ts`.
 * The target is 50–100 ms per hash (issue 3): slow enough to make offline guessing expensive, fast
 * enough that sign-in stays quick and a burst of sign-ins does not starve the server.
 *
 *   node bin/run-ts.js src/platform/auth/credentials/calibrate.ts [runs]
 *
 * Prints the median and range of `runs` hashes (default 7, after one warm-up) for each candidate, then
 * the cost of the parameters currently in use.
 */
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { hash, type Options } from '@node-rs/argon2';
import { ARGON2_PARAMS } from './password.ts';

const MIB = 1024;
const candidates: Options[] = [];
for (const memoryCost of [19 * MIB, 32 * MIB, 46 * MIB, 56 * MIB, 64 * MIB]) {
  for (const timeCost of [1, 2, 3, 4]) candidates.push({ memoryCost, timeCost, parallelism: 1 });
}

const runs = Math.max(1, Number(process.argv[2] ?? 7) || 7);
const out = (line: string): void => void process.stdout.write(`${line}\n`);

async function measure(options: Options): Promise<{ median: number; min: number; max: number }> {
  await hash('warm-up password, synthetic', { ...options, algorithm: ARGON2_PARAMS.algorithm });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await hash(`synthetic calibration password ${i}`, { ...options, algorithm: ARGON2_PARAMS.algorithm });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times[times.length - 1]! };
}

function describe(o: Options): string {
  return `m=${String((o.memoryCost ?? 0) / MIB).padStart(2)} MiB t=${o.timeCost} p=${o.parallelism}`;
}

out(`argon2id on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} CPUs), Node ${process.version}`);
out(`${runs} hashes per candidate; target 50–100 ms\n`);
for (const candidate of candidates) {
  const { median, min, max } = await measure(candidate);
  const mark = median >= 50 && median <= 100 ? '  <- in range' : '';
  out(
    `${describe(candidate)}  median ${median.toFixed(1).padStart(6)} ms  (${min.toFixed(1)}–${max.toFixed(1)})${mark}`,
  );
}
const current = await measure(ARGON2_PARAMS);
out(`\nin use: ${describe(ARGON2_PARAMS)}  median ${current.median.toFixed(1)} ms`);
