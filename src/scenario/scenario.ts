/**
 * The scenario: everything that determines a simulation's results. The browser URL, the `sim bench`
 * command and the worker all carry this one type; ./url.ts is its only text encoding.
 *
 * Not here: the view (which designs are shown side by side, panel modes, the time cursor). Those
 * are UI state, although the URL carries them too.
 */
import { DEFAULT_MACHINE, MACHINE_LIMITS, type PoolMode } from '../engine/types.ts';
import type { CostParams } from './costs.ts';

export type WorkloadKind = 'thread' | 'mixed';

/** perf bench breakpoint thread: -r, -b, -p, -t (kernel-model.md section 5.1). */
export interface ThreadWorkload {
  /** -r: total batches, one counter shared by all workers. */
  readonly repeat: number;
  /** -b: inherited breakpoints the main thread opens on itself (cpu = -1, rw). */
  readonly breakpoints: number;
  /** -p: worker threads. */
  readonly parallelism: number;
  /** -t: passive threads per batch. */
  readonly threads: number;
}

/**
 * A long-lived population of tasks with churn: debugger-style watchpoints. It varies per-CPU
 * occupancy, produces ENOSPC, and exercises the rwsem writer path through CPU-bound breakpoints.
 */
export interface MixedWorkload {
  /** Long-lived tasks. */
  readonly tasks: number;
  /** Task breakpoints each task holds at start. */
  readonly bpsPerTask: number;
  /** Percent of task breakpoints pinned to one CPU (the rest are cpu = -1). */
  readonly pinnedPercent: number;
  /** CPU-bound breakpoints held at start, spread over CPUs. */
  readonly cpuBound: number;
  /** Create/destroy operations per simulated millisecond, across the machine. */
  readonly churnPerMs: number;
  /** Percent of churn operations that are CPU-bound breakpoints (writers under rwsem). */
  readonly cpuBoundChurnPercent: number;
  /** Simulated duration, ms. */
  readonly durationMs: number;
}

export interface Scenario {
  readonly workload: WorkloadKind;
  readonly cpus: number;
  readonly slots: number;
  readonly pools: PoolMode;
  readonly thread: ThreadWorkload;
  readonly mixed: MixedWorkload;
  readonly seed: number;
  /** Overrides of the cost model; absent keys take DEFAULT_COSTS. */
  readonly costs: Partial<CostParams>;
}

interface Range {
  readonly min: number;
  readonly max: number;
}

/**
 * Every numeric scenario field's allowed range; the CLI, the URL codec and the UI share these. The
 * machine's own bounds (CPUs, slots) are the engine's MACHINE_LIMITS, not a copy of them.
 */
export const SCENARIO_LIMITS = {
  cpus: MACHINE_LIMITS.cpus,
  slots: MACHINE_LIMITS.slots,
  repeat: { min: 1, max: 100_000 },
  breakpoints: { min: 0, max: 16 },
  parallelism: { min: 1, max: 4096 },
  threads: { min: 1, max: 4096 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  tasks: { min: 1, max: 100_000 },
  bpsPerTask: { min: 0, max: 16 },
  pinnedPercent: { min: 0, max: 100 },
  cpuBound: { min: 0, max: 65_536 },
  churnPerMs: { min: 0, max: 10_000 },
  cpuBoundChurnPercent: { min: 0, max: 100 },
  durationMs: { min: 1, max: 600_000 },
} as const satisfies Record<string, Range>;

/*
 * The largest run the simulator accepts is not a limit on any one field: src/sim/budget.ts
 * estimates a run's events and memory from all of them and refuses a run over the budget.
 */

export const DEFAULT_SCENARIO: Scenario = {
  workload: 'thread',
  ...DEFAULT_MACHINE,
  thread: { repeat: 30, breakpoints: 4, parallelism: 64, threads: 64 },
  mixed: {
    tasks: 512,
    bpsPerTask: 2,
    pinnedPercent: 25,
    cpuBound: 64,
    churnPerMs: 20,
    cpuBoundChurnPercent: 2,
    durationMs: 200,
  },
  seed: 1,
  costs: {},
};
