/**
 * `npm run bench:replay`: about 1,000,000 seeded random operations on 256 CPUs and 5,000 tasks
 * through the replay command's own code path with `--design all` (every design but ideal, each
 * op checked for agreement). Prints the wall time and operations per second; the budget is 10 s.
 */
import { performance } from 'node:perf_hooks';
import { runReplay } from '../src/cli/replay.ts';
import { randomReplayInput } from '../src/cli/random-ops.ts';

const OPS = 1_000_000;
const CPUS = 256;
const TASKS = 5_000;
const SEED = 20220829;
const BUDGET_S = 10;

const generateStart = performance.now();
const input = randomReplayInput({ ops: OPS, cpus: CPUS, tasks: TASKS, seed: SEED });
const generateS = (performance.now() - generateStart) / 1000;

const start = performance.now();
const run = runReplay(['--cpus', String(CPUS), '--design', 'all', '-'], input);
const wallS = (performance.now() - start) / 1000;

const results: Record<string, number> = {};
for (const match of run.stdout.matchAll(/"result":"(\w+)"/g)) {
  results[match[1]!] = (results[match[1]!] ?? 0) + 1;
}
const lines = Object.values(results).reduce((sum, count) => sum + count, 0);

console.log(`replay --design all: ${OPS} ops, ${CPUS} CPUs, ${TASKS} tasks (seed ${SEED})`);
console.log(`  input generated in ${generateS.toFixed(2)} s (not timed)`);
console.log(`  results: ${JSON.stringify(results)}`);
console.log(
  `  wall ${wallS.toFixed(2)} s, ${Math.round(OPS / wallS).toLocaleString('en-US')} ops/s (budget ${BUDGET_S} s)`,
);
if (run.exitCode !== 0 || lines !== OPS) {
  console.error(`bench: replay exited ${run.exitCode}, ${lines} lines: ${run.stderr}`);
  process.exitCode = 1;
} else if (wallS > BUDGET_S) {
  console.error(`bench: over budget (${wallS.toFixed(2)} s > ${BUDGET_S} s)`);
  process.exitCode = 1;
}
