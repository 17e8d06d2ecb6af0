/**
 * `npm run bench:input`: how fast hostile input is turned away, timed here rather than in unit
 * tests (a timed unit test fails on a busy machine, and this one is shared):
 *
 * - the URL codec decoding a crafted 8 KB value for every numeric key (a backtracking number
 *   pattern took 100-300 ms on one; linear decoding takes well under a millisecond). Budget:
 *   50 ms for the slowest key, best of three;
 * - `sim bench` refusing the 2M-thread run at 4,096 CPUs from its estimate, before it simulates
 *   anything. Budget: 2 s.
 *
 * Prints each figure beside its budget; exits 1 on a miss.
 */
import { performance } from 'node:perf_hooks';
import { runBench } from '../src/cli/bench.ts';
import { COST_PARAMS } from '../src/scenario/costs.ts';
import { scenarioFromQuery } from '../src/scenario/url.ts';

const DECODE_BUDGET_MS = 50;
const REFUSE_BUDGET_MS = 2_000;

const NUMERIC_KEYS = [
  ...['cpus', 'slots', 'r', 'b', 'p', 't', 'seed', 'at', 'v'],
  ...['m.tasks', 'm.bps', 'm.pinned', 'm.cpuBound', 'm.churn', 'm.cpuBoundChurn', 'm.ms'],
  ...COST_PARAMS.map((info) => `c.${info.key}`),
];
const CRAFTED = ['1'.repeat(8000) + 'x', `${'1'.repeat(4000)}.${'1'.repeat(3990)}x`];

const bestOf3 = (work: () => void): number => {
  let ms = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    work();
    ms = Math.min(ms, performance.now() - start);
  }
  return ms;
};

let slowest = { key: '', ms: 0 };
for (const key of NUMERIC_KEYS) {
  for (const crafted of CRAFTED) {
    const ms = bestOf3(() => scenarioFromQuery(`${key}=${crafted}`));
    if (ms > slowest.ms) slowest = { key, ms };
  }
}
const refuseStart = performance.now();
const refused = runBench(['--cpus', '4096', '-p', '4096', '-t', '4096', '-r', '487']);
const refuseMs = performance.now() - refuseStart;

const rows: [string, number, number][] = [
  [`URL decode, crafted 8 KB value (slowest: ${slowest.key})`, slowest.ms, DECODE_BUDGET_MS],
  ['sim bench refusing 2M threads at 4,096 CPUs', refuseMs, REFUSE_BUDGET_MS],
];
for (const [what, ms, budget] of rows) {
  const verdict = ms <= budget ? 'ok' : 'MISS';
  console.log(
    `${what.padEnd(58)} ${ms.toFixed(2).padStart(9)} ms  (budget ${budget} ms) ${verdict}`,
  );
}
if (refused.exitCode !== 2) {
  console.error(`bench:input: sim bench exited ${refused.exitCode}, not 2: ${refused.stderr}`);
  process.exitCode = 1;
}
if (rows.some(([, ms, budget]) => ms > budget)) process.exitCode = 1;
