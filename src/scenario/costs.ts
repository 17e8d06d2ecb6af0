/**
 * The cost model's parameters: every physical cost the simulator charges, with its unit and
 * default. docs/model.md justifies each one; the defaults marked "calibrated" were fitted only
 * against the figures kernel-model.md section 6 names as calibration targets.
 *
 * One set of costs serves every design and workload: nothing here is per design.
 */

export interface CostParams {
  /** ns per bp_task_head node visited by task_bp_pinned() (pointer chase, likely cache miss). */
  listNodeNs: number;
  /** ns per iteration of a for_each_cpu loop (cpumask walk, per-CPU pointer arithmetic). */
  cpuIterationNs: number;
  /** ns per rhltable lookup (jhash2 of the task pointer + bucket head load). */
  hashLookupNs: number;
  /** ns per entry of the task's own rhltable list walked after a lookup. */
  taskEntryNs: number;
  /** ns per histogram bucket read or written (per-CPU data, usually cache-hot). */
  histogramNs: number;
  /** ns per atomic RMW on a cache line shared by all CPUs (cross-socket transfer). */
  sharedAtomicNs: number;
  /** ns of fixed work per accounting call (function entry, type checks, lock fast paths). */
  accountingCallNs: number;
  /** ns for a mutex or spinlock to pass from releaser to the next spinner (cache-line transfer). */
  lockHandoffNs: number;
  /** ns from a wake_up of a sleeping thread until it runs on its CPU (IPI + idle exit + switch). */
  wakeLatencyNs: number;
  /** ns of a context switch on a CPU (schedule() to the next task). */
  contextSwitchNs: number;
  /** ns of an RCU grace period (percpu-rwsem writer's rcu_sync_enter). */
  rcuGracePeriodNs: number;
  /** ns of CPU work in clone() for a new thread, outside any shared lock. */
  threadCreateNs: number;
  /** ns per clone() held in the thread group's serialized section (calibrated: -b 0). */
  threadCreateSerialNs: number;
  /** ns of CPU work in do_exit() outside any shared lock. */
  threadExitNs: number;
  /** ns per exit held in the thread group's serialized section (calibrated: -b 0). */
  threadExitSerialNs: number;
  /** ns of futex wake-up work per woken thread, in the waker. */
  futexWakeNs: number;
  /** ns of pthread_join bookkeeping per joined thread, in the joiner. */
  joinNs: number;
  /** ns per inherited event in perf_event_init_task (perf_event_alloc, inherit_event) (calibrated: ideal). */
  perfInheritNs: number;
  /** ns per inherited event in perf_event_exit_task (unlink, free_event) (calibrated: ideal). */
  perfExitNs: number;
  /** One scheduler tick (1/HZ), ns. HZ=1000: RCU's forced reschedule of long spinners counts these. */
  jiffyNs: number;
  /** CPUs sharing a last-level cache: the domain in which wake-ups look for an idle CPU. */
  llcCpus: number;
}

export interface CostParamInfo {
  readonly key: keyof CostParams;
  readonly label: string;
  readonly unit: 'ns' | 'CPUs';
  readonly min: number;
  readonly max: number;
}

/**
 * One row per parameter: label, unit, default and allowed range. `satisfies` makes the compiler
 * check that every parameter has its row; docs/model.md justifies each default.
 */
const COST_TABLE = {
  listNodeNs: { label: 'List node visit', unit: 'ns', default: 12, min: 0, max: 1000 },
  cpuIterationNs: { label: 'Per-CPU loop iteration', unit: 'ns', default: 2, min: 0, max: 1000 },
  hashLookupNs: { label: 'Hash lookup', unit: 'ns', default: 25, min: 0, max: 10_000 },
  taskEntryNs: { label: 'Task list entry', unit: 'ns', default: 3, min: 0, max: 1000 },
  histogramNs: { label: 'Histogram bucket', unit: 'ns', default: 1, min: 0, max: 1000 },
  sharedAtomicNs: {
    label: 'Shared-cacheline atomic',
    unit: 'ns',
    default: 60,
    min: 0,
    max: 10_000,
  },
  accountingCallNs: {
    label: 'Accounting call overhead',
    unit: 'ns',
    default: 100,
    min: 0,
    max: 100_000,
  },
  lockHandoffNs: { label: 'Lock hand-off', unit: 'ns', default: 150, min: 0, max: 100_000 },
  wakeLatencyNs: { label: 'Wake-up latency', unit: 'ns', default: 20_000, min: 0, max: 10_000_000 },
  contextSwitchNs: { label: 'Context switch', unit: 'ns', default: 2000, min: 0, max: 1_000_000 },
  rcuGracePeriodNs: {
    label: 'RCU grace period',
    unit: 'ns',
    default: 3_000_000,
    min: 0,
    max: 1_000_000_000,
  },
  threadCreateNs: {
    label: 'Thread create (parallel part)',
    unit: 'ns',
    default: 15_000,
    min: 0,
    max: 100_000_000,
  },
  threadCreateSerialNs: {
    label: 'Thread create (serialized part)',
    unit: 'ns',
    default: 15_000,
    min: 0,
    max: 100_000_000,
  },
  threadExitNs: {
    label: 'Thread exit (parallel part)',
    unit: 'ns',
    default: 10_000,
    min: 0,
    max: 100_000_000,
  },
  threadExitSerialNs: {
    label: 'Thread exit (serialized part)',
    unit: 'ns',
    default: 15_000,
    min: 0,
    max: 100_000_000,
  },
  futexWakeNs: {
    label: 'Futex wake per thread',
    unit: 'ns',
    default: 1000,
    min: 0,
    max: 10_000_000,
  },
  joinNs: { label: 'Join per thread', unit: 'ns', default: 1000, min: 0, max: 10_000_000 },
  perfInheritNs: {
    label: 'perf inherit per event',
    unit: 'ns',
    default: 500,
    min: 0,
    max: 10_000_000,
  },
  perfExitNs: { label: 'perf exit per event', unit: 'ns', default: 400, min: 0, max: 10_000_000 },
  jiffyNs: {
    label: 'Scheduler tick (1/HZ)',
    unit: 'ns',
    default: 1_000_000,
    min: 100_000,
    max: 100_000_000,
  },
  llcCpus: { label: 'CPUs per LLC domain', unit: 'CPUs', default: 16, min: 1, max: 4096 },
} as const satisfies Record<keyof CostParams, Omit<CostParamInfo, 'key'> & { default: number }>;

export const COST_PARAMS: readonly CostParamInfo[] = (
  Object.keys(COST_TABLE) as (keyof CostParams)[]
).map((key) => {
  const { label, unit, min, max } = COST_TABLE[key];
  return { key, label, unit, min, max };
});

export const DEFAULT_COSTS: Readonly<CostParams> = Object.fromEntries(
  (Object.keys(COST_TABLE) as (keyof CostParams)[]).map((key) => [key, COST_TABLE[key].default]),
) as unknown as CostParams;
