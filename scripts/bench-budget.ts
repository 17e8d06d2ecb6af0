/**
 * Checks the run-cost estimate (src/sim/budget.ts) against measured runs: for each case, the
 * estimated and measured events (the result's `events`), the estimated and measured peak heap,
 * and the events per second of wall time. Exits 1 if an events estimate is off by more than 2x
 * either way, or if a measured peak heap is more than 2x its estimate (the memory estimate is a
 * ceiling: peak live threads are bounded from above, so an overestimate is expected).
 *
 *   npm run bench:budget            the table; exit 1 on a miss
 *   npm run bench:budget -- --fit   also prints a COST_COEFFICIENTS table fitted to these runs
 *
 * After a model change shifts the events per thread, run `--fit`, paste the table into
 * src/sim/budget.ts, and rerun without `--fit`. Heap needs `--expose-gc` (the npm script passes
 * it) for a clean baseline and live-heap samples (a full GC before each); without it the heap
 * columns include garbage.
 */
import { DEFAULT_SCENARIO, type Scenario } from '../src/scenario/scenario.ts';
import { createSimulation } from '../src/sim/simulation.ts';
import {
  COST_COEFFICIENTS,
  EVENTS_PER_SECOND,
  estimateRunCost,
  type RunBudget,
} from '../src/sim/budget.ts';
import { DESIGN_IDS, type DesignId } from '../src/engine/types.ts';

interface Case {
  readonly label: string;
  readonly design: DesignId;
  readonly scenario: Scenario;
}

const thread = (r: number, b: number, p: number, t: number, cpus = 256): Scenario => ({
  ...DEFAULT_SCENARIO,
  cpus,
  thread: { repeat: r, breakpoints: b, parallelism: p, threads: t },
});
const mixed = (m: Partial<Scenario['mixed']>, cpus = 256): Scenario => ({
  ...DEFAULT_SCENARIO,
  workload: 'mixed',
  cpus,
  mixed: { ...DEFAULT_SCENARIO.mixed, ...m },
});

const CASES: Case[] = [
  { label: 'seed', design: 'list', scenario: DEFAULT_SCENARIO },
  { label: 'seed', design: 'final', scenario: DEFAULT_SCENARIO },
  { label: 'seed', design: 'rhltable', scenario: DEFAULT_SCENARIO },
  { label: 'seed', design: 'sharded', scenario: DEFAULT_SCENARIO },
  { label: 'seed', design: 'rwsem', scenario: DEFAULT_SCENARIO },
  { label: 'seed', design: 'ideal', scenario: DEFAULT_SCENARIO },
  { label: '-r 100 -p 128 -t 512', design: 'final', scenario: thread(100, 4, 128, 512) },
  { label: '-r 300 (list contention)', design: 'list', scenario: thread(300, 4, 64, 64) },
  { label: '4096 CPUs -p 4096 -r 8', design: 'list', scenario: thread(8, 4, 4096, 64, 4096) },
  { label: '4096 CPUs -p 4096 -r 8', design: 'final', scenario: thread(8, 4, 4096, 64, 4096) },
  {
    label: 'small: 16 CPUs -r 2 -b 1 -p 4 -t 4',
    design: 'rhltable',
    scenario: thread(2, 1, 4, 4, 16),
  },
  { label: '-b 0 -r 20', design: 'final', scenario: thread(20, 0, 64, 64) },
  { label: 'mixed seed', design: 'final', scenario: mixed({}) },
  { label: 'mixed 4096 tasks', design: 'rwsem', scenario: mixed({ tasks: 4096 }) },
  { label: 'mixed churn 200/ms', design: 'final', scenario: mixed({ churnPerMs: 200 }) },
];

const gc = (globalThis as { gc?: () => void }).gc;

interface Measured {
  readonly events: number;
  readonly peakHeap: number;
  readonly wallMs: number;
  readonly peakLiveThreads: number;
  readonly threadsCreated: number;
  readonly accountingOps: number;
}

function measure(c: Case): Measured {
  gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  const started = performance.now();
  const unlimited: RunBudget = { events: Infinity, bytes: Infinity, owner: 'bench:budget' };
  const sim = createSimulation(c.scenario, c.design, unlimited);
  // The live heap: with --expose-gc, a full GC before each sample (every 200k events), so garbage
  // not yet collected does not count as memory the run keeps.
  const sample = (): void => {
    gc?.();
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  };
  while (!sim.advance(200_000).done) sample();
  const wallMs = performance.now() - started;
  sample();
  const r = sim.result();
  return {
    events: r.events,
    peakHeap: peak,
    wallMs,
    peakLiveThreads: r.peakLiveThreads,
    threadsCreated: r.threadsCreated,
    accountingOps: r.accountingOps,
  };
}

const fitMode = process.argv.includes('--fit');
const mb = (b: number) => (b / 1e6).toFixed(1);
const pad = (s: string | number, n: number) => String(s).padStart(n);

// Warm-up: JIT and module loading are not the simulator's cost.
measure(CASES[0] as Case);
if (!gc) console.log('# no --expose-gc: heap figures include earlier garbage');
console.log(
  'case'.padEnd(44),
  pad('est events', 11),
  pad('events', 10),
  pad('ratio', 6),
  pad('est MB', 8),
  pad('heap MB', 8),
  pad('ratio', 6),
  pad('events/s', 9),
);
let failed = false;
const rows: { c: Case; m: Measured }[] = [];
for (const c of CASES) {
  const m = measure(c);
  rows.push({ c, m });
  const est = estimateRunCost(c.scenario, c.design);
  const eventsRatio = est.events / Math.max(1, m.events);
  const heapRatio = est.bytes / Math.max(1, m.peakHeap);
  const miss = eventsRatio > 2 || eventsRatio < 0.5 || heapRatio < 0.5;
  failed ||= miss;
  console.log(
    `${c.label}, ${c.design}`.padEnd(44),
    pad(est.events.toLocaleString('en-US'), 11),
    pad(m.events.toLocaleString('en-US'), 10),
    pad(eventsRatio.toFixed(2), 6),
    pad(mb(est.bytes), 8),
    pad(mb(m.peakHeap), 8),
    pad(heapRatio.toFixed(2), 6),
    pad(Math.round(m.events / (m.wallMs / 1e3)).toLocaleString('en-US'), 9),
    miss ? '  MISS' : '',
  );
}
const slowest = Math.min(
  ...rows.filter((r) => r.m.events >= 100_000).map((r) => r.m.events / (r.m.wallMs / 1e3)),
);
console.log(
  `\nslowest rate over runs of 100,000+ events: ${Math.round(slowest).toLocaleString('en-US')} events/s ` +
    `(EVENTS_PER_SECOND = ${EVENTS_PER_SECOND.toLocaleString('en-US')})`,
);

if (fitMode) console.log('\n' + fitText(rows));
if (failed) {
  console.error('\nbench:budget: an estimate is off by more than 2x (MISS above)');
  process.exit(1);
}

/** A COST_COEFFICIENTS table fitted to the measured runs. */
function fitText(measured: readonly { c: Case; m: Measured }[]): string {
  const threadRows = measured.filter((r) => r.c.scenario.workload === 'thread');
  const created = (s: Scenario) => s.thread.parallelism + s.thread.repeat * s.thread.threads;
  const opened = (r: { c: Case }) =>
    r.c.design === 'ideal' || r.c.scenario.thread.breakpoints <= r.c.scenario.slots;
  // Threads without breakpoints: events per thread alone.
  const bare = threadRows.filter((r) => r.c.scenario.thread.breakpoints === 0);
  const perThread =
    bare.length > 0
      ? bare.reduce((s, r) => s + r.m.events / created(r.c.scenario), 0) / bare.length
      : COST_COEFFICIENTS.eventsPerThread;
  const perOp: Record<string, number> = {};
  for (const design of DESIGN_IDS) {
    const rs = threadRows.filter(
      (r) => r.c.design === design && r.c.scenario.thread.breakpoints > 0 && opened(r),
    );
    if (rs.length === 0) {
      perOp[design] = COST_COEFFICIENTS.eventsPerOp[design];
      continue;
    }
    const fits = rs.map((r) => {
      const n = created(r.c.scenario);
      return (r.m.events - perThread * n) / (2 * r.c.scenario.thread.breakpoints * n);
    });
    perOp[design] = fits.reduce((s, v) => s + v, 0) / fits.length;
  }
  // Mixed: least squares of events = a·(tasks + 1) + b·ops over the mixed runs.
  const mixedRows = measured.filter((r) => r.c.scenario.workload === 'mixed');
  let perTask: number = COST_COEFFICIENTS.eventsPerMixedTask;
  let perMixedOp: number = COST_COEFFICIENTS.eventsPerMixedOp;
  if (mixedRows.length >= 2) {
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    let sxz = 0;
    let syz = 0;
    for (const r of mixedRows) {
      const x = r.c.scenario.mixed.tasks + 1;
      const y = r.c.scenario.mixed.churnPerMs * r.c.scenario.mixed.durationMs;
      const z = r.m.events;
      sxx += x * x;
      sxy += x * y;
      syy += y * y;
      sxz += x * z;
      syz += y * z;
    }
    const det = sxx * syy - sxy * sxy;
    if (det !== 0) {
      perTask = (sxz * syy - syz * sxy) / det;
      perMixedOp = (sxx * syz - sxy * sxz) / det;
    }
  }
  // Bytes per live thread: the largest that the measured heaps ask for, the other terms kept.
  const k = COST_COEFFICIENTS;
  const perLive = Math.max(
    ...threadRows
      .filter((r) => r.m.peakLiveThreads > 1_000)
      .map(
        (r) =>
          (r.m.peakHeap -
            k.fixedBytes -
            k.bytesPerCpu * r.c.scenario.cpus -
            k.bytesPerCreatedThread * created(r.c.scenario)) /
          r.m.peakLiveThreads,
      ),
    0,
  );
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const lines = [
    '# Suggested COST_COEFFICIENTS (src/sim/budget.ts), fitted to the runs above:',
    `  eventsPerThread: ${r2(perThread)},`,
    '  eventsPerOp: {',
    ...DESIGN_IDS.map((d) => `    ${d}: ${r2(perOp[d] as number)},`),
    '  },',
    `  eventsPerMixedTask: ${r2(perTask)},`,
    `  eventsPerMixedOp: ${r2(perMixedOp)},`,
    `  fixedBytes: ${k.fixedBytes}, // kept`,
    `  bytesPerCpu: ${k.bytesPerCpu}, // kept`,
    `  bytesPerLiveThread: ${Math.ceil(Math.max(perLive, 1) / 100) * 100}, // the largest measured need, rounded up`,
    `  bytesPerCreatedThread: ${k.bytesPerCreatedThread}, // kept: set from a run of many threads created (see docs/model.md)`,
    `# EVENTS_PER_SECOND: ${Math.floor(slowest / 10_000) * 10_000} (the slowest rate above, rounded down)`,
  ];
  return lines.join('\n');
}
