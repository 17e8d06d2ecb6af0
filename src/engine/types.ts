/**
 * The engine's vocabulary: machines, breakpoints, designs and the work an operation costs.
 *
 * This module is the engine's public boundary. It holds types and small constants only; the
 * accounting lives in ./accounting.ts and the per-design work in ./designs.ts. Nothing here may
 * import from the browser, React or the simulator (see src/engine/README.md).
 */

/** Pool layout: `shared` mirrors x86's CONFIG_HAVE_MIXED_BREAKPOINTS_REGS (TYPE_INST == TYPE_DATA). */
export type PoolMode = 'shared' | 'split';

/** perf's bp_type as the replay format spells it: read, write, read-write, execute. */
export type BpType = 'r' | 'w' | 'rw' | 'x';

export const BP_TYPES: readonly BpType[] = ['r', 'w', 'rw', 'x'];

export type OpResult = 'ok' | 'ENOSPC' | 'EINVAL';

export interface MachineConfig {
  /** Number of possible CPUs, 1..4096. */
  readonly cpus: number;
  /** Slots per CPU per pool (HBP_NUM on x86 is 4), 1..16. */
  readonly slots: number;
  readonly pools: PoolMode;
}

/**
 * The machine's bounds and defaults: the one table every reader of a CPU or slot count checks
 * against (the engine's machineConfig(), the scenario's SCENARIO_LIMITS, both CLI commands and the
 * page's controls, through SCENARIO_LIMITS).
 */
export const MACHINE_LIMITS = {
  cpus: { min: 1, max: 4096, default: 256 },
  slots: { min: 1, max: 16, default: 4 },
} as const;

export const DEFAULT_MACHINE: MachineConfig = {
  cpus: MACHINE_LIMITS.cpus.default,
  slots: MACHINE_LIMITS.slots.default,
  pools: 'shared',
};

/**
 * Every design of the series, in the order the series introduced them.
 * - list:     before the series: one global list, global nr_bp_mutex, per-CPU loops.
 * - rhltable: 0370dc314df3: per-task hash table; still the global mutex and per-CPU loops.
 * - sharded:  v1 6/8: rwlock bp_cpuinfo_lock plus task_sharded_mtx[pid % nr_cpu_ids].
 * - rwsem:    0912037fec11: percpu-rwsem bp_cpuinfo_sem plus task_struct::perf_event_mutex.
 * - final:    Linux 6.1: plus the CPU-independent histograms (9b1933b864a1, ecdfb8896f2a).
 * - ideal:    accounting disabled: always ok, no work. A reference line, not a correct design.
 */
export type DesignId = 'list' | 'rhltable' | 'sharded' | 'rwsem' | 'final' | 'ideal';

export const DESIGN_IDS: readonly DesignId[] = [
  'list',
  'rhltable',
  'sharded',
  'rwsem',
  'final',
  'ideal',
];

/**
 * The design lab: a design broken into the three parts the 2022 thread weighs separately, so
 * designs beyond the named ones can be composed (docs/design-lab.md).
 * - store: where per-task breakpoints live, i.e. what one task_bp_pinned() call walks.
 *     list:        one global bp_task_head list; every call walks all L nodes (before the series).
 *     rhltable:    task_bps_ht keyed by task: a hash lookup, then the task's k_T entries (thread option 1).
 *     task_struct: a list head in task_struct: a direct pointer, then the k_T entries (option 2).
 *     lazy:        a lazily allocated per-task struct reached from a task_struct pointer: as
 *                  task_struct, plus an allocation on the task's first breakpoint and a free when
 *                  its last goes (option 3; option 4 costs the accounting the same).
 * - lock: which locks guard the accounting (bp_constraints_lock()).
 *     global-mutex: nr_bp_mutex for everything (before the series).
 *     sharded:      v1 6/8: task_sharded_mtx[task % C] + bp_cpuinfo_lock read; CPU-bound: write.
 *     percpu-rwsem: 0912037fec11: the task's perf_event_mutex + bp_cpuinfo_sem read; CPU-bound: write.
 *     rwlock:       bp_cpuinfo_lock alone: read for task bps, write for CPU-bound ones. Alone it
 *                   would not serialize one task's concurrent updates in a real kernel; the engine
 *                   decides the same whatever the lock.
 * - max: how the per-CPU maximum is found.
 *     cpu-loop:        the pre-series loops: task_bp_pinned() per CPU in the check and the toggle.
 *     cpu-loop-cached: v1 7/8 (dropped in v2): the loops stay, but the first task_bp_pinned() is
 *                      reused for every CPU when the task turns out CPU-independent.
 *     cpu-pinned-histogram: 9b1933b864a1 alone: the cpu_pinned histogram gives the check a fast
 *                      path for CPU-independent tasks (probe + histogram_max); the toggle still loops.
 *     histogram:       Linux 6.1: tsk_pinned_all and the cpu_pinned histogram with the fast paths
 *                      of 9b1933b864a1 and ecdfb8896f2a.
 */
export type StorePart = 'list' | 'rhltable' | 'task_struct' | 'lazy';
export type LockPart = 'global-mutex' | 'sharded' | 'percpu-rwsem' | 'rwlock';
export type MaxPart = 'cpu-loop' | 'cpu-loop-cached' | 'cpu-pinned-histogram' | 'histogram';

export interface DesignParts {
  readonly store: StorePart;
  readonly lock: LockPart;
  readonly max: MaxPart;
}

/** Every value of every part, in the order the text form and the page list them. */
export const DESIGN_PART_VALUES: {
  readonly store: readonly StorePart[];
  readonly lock: readonly LockPart[];
  readonly max: readonly MaxPart[];
} = {
  store: ['list', 'rhltable', 'task_struct', 'lazy'],
  lock: ['global-mutex', 'sharded', 'percpu-rwsem', 'rwlock'],
  max: ['cpu-loop', 'cpu-loop-cached', 'cpu-pinned-histogram', 'histogram'],
};

/** The named designs that are compositions of parts (`ideal` has no accounting, so no parts). */
export type PresetDesignId = Exclude<DesignId, 'ideal'>;

/** What an engine reports as its design: a named design, or `custom` for any other composition. */
export type EngineDesign = DesignId | 'custom';

/** The kernel locks an accounting operation can take. */
export type LockId =
  | 'nr_bp_mutex' // global struct mutex (list, rhltable)
  | 'bp_cpuinfo_lock' // v1's rwlock_t (sharded)
  | 'task_sharded_mtx' // v1's per-CPU array of mutexes, indexed by shard (sharded)
  | 'bp_cpuinfo_sem' // percpu-rwsem (rwsem, final)
  | 'perf_event_mutex'; // task_struct::perf_event_mutex of the target task (rwsem, final)

/** Every accounting lock, in the order the series introduced them. */
export const LOCK_IDS: readonly LockId[] = [
  'nr_bp_mutex',
  'bp_cpuinfo_lock',
  'task_sharded_mtx',
  'bp_cpuinfo_sem',
  'perf_event_mutex',
];

export type LockMode = 'exclusive' | 'read' | 'write';

/**
 * One lock acquisition. `instance` tells apart the instances of a per-shard or per-task lock:
 * the shard index for task_sharded_mtx, the task key for perf_event_mutex, 0 for global locks.
 */
export interface LockTaken {
  readonly lock: LockId;
  readonly mode: LockMode;
  readonly instance: number;
}

/**
 * The work the kernel code does in one phase of an operation, as counts. The simulator's cost
 * model turns these into time; nothing here is a duration.
 */
export interface PhaseWork {
  /** bp_task_head list nodes visited (task_bp_pinned() before rhltable). */
  listNodes: number;
  /** Iterations of a per-CPU loop (for_each_cpu over cpumask_of_bp, or over all possible CPUs). */
  cpuIterations: number;
  /** rhltable lookups of the task's bucket (jhash2 + bucket walk). */
  hashLookups: number;
  /** Entries of the task's own rhltable list walked after a lookup (k_T per lookup). */
  taskEntries: number;
  /** Histogram buckets read or written (max_task_bp_pinned scans, histogram_add, histogram_max). */
  histogramUpdates: number;
  /** Atomic read-modify-writes on a cache line shared by every CPU (tsk_pinned_all, rwlock word). */
  sharedAtomics: number;
  /** kzalloc()s of a task's lazily allocated breakpoint data (`lazy` store: its first breakpoint). */
  allocations: number;
  /** kfree()s of that data (`lazy` store: when the task's last breakpoint goes). */
  frees: number;
}

/**
 * The work of one operation, split by where perf report would attribute it:
 * `check` is __reserve_bp_slot()'s fetch/max_bp_pinned_slots part, `toggle` is toggle_bp_slot().
 * A modify is the sum of its release, reserve and (on failure) rollback.
 */
export interface OpWork {
  readonly check: PhaseWork;
  readonly toggle: PhaseWork;
  /** Locks in acquisition order; released in reverse. Empty for `ideal`. */
  readonly locks: readonly LockTaken[];
}

export interface OpOutcome {
  readonly result: OpResult;
  readonly work: OpWork;
}

/** Keys are small non-negative integers chosen by the caller (the replay command maps strings). */
export type BpKey = number;
export type TaskKey = number;

export interface BreakpointSpec {
  /** null for a CPU-bound breakpoint. */
  readonly task: TaskKey | null;
  /** -1 for "every CPU the task runs on" (task breakpoints only), else 0..cpus-1. */
  readonly cpu: number;
  readonly type: BpType;
}

/**
 * One design's view of the accounting. All designs give identical results; they differ in the
 * work they report. reserve() of a key already held, or release()/modify() of a key not held,
 * throws: callers validate first (the replay command does).
 */
export interface SlotEngine {
  /** The named design, or `custom` for a composition no named design matches. */
  readonly design: EngineDesign;
  /** The design's parts; null for `ideal`, which has no accounting. */
  readonly parts: DesignParts | null;
  readonly machine: MachineConfig;
  reserve(key: BpKey, bp: BreakpointSpec): OpOutcome;
  release(key: BpKey): OpOutcome;
  modify(key: BpKey, type: BpType): OpOutcome;
  isHeld(key: BpKey): boolean;
}

/**
 * A read-only view of one engine's accounting state, for tests and for panels that draw slot
 * occupancy. Pools are type indexes: 0 only with `shared` pools; with `split` pools 0 is TYPE_INST
 * (`x`) and 1 is TYPE_DATA (`r`, `w`, `rw`). Histograms are copies of length `slots`:
 * `count[k]` = number of owners (tasks, or CPUs for cpu_pinned) using exactly k+1 slots.
 */
export interface AccountingViewBase {
  /** 1 for `shared` pools, 2 for `split`. */
  readonly poolCount: number;
  /** Breakpoints currently held (reserved and not released). */
  heldCount(): number;
  /** bp_cpuinfo[cpu][pool].cpu_pinned: CPU-bound breakpoints on that CPU. */
  cpuPinned(cpu: number, pool: number): number;
  /**
   * The per-CPU task histogram as the pre-series model defines it: count[k] = tasks with exactly
   * k+1 task breakpoints of that pool applicable to `cpu` (cpu = -1 or cpu = `cpu`). For `final`
   * this is the element-wise sum of tsk_pinned[cpu] and tsk_pinned_all, the histogram that
   * histogram_max_merge() scans.
   */
  taskPinned(cpu: number, pool: number): number[];
  /** cpu_pinned + max_task_bp_pinned(): the slots a reserve on `cpu` finds busy. Never above `slots`. */
  usedSlots(cpu: number, pool: number): number;
  /** mirrors hw_breakpoint_is_used(): any counter of any CPU or histogram is non-zero. */
  isUsed(): boolean;
}

/** list, rhltable, sharded, rwsem: per-CPU tsk_pinned of every task, as before the series. */
export interface PerCpuAccountingView extends AccountingViewBase {
  readonly model: 'per-cpu';
}

/** final: per-CPU tsk_pinned of CPU-dependent tasks only, plus the global histograms. */
export interface HistogramAccountingView extends AccountingViewBase {
  readonly model: 'histogram';
  /** The raw per-CPU tsk_pinned histogram (CPU-dependent tasks only). */
  cpuTaskPinned(cpu: number, pool: number): number[];
  /** Global tsk_pinned_all histogram (CPU-independent tasks). */
  taskPinnedAll(pool: number): number[];
  /** Global cpu_pinned histogram (count[k] = CPUs with cpu_pinned == k+1). */
  cpuPinnedHistogram(pool: number): number[];
}

/** ideal: no accounting at all; every counter reads 0. */
export interface NoAccountingView extends AccountingViewBase {
  readonly model: 'none';
}

export type AccountingView = PerCpuAccountingView | HistogramAccountingView | NoAccountingView;

/**
 * What createSlotEngine() returns: a SlotEngine whose state tests and panels can read, plus
 * allocation-free operations for bulk callers (the replay command). An `…InPlace` operation
 * returns only the result and leaves its work in lastWork(), whose phases the next operation
 * overwrites; the same preconditions as the SlotEngine methods apply.
 */
export interface InspectableSlotEngine extends SlotEngine {
  accounting(): AccountingView;
  reserveInPlace(key: BpKey, task: TaskKey | null, cpu: number, type: BpType): OpResult;
  releaseInPlace(key: BpKey): OpResult;
  modifyInPlace(key: BpKey, type: BpType): OpResult;
  lastWork(): OpWork;
  /** The last operation's check and toggle phases, live: lastWork() without its lock list. */
  lastPhases(): { readonly check: PhaseWork; readonly toggle: PhaseWork };
  /**
   * mirrors bp_constraints_lock(): the locks an operation on a breakpoint of `task` (null for a
   * CPU-bound one) takes, in acquisition order. Empty for `ideal`.
   */
  locksFor(task: TaskKey | null): readonly LockTaken[];
}
