/**
 * Wall-time and memory benchmark of the simulator (not a test: figures go in the closing note and
 * docs/model.md). Each case runs in this process after one warm-up run of the seed scenario;
 * timings are the median of several runs (the machine may be shared: `uptime`'s load is printed).
 * Then the peak heap of the heavier scenario at growing -r: it must stay flat (memory follows live
 * threads, not created ones).
 *
 *   npm run bench:engine [-- --runs N] [--no-time] [--no-heap] [--heap-r 100,400,1600]
 *
 * Before the speed and memory work (commit 56ffd9c, same load) the peak heap was 24.0, 97.0 and
 * 152.4 MB at -r 25, 100, 400 (peak live threads 12579, 47345, 59524): it grew with the threads
 * created. Since, it follows the live threads.
 */
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_SCENARIO, type Scenario } from '../src/scenario/scenario.ts';
import { createSimulation } from '../src/sim/simulation.ts';
import { CLI_BUDGET } from '../src/sim/budget.ts';
import type { DesignId } from '../src/engine/types.ts';

interface Case {
  readonly label: string;
  readonly design: DesignId;
  readonly scenario: Scenario;
  readonly budgetMs: number;
  /**
   * Before the speed work (2026-11-28, commit 56ffd9c, this machine shared, load 9-17 on 2 cores):
   * median wall ms and median CPU ms (user + system, less sensitive to the load).
   */
  readonly referenceMs: number;
  readonly referenceCpuMs: number;
}

const seed = DEFAULT_SCENARIO;
const heavierAt = (repeat: number): Scenario => ({
  ...seed,
  thread: { repeat, breakpoints: 4, parallelism: 128, threads: 512 },
});

const cases: Case[] = [
  {
    label: 'seed -r 30 -b 4 -p 64 -t 64, list',
    design: 'list',
    scenario: seed,
    budgetMs: 1_000,
    referenceMs: 538,
    referenceCpuMs: 195,
  },
  {
    label: 'seed -r 30 -b 4 -p 64 -t 64, final',
    design: 'final',
    scenario: seed,
    budgetMs: 1_000,
    referenceMs: 475,
    referenceCpuMs: 175,
  },
  {
    label: 'seed -r 30 -b 4 -p 64 -t 64, ideal',
    design: 'ideal',
    scenario: seed,
    budgetMs: 1_000,
    referenceMs: 171,
    referenceCpuMs: 51,
  },
  {
    label: '-r 100 -b 4 -p 128 -t 512, final',
    design: 'final',
    scenario: heavierAt(100),
    budgetMs: 10_000,
    referenceMs: 11662,
    referenceCpuMs: 4341,
  },
];

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(option('--runs') ?? 5);
// r = 1600 (819k threads) takes minutes on a loaded machine: ask for it with --heap-r.
const heapRepeats = (option('--heap-r') ?? '100,400').split(',').map(Number);

function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function run(design: DesignId, scenario: Scenario) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const sim = createSimulation(scenario, design, CLI_BUDGET);
  while (!sim.advance(1_000_000).done) {
    // to completion
  }
  const result = sim.result();
  const cpu = process.cpuUsage(cpuStarted);
  return { wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1e3, result };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

run('list', seed); // warm-up: JIT and module loading are not the simulator's cost
let failed = false;
if (!args.includes('--no-time')) timings();

function timings(): void {
  console.log(
    `wall and CPU time, median of ${runs} runs; load average ${load()} on ${availableParallelism()} cores; rates per wall second`,
  );
  console.log(
    'case'.padEnd(40),
    'wall ms'.padStart(8),
    'ref ms'.padStart(7),
    'speedup'.padStart(8),
    'cpu ms'.padStart(7),
    'ref cpu'.padStart(8),
    'speedup'.padStart(8),
    'budget'.padStart(7),
    'events/s'.padStart(10),
    'acct ops/s'.padStart(11),
    'events'.padStart(9),
    'threads'.padStart(8),
  );
  for (const c of cases) {
    const walls: number[] = [];
    const cpus: number[] = [];
    let last = run(c.design, c.scenario);
    walls.push(last.wallMs);
    cpus.push(last.cpuMs);
    for (let i = 1; i < runs; i++) {
      last = run(c.design, c.scenario);
      walls.push(last.wallMs);
      cpus.push(last.cpuMs);
    }
    const wallMs = median(walls);
    const cpuMs = median(cpus);
    const { result } = last;
    const over = wallMs > c.budgetMs;
    failed ||= over;
    console.log(
      c.label.padEnd(40),
      wallMs.toFixed(0).padStart(8),
      c.referenceMs.toFixed(0).padStart(7),
      `${(c.referenceMs / wallMs).toFixed(2)}x`.padStart(8),
      cpuMs.toFixed(0).padStart(7),
      c.referenceCpuMs.toFixed(0).padStart(8),
      `${(c.referenceCpuMs / cpuMs).toFixed(2)}x`.padStart(8),
      String(c.budgetMs).padStart(7),
      ((result.events / wallMs) * 1e3).toFixed(0).padStart(10),
      ((result.accountingOps / wallMs) * 1e3).toFixed(0).padStart(11),
      String(result.events).padStart(9),
      String(result.threadsCreated).padStart(8),
      over ? '  OVER BUDGET' : '',
    );
  }
  console.log(`load average ${load()}`);
}

if (!args.includes('--no-heap')) {
  const gc = gcFunction();
  console.log(
    '\npeak heap (heapUsed after a full GC every 250k events), -b 4 -p 128 -t 512, final',
  );
  console.log(
    'repeat'.padStart(7),
    'threads'.padStart(8),
    'peak live'.padStart(10),
    'peak MB'.padStart(8),
    'wall s'.padStart(7),
  );
  for (const repeat of heapRepeats) {
    gc();
    const started = performance.now();
    const sim = createSimulation(heavierAt(repeat), 'final', CLI_BUDGET);
    let peak = 0;
    const sample = (): void => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    };
    while (!sim.advance(250_000).done) sample();
    sample();
    const result = sim.result();
    console.log(
      String(repeat).padStart(7),
      String(result.threadsCreated).padStart(8),
      String(result.peakLiveThreads).padStart(10),
      (peak / 2 ** 20).toFixed(1).padStart(8),
      ((performance.now() - started) / 1e3).toFixed(1).padStart(7),
    );
  }
}
process.exitCode = failed ? 1 : 0;
