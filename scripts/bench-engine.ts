/**
 * Wall-time and memory benchmark of the simulator (not a test: figures go in the closing note and
 * docs/model.md). Each case runs in this process after one warm-up run of the seed scenario;
 * timings are the median of several runs (the machine may be shared: `uptime`'s load is printed).
 * Beside each measurement, the budget's estimate of the same run (src/sim/budget.ts: events,
 * bytes, and seconds at EVENTS_PER_SECOND), and the heavier run's rates against those issue 11
 * quoted. The speedup against earlier commits is `npm run bench:speed`'s: it times them side by
 * side with this tree, at the same load (figures recorded on another day are no baseline here:
 * the machine is shared, and its load moves CPU time by 1.5x or more). The peak heap is the live
 * heap: a full GC before each sample.
 * Then the peak heap of the heavier scenario at growing -r (final), and of -p 64 -t 64 (list): it
 * must stay flat (memory follows live threads, not created ones).
 *
 *   npm run bench:engine [-- --runs N] [--no-time] [--no-heap] [--heap-r 100,400,1600]
 *                        [--list-heap-r 300,1200]
 *
 * Before the speed and memory work (commit 56ffd9c, same load) the peak heap was 24.0, 97.0 and
 * 152.4 MB at -r 25, 100, 400 (peak live threads 12579, 47345, 59524): it grew with the threads
 * created. Since, it follows the live threads.
 *
 * Results stay bit-identical through every optimisation: `npm run bench:json` (scripts/bench-json.ts)
 * prints every design's result for the seed, heavier and four more scenarios, and `--check FILE`
 * compares with a saved run.
 */
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_SCENARIO, type Scenario } from '../src/scenario/scenario.ts';
import { createSimulation } from '../src/sim/simulation.ts';
import { CLI_BUDGET, EVENTS_PER_SECOND, estimateRunCost } from '../src/sim/budget.ts';
import type { DesignId } from '../src/engine/types.ts';

interface Case {
  readonly label: string;
  readonly design: DesignId;
  readonly scenario: Scenario;
  readonly budgetMs: number;
}

/**
 * The rates issue 11 quoted for the simulator before the speed work, on this machine: about
 * 110,000 accounting operations and 670,000 events per second of wall time.
 */
const ISSUE_OPS_PER_SECOND = 110_000;
const ISSUE_EVENTS_PER_SECOND = 670_000;

const seed = DEFAULT_SCENARIO;
const threadAt = (repeat: number, parallelism: number, threads: number, cpus = 256): Scenario => ({
  ...seed,
  cpus,
  thread: { repeat, breakpoints: 4, parallelism, threads },
});
const heavierAt = (repeat: number): Scenario => threadAt(repeat, 128, 512);

const cases: Case[] = [
  {
    label: 'seed -r 30 -b 4 -p 64 -t 64, list',
    design: 'list',
    scenario: seed,
    budgetMs: 1_000,
  },
  {
    label: 'seed -r 30 -b 4 -p 64 -t 64, final',
    design: 'final',
    scenario: seed,
    budgetMs: 1_000,
  },
  {
    label: 'seed -r 30 -b 4 -p 64 -t 64, ideal',
    design: 'ideal',
    scenario: seed,
    budgetMs: 1_000,
  },
  {
    label: '-r 100 -b 4 -p 128 -t 512, final',
    design: 'final',
    scenario: heavierAt(100),
    budgetMs: 10_000,
  },
  {
    label: '-r 300 -b 4 -p 64 -t 64, list',
    design: 'list',
    scenario: threadAt(300, 64, 64),
    budgetMs: 10_000,
  },
  {
    label: '4096 CPUs -r 8 -p 4096 -t 64, final',
    design: 'final',
    scenario: threadAt(8, 4096, 64, 4096),
    budgetMs: 10_000,
  },
  {
    label: 'mixed, 200 ops/ms for 200 ms, final',
    design: 'final',
    scenario: { ...seed, workload: 'mixed', mixed: { ...seed.mixed, churnPerMs: 200 } },
    budgetMs: 10_000,
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
const listHeapRepeats = (option('--list-heap-r') ?? '300,1200').split(',').map(Number);

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

/** A run's peak live heap above what was live before it: a full GC before every sample. */
function peakHeap(design: DesignId, scenario: Scenario, every: number) {
  const gc = gcFunction();
  gc();
  const base = process.memoryUsage().heapUsed;
  const started = performance.now();
  const sim = createSimulation(scenario, design, CLI_BUDGET);
  let peak = 0;
  const sample = (): void => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  };
  while (!sim.advance(every).done) sample();
  sample();
  return { peak, wallMs: performance.now() - started, result: sim.result() };
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
let heavier: {
  eventsPerWallS: number;
  opsPerWallS: number;
  eventsPerCpuS: number;
  opsPerCpuS: number;
} | null = null;
if (!args.includes('--no-time')) timings();

function timings(): void {
  console.log(
    `wall and CPU time, median of ${runs} runs; load average ${load()} on ${availableParallelism()} cores; rates per wall second`,
  );
  console.log(
    "est: the budget's estimate (src/sim/budget.ts), seconds at its EVENTS_PER_SECOND; heap: peak live heap (full GC every 100k events)",
  );
  const mb = (b: number): string => (b / 1e6).toFixed(1);
  console.log(
    'case'.padEnd(40),
    'wall ms'.padStart(8),
    'cpu ms'.padStart(7),
    'est ms'.padStart(7),
    'budget'.padStart(7),
    'events'.padStart(9),
    'est ev'.padStart(9),
    'heap MB'.padStart(8),
    'est MB'.padStart(7),
    'events/s'.padStart(10),
    'acct ops/s'.padStart(11),
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
    const heap = peakHeap(c.design, c.scenario, 100_000);
    const est = estimateRunCost(c.scenario, c.design);
    const over = wallMs > c.budgetMs;
    failed ||= over;
    console.log(
      c.label.padEnd(40),
      wallMs.toFixed(0).padStart(8),
      cpuMs.toFixed(0).padStart(7),
      ((est.events / EVENTS_PER_SECOND) * 1e3).toFixed(0).padStart(7),
      String(c.budgetMs).padStart(7),
      String(result.events).padStart(9),
      String(est.events).padStart(9),
      mb(heap.peak).padStart(8),
      mb(est.bytes).padStart(7),
      ((result.events / wallMs) * 1e3).toFixed(0).padStart(10),
      ((result.accountingOps / wallMs) * 1e3).toFixed(0).padStart(11),
      String(result.threadsCreated).padStart(8),
      over ? '  OVER BUDGET' : '',
    );
    if (c.scenario === cases[3]?.scenario) {
      const perCpuSecond = (n: number): number => (n / cpuMs) * 1e3;
      heavier = {
        eventsPerWallS: (result.events / wallMs) * 1e3,
        opsPerWallS: (result.accountingOps / wallMs) * 1e3,
        eventsPerCpuS: perCpuSecond(result.events),
        opsPerCpuS: perCpuSecond(result.accountingOps),
      };
    }
  }
  console.log(`load average ${load()}`);
  if (heavier !== null) {
    const h = heavier;
    console.log(
      `heavier scenario against issue 11's quoted rates (${ISSUE_EVENTS_PER_SECOND} events/s, ${ISSUE_OPS_PER_SECOND} ops/s):`,
      `events/s ${h.eventsPerWallS.toFixed(0)} per wall second (${(h.eventsPerWallS / ISSUE_EVENTS_PER_SECOND).toFixed(2)}x),`,
      `${h.eventsPerCpuS.toFixed(0)} per CPU second (${(h.eventsPerCpuS / ISSUE_EVENTS_PER_SECOND).toFixed(2)}x);`,
      `ops/s ${h.opsPerWallS.toFixed(0)} per wall second (${(h.opsPerWallS / ISSUE_OPS_PER_SECOND).toFixed(2)}x),`,
      `${h.opsPerCpuS.toFixed(0)} per CPU second (${(h.opsPerCpuS / ISSUE_OPS_PER_SECOND).toFixed(2)}x)`,
    );
  }
}

function heapSeries(design: DesignId, at: (repeat: number) => Scenario, repeats: number[]): void {
  console.log(
    'repeat'.padStart(7),
    'threads'.padStart(8),
    'peak live'.padStart(10),
    'peak MB'.padStart(8),
    'est MB'.padStart(7),
    'wall s'.padStart(7),
  );
  for (const repeat of repeats) {
    const scenario = at(repeat);
    const { peak, wallMs, result } = peakHeap(design, scenario, 250_000);
    console.log(
      String(repeat).padStart(7),
      String(result.threadsCreated).padStart(8),
      String(result.peakLiveThreads).padStart(10),
      (peak / 2 ** 20).toFixed(1).padStart(8),
      (estimateRunCost(scenario, design).bytes / 2 ** 20).toFixed(1).padStart(7),
      (wallMs / 1e3).toFixed(1).padStart(7),
    );
  }
}

if (!args.includes('--no-heap')) {
  console.log(
    '\npeak heap (heapUsed after a full GC every 250k events, above the heap before the run), -b 4 -p 128 -t 512, final',
  );
  heapSeries('final', heavierAt, heapRepeats);
  console.log('\nthe same, -b 4 -p 64 -t 64, list');
  heapSeries('list', (r) => threadAt(r, 64, 64), listHeapRepeats);
}
process.exitCode = failed ? 1 : 0;
