/**
 * Wall-time benchmark of the simulator (not a test: figures go in the closing note and
 * docs/model.md). Each case runs in this process after one warm-up run of the seed scenario.
 *
 *   npm run bench:engine
 */
import { DEFAULT_SCENARIO, type Scenario } from '../src/scenario/scenario.ts';
import { createSimulation } from '../src/sim/simulation.ts';
import type { DesignId } from '../src/engine/types.ts';

interface Case {
  readonly label: string;
  readonly design: DesignId;
  readonly scenario: Scenario;
  readonly budgetMs: number;
}

const seed = DEFAULT_SCENARIO;
const heavier: Scenario = {
  ...seed,
  thread: { repeat: 100, breakpoints: 4, parallelism: 128, threads: 512 },
};

const cases: Case[] = [
  { label: 'seed -r 30 -b 4 -p 64 -t 64, list', design: 'list', scenario: seed, budgetMs: 1_000 },
  { label: 'seed -r 30 -b 4 -p 64 -t 64, final', design: 'final', scenario: seed, budgetMs: 1_000 },
  { label: 'seed -r 30 -b 4 -p 64 -t 64, ideal', design: 'ideal', scenario: seed, budgetMs: 1_000 },
  {
    label: '-r 100 -b 4 -p 128 -t 512, final',
    design: 'final',
    scenario: heavier,
    budgetMs: 10_000,
  },
];

function run(design: DesignId, scenario: Scenario) {
  const started = performance.now();
  const sim = createSimulation(scenario, design);
  while (!sim.advance(1_000_000).done) {
    // to completion
  }
  const result = sim.result();
  return { wallMs: performance.now() - started, result };
}

run('list', seed); // warm-up: JIT and module loading are not the simulator's cost
let failed = false;
console.log(
  'case'.padEnd(40),
  'wall ms'.padStart(9),
  'budget'.padStart(8),
  'simulated s'.padStart(12),
  'acct ops'.padStart(9),
  'threads'.padStart(8),
  'events'.padStart(9),
);
for (const c of cases) {
  const { wallMs, result } = run(c.design, c.scenario);
  const over = wallMs > c.budgetMs;
  failed ||= over;
  console.log(
    c.label.padEnd(40),
    wallMs.toFixed(0).padStart(9),
    String(c.budgetMs).padStart(8),
    (result.totalTimeNs / 1e9).toFixed(3).padStart(12),
    String(result.accountingOps).padStart(9),
    String(result.threadsCreated).padStart(8),
    String(result.events).padStart(9),
    over ? '  OVER BUDGET' : '',
  );
}
process.exitCode = failed ? 1 : 0;
