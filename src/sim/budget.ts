/**
 * The simulator's budget: what a run will cost, estimated from the scenario before it starts, and
 * the check that refuses a run over a budget with a smaller run that fits.
 *
 * The cost is in machine-independent units, events (what `advance()` counts, the result's
 * `events`) and bytes, derived from the model's structure (docs/model.md §6, "The budget"):
 *
 *   thread workload, N = P + R·T threads created, B breakpoints each, O = 2·B·N accounting ops:
 *     events = eventsPerThread · N + eventsPerOp[design] · O        (0 ops if the open fails)
 *   mixed workload, K = churn/ms · duration operations on `tasks` threads:
 *     events = eventsPerMixedTask · (tasks + 1) + eventsPerMixedOp[design] · K
 *   bytes = fixedBytes + bytesPerCpu · C + bytesPerLiveThread · peak live threads
 *           + bytesPerCreatedThread · threads created
 *
 * Peak live threads (thread workload) is bounded by 1 + P + min(P, R)·T: the main thread, the
 * workers and one batch per busy worker. Memory follows LIVE threads: `bytesPerCreatedThread`,
 * what the simulator would keep per thread ever created, is measured at 0 (memory.test.ts).
 *
 * Every coefficient is in COST_COEFFICIENTS: `npm run bench:budget -- --fit` prints a new table
 * from measured runs when the model changes the events per thread.
 */
import { specPreset, specParts, type DesignSpec } from '../engine/spec.ts';
import { DESIGN_IDS, type DesignId, type LockPart } from '../engine/types.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { TIMELINE_SUMMARY_BUDGET_BYTES } from './timeline.ts';

/** The one table of the estimate's coefficients (refit with `npm run bench:budget -- --fit`). */
export const COST_COEFFICIENTS = {
  /**
   * Events per thread created with no breakpoints: clone (siglock, tasklist_lock, the stack from the
   * cache or mmap + mprotect under mmap_lock, faults), wake, run, join, exit, munmap + shootdown.
   */
  eventsPerThread: 43.09,
  /** Events per accounting operation (reserve or release), by design: lock hand-offs, runs. */
  eventsPerOp: {
    list: 3.52,
    rhltable: 0.86,
    sharded: 2.73,
    rwsem: 2.57,
    final: 2.08,
    ideal: 1.67,
  } satisfies Record<DesignId, number>,
  /** Events per mixed-workload thread (tasks and the monitor) beyond its operations. */
  eventsPerMixedTask: 2.03,
  /** Events per mixed-workload operation: sleep, user work, the accounting call's locks. */
  eventsPerMixedOp: 5.09,
  /** Bytes independent of the scenario: the fixed sample budget (frames, acquisition log), code. */
  fixedBytes: 16e6,
  /** Bytes per simulated CPU: CPU state, per-CPU slot tables, per-CPU frame columns. */
  bytesPerCpu: 2_000,
  /** Bytes per live thread: thread, generator, held breakpoints, queued events. */
  bytesPerLiveThread: 1_600,
  /**
   * Bytes kept per thread ever created: none, for every design (memory.test.ts; bench:engine's
   * heap series after a full GC is flat in -r). `list` once seemed to keep ~1.5 KB per created
   * thread: that was garbage not yet collected, which bench:budget's heap samples then counted.
   */
  bytesPerCreatedThread: 0,
} as const;

/**
 * Events per second of wall time on the reference machine (2 loaded cores, Node 20, the worker
 * alike): the slowest sustained rate of `npm run bench:budget`'s runs, rounded down. Only used to
 * turn events into seconds in messages and to state the budgets in seconds.
 */
export const EVENTS_PER_SECOND = 200_000;

export interface RunCost {
  /** Events the run will process (what the result's `events` counts). */
  readonly events: number;
  /** Peak heap the run will hold, bytes. */
  readonly bytes: number;
  readonly threadsCreated: number;
  readonly peakLiveThreads: number;
}

export interface RunBudget {
  /** Events per run of one design. */
  readonly events: number;
  readonly bytes: number;
  /** Whose budget, for the message: "the page's budget". */
  readonly owner: string;
  /**
   * Bytes each run keeps beyond the estimate's simulation, counted against `bytes`: the page's
   * runs keep a timeline summary (TIMELINE_SUMMARY_BUDGET_BYTES), the command line's do not.
   */
  readonly keptBytes?: number;
}

const GB = 1e9;

/**
 * The page: about 20 s of worker time per column, 1 GB. The heaviest preset (-r 100 -p 128 -t 512,
 * 3.2 million events for rhltable) fits; src/state/presets.test.ts checks every preset does.
 */
export const PAGE_BUDGET: RunBudget = {
  events: 20 * EVENTS_PER_SECOND,
  bytes: 1 * GB,
  owner: "the page's budget",
  keptBytes: TIMELINE_SUMMARY_BUDGET_BYTES,
};

/** `sim bench`: about 10 minutes of events per design, 4 GB; `--budget N` multiplies both. */
export const CLI_BUDGET: RunBudget = {
  events: 600 * EVENTS_PER_SECOND,
  bytes: 4 * GB,
  owner: "sim bench's budget",
};

export function scaledBudget(budget: RunBudget, factor: number): RunBudget {
  return {
    events: budget.events * factor,
    bytes: budget.bytes * factor,
    owner: factor === 1 ? budget.owner : `${budget.owner} × ${factor}`,
    keptBytes: budget.keptBytes,
  };
}

/** The estimated cost of one design's run of the scenario. */
/**
 * Events per accounting operation of any design. A named design (or a composition equal to one)
 * has its fitted coefficient. Another composition's events come from its lock part (hand-offs,
 * wake-ups; its store and max change only the time of one run), so it takes the largest
 * coefficient of the named designs with the same lock part: `rwlock` (no named design) takes
 * `sharded`'s, whose bp_cpuinfo_lock it is without the task mutexes in front.
 */
export function eventsPerOpOf(design: DesignSpec): number {
  const perOp = COST_COEFFICIENTS.eventsPerOp;
  const preset = specPreset(design);
  if (preset !== null) return perOp[preset];
  const lock = (specParts(design) as { lock: LockPart }).lock;
  return LOCK_PART_EVENTS_PER_OP[lock];
}

const LOCK_PART_EVENTS_PER_OP: Readonly<Record<LockPart, number>> = {
  'global-mutex': Math.max(
    COST_COEFFICIENTS.eventsPerOp.list,
    COST_COEFFICIENTS.eventsPerOp.rhltable,
  ),
  sharded: COST_COEFFICIENTS.eventsPerOp.sharded,
  'percpu-rwsem': Math.max(
    COST_COEFFICIENTS.eventsPerOp.rwsem,
    COST_COEFFICIENTS.eventsPerOp.final,
  ),
  rwlock: COST_COEFFICIENTS.eventsPerOp.sharded,
};

export function estimateRunCost(scenario: Scenario, design: DesignSpec): RunCost {
  const k = COST_COEFFICIENTS;
  let events: number;
  let created: number;
  let live: number;
  if (scenario.workload === 'mixed') {
    const m = scenario.mixed;
    created = m.tasks + 1;
    live = created;
    const ops = m.churnPerMs * m.durationMs;
    events = k.eventsPerMixedTask * created + k.eventsPerMixedOp * ops;
  } else {
    const { repeat: r, breakpoints: b, parallelism: p, threads: t } = scenario.thread;
    // perf_event_open of the B originals fails before any thread is created (ideal never refuses).
    if (design !== 'ideal' && b > scenario.slots) {
      created = 0;
      live = 1;
      events = 2 * b * eventsPerOpOf(design);
    } else {
      created = p + r * t;
      live = Math.min(1 + created, 1 + p + Math.min(p, r) * t);
      events = k.eventsPerThread * created + eventsPerOpOf(design) * 2 * b * created;
    }
  }
  const bytes =
    k.fixedBytes +
    k.bytesPerCpu * scenario.cpus +
    k.bytesPerLiveThread * live +
    k.bytesPerCreatedThread * created;
  return { events: Math.round(events), bytes, threadsCreated: created, peakLiveThreads: live };
}

/** The costliest run among `designs`: the most events and the most bytes of any one of them. */
export function worstRunCost(
  scenario: Scenario,
  designs: readonly DesignSpec[] = DESIGN_IDS,
): RunCost {
  const costs = designs.map((d) => estimateRunCost(scenario, d));
  return {
    events: Math.max(...costs.map((c) => c.events)),
    bytes: Math.max(...costs.map((c) => c.bytes)),
    threadsCreated: Math.max(...costs.map((c) => c.threadsCreated)),
    peakLiveThreads: Math.max(...costs.map((c) => c.peakLiveThreads)),
  };
}

/** The run's bytes under `budget`: the simulation's and what the budget's runs keep besides. */
function bytesUnder(cost: RunCost, budget: RunBudget): number {
  return cost.bytes + (budget.keptBytes ?? 0);
}

function fits(scenario: Scenario, budget: RunBudget, designs: readonly DesignSpec[]): boolean {
  const cost = worstRunCost(scenario, designs);
  return cost.events <= budget.events && bytesUnder(cost, budget) <= budget.bytes;
}

/** The largest value in [lo, hi] of a monotone parameter whose scenario fits, or null. */
function largestFitting(
  lo: number,
  hi: number,
  withValue: (v: number) => Scenario,
  ok: (s: Scenario) => boolean,
): number | null {
  if (!ok(withValue(lo))) return null;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(withValue(mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface Suggestion {
  /** The smaller scenario, which passes the same check. */
  readonly scenario: Scenario;
  /** What to change, in words: "-r 10 or fewer". */
  readonly text: string;
}

/**
 * The closest smaller run that fits: the largest -r (then -t, then -p, at -r 1) for the thread
 * workload, the longest duration (then fewer tasks, at 1 ms) for the mixed one.
 */
export function suggestSmaller(
  scenario: Scenario,
  budget: RunBudget,
  designs: readonly DesignSpec[] = DESIGN_IDS,
): Suggestion | null {
  const ok = (s: Scenario) => fits(s, budget, designs);
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (scenario.workload === 'mixed') {
    const m = scenario.mixed;
    const withMs = (v: number): Scenario => ({ ...scenario, mixed: { ...m, durationMs: v } });
    const ms = largestFitting(1, m.durationMs, withMs, ok);
    if (ms !== null)
      return { scenario: withMs(ms), text: `a duration of ${fmt(ms)} ms or less (m.ms=${ms})` };
    const withTasks = (v: number): Scenario => ({
      ...scenario,
      mixed: { ...m, durationMs: 1, tasks: v },
    });
    const tasks = largestFitting(1, m.tasks, withTasks, ok);
    if (tasks !== null)
      return {
        scenario: withTasks(tasks),
        text: `${fmt(tasks)} tasks or fewer and a duration of 1 ms`,
      };
    return null;
  }
  const th = scenario.thread;
  const withR = (v: number): Scenario => ({ ...scenario, thread: { ...th, repeat: v } });
  const r = largestFitting(1, th.repeat, withR, ok);
  if (r !== null) return { scenario: withR(r), text: `-r ${r} or fewer` };
  const withT = (v: number): Scenario => ({
    ...scenario,
    thread: { ...th, repeat: 1, threads: v },
  });
  const t = largestFitting(1, th.threads, withT, ok);
  if (t !== null) return { scenario: withT(t), text: `-r 1 and -t ${t} or fewer` };
  const withP = (v: number): Scenario => ({
    ...scenario,
    thread: { ...th, repeat: 1, threads: 1, parallelism: v },
  });
  const p = largestFitting(1, th.parallelism, withP, ok);
  if (p !== null) return { scenario: withP(p), text: `-r 1, -t 1 and -p ${p} or fewer` };
  return null;
}

/** "2.1 billion events", "950,000 events". */
export function formatEvents(events: number): string {
  // Three significant digits, so an estimate just over a budget does not print as the budget.
  const digits = (v: number) => String(Number(v.toPrecision(3)));
  if (events >= 1e9) return `${digits(events / 1e9)} billion events`;
  if (events >= 1e6) return `${digits(events / 1e6)} million events`;
  return `${Math.round(events).toLocaleString('en-US')} events`;
}

/** Wall time at EVENTS_PER_SECOND: "15 s", "8 min", "2.3 h". */
export function formatEventTime(events: number): string {
  const s = events / EVENTS_PER_SECOND;
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${Number((bytes / GB).toPrecision(2))} GB`;
  return `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

/**
 * null when every run of the scenario (one per design in `designs`) fits the budget; else one
 * line: the estimate in words, the budget, and a smaller run that fits it.
 */
export function checkRunCost(
  scenario: Scenario,
  budget: RunBudget = PAGE_BUDGET,
  designs: readonly DesignSpec[] = DESIGN_IDS,
): string | null {
  if (fits(scenario, budget, designs)) return null;
  const cost = worstRunCost(scenario, designs);
  const suggestion = suggestSmaller(scenario, budget, designs);
  const estimate =
    `This run is about ${formatEvents(cost.events)} (≈ ${formatEventTime(cost.events)}) ` +
    `and ${formatBytes(bytesUnder(cost, budget))}`;
  const limit =
    `${budget.owner} is ${formatEvents(budget.events)} (≈ ${formatEventTime(budget.events)}) ` +
    `and ${formatBytes(budget.bytes)}`;
  const tryText = suggestion ? ` Try ${suggestion.text}.` : '';
  return `${estimate}; ${limit}.${tryText}`;
}
