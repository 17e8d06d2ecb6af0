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
  /** ns per rhltable lookup spent hashing the task pointer (rhashtable_jhash2). */
  jhashNs: number;
  /** ns per rhltable lookup spent loading the bucket and walking it (task_bp_pinned, inlined rhltable_lookup). */
  bucketWalkNs: number;
  /** ns per rhltable lookup spent comparing the key (bcmp). */
  keyCompareNs: number;
  /** ns per entry of the task's own rhltable list walked after a lookup. */
  taskEntryNs: number;
  /** ns per histogram bucket read or written (per-CPU data, usually cache-hot). */
  histogramNs: number;
  /** ns per atomic RMW on a cache line shared by all CPUs (cross-socket transfer). */
  sharedAtomicNs: number;
  /** ns per kzalloc() of a task's lazily allocated breakpoint data (`lazy` store, kmalloc-64). */
  slabAllocNs: number;
  /** ns per kfree() of that data when the task's last breakpoint goes. */
  slabFreeNs: number;
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
  /** ns of copy_process() work outside the locks modelled (allocations, credentials, pid, cgroup). */
  threadCreateNs: number;
  /** ns of do_exit() work outside the locks modelled (files, fs, cgroup, task freeing). */
  threadExitNs: number;
  /** ns per tasklist_lock write section (siglock nested): one in clone, two in exit. */
  tasklistNs: number;
  /** ns per rt_sigprocmask siglock section (two per thread: creator and child). */
  sigprocmaskNs: number;
  /** ns per inherited event in perf_event_alloc() (outside child_mutex; the reserve runs inside it). */
  perfAllocNs: number;
  /** ns per inherited event linked under the original event's child_mutex (inherit_event). */
  perfInheritNs: number;
  /** ns per inherited event unlinked under the original event's child_mutex (perf_event_exit_event). */
  perfExitNs: number;
  /** ns of glibc's stack-cache bookkeeping under dl_stack_cache_lock (get_cached_stack, queue_stack). */
  stackCacheOpNs: number;
  /** Stacks glibc keeps cached: 40 MiB / (8 MiB + guard) = 4. */
  stackCacheStacks: number;
  /** ns of the stack's mmap() under mmap_lock for write (do_mmap). */
  mmapNs: number;
  /** ns of the guard page's mprotect() under mmap_lock for write (mprotect_fixup, VMA split). */
  mprotectNs: number;
  /** ns per page fault on a fresh stack, under mmap_lock for read (three per new stack). */
  pageFaultNs: number;
  /** ns of the exiting thread's madvise(MADV_DONTNEED) of its stack, under mmap_lock for read. */
  madviseNs: number;
  /** ns of munmap's VMA detach under mmap_lock for write. */
  munmapDetachNs: number;
  /** ns of munmap's zap and page-table freeing under mmap_lock for read (after the downgrade). */
  munmapZapNs: number;
  /** ns per TLB-shootdown target in the initiator: csd_lock, llist_add, IPI send. */
  ipiSendNs: number;
  /** ns from the last IPI sent to a running target's ack, before its handler. */
  ipiLatencyNs: number;
  /** ns of one CPU's flush_tlb_func (full flush), on each target and the initiator. */
  tlbFlushNs: number;
  /** ns of a receiver's llist_del_all + llist_reverse_order per IPI. */
  llistReverseNs: number;
  /** ns an idle CPU takes to leave its C-state before it handles an IPI. */
  idleExitNs: number;
  /** ns per breakpoint installed or uninstalled on a switch from or to idle (arch_install_hw_breakpoint). */
  drInstallNs: number;
  /** ns per CPU visited by update_sg_lb_stats() when an idle CPU balances an overloaded machine. */
  lbStatsPerCpuNs: number;
  /** ns per futex waiter queueing under its hash bucket's spinlock. */
  futexQueueNs: number;
  /** ns per waiter marked by futex_wake() under the bucket's spinlock. */
  futexMarkNs: number;
  /** ns per waiter woken by wake_up_q() (try_to_wake_up), in the waker, one after another. */
  futexWakeNs: number;
  /** ns of pthread_join bookkeeping per joined thread, in the joiner. */
  joinNs: number;
  /** One scheduler tick (1/HZ), ns. HZ=1000: RCU's forced reschedule of long spinners counts these. */
  jiffyNs: number;
  /** CPUs sharing a last-level cache: the domain in which wake-ups look for an idle CPU. */
  llcCpus: number;
}

export interface CostParamInfo {
  readonly key: keyof CostParams;
  readonly label: string;
  readonly unit: 'ns' | 'CPUs' | 'stacks';
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
  jhashNs: {
    label: 'Hash of the task pointer (jhash2)',
    unit: 'ns',
    default: 10,
    min: 0,
    max: 10000,
  },
  bucketWalkNs: { label: 'Hash bucket load and walk', unit: 'ns', default: 10, min: 0, max: 10000 },
  keyCompareNs: { label: 'Hash key compare (bcmp)', unit: 'ns', default: 5, min: 0, max: 10000 },
  taskEntryNs: { label: 'Task list entry', unit: 'ns', default: 3, min: 0, max: 1000 },
  histogramNs: { label: 'Histogram bucket', unit: 'ns', default: 1, min: 0, max: 1000 },
  sharedAtomicNs: {
    label: 'Shared-cacheline atomic',
    unit: 'ns',
    default: 60,
    min: 0,
    max: 10_000,
  },
  slabAllocNs: {
    label: 'kzalloc of per-task data (kmalloc-64)',
    unit: 'ns',
    default: 150,
    min: 0,
    max: 100_000,
  },
  slabFreeNs: {
    label: 'kfree of per-task data',
    unit: 'ns',
    default: 80,
    min: 0,
    max: 100_000,
  },
  accountingCallNs: {
    label: 'Accounting call overhead',
    unit: 'ns',
    default: 100,
    min: 0,
    max: 100_000,
  },
  lockHandoffNs: { label: 'Lock hand-off', unit: 'ns', default: 150, min: 0, max: 100_000 },
  wakeLatencyNs: { label: 'Wake-up latency', unit: 'ns', default: 5000, min: 0, max: 10_000_000 },
  contextSwitchNs: { label: 'Context switch', unit: 'ns', default: 2000, min: 0, max: 1_000_000 },
  rcuGracePeriodNs: {
    label: 'RCU grace period',
    unit: 'ns',
    default: 3_000_000,
    min: 0,
    max: 1_000_000_000,
  },
  threadCreateNs: {
    label: 'Thread create (outside modelled locks)',
    unit: 'ns',
    default: 10_000,
    min: 0,
    max: 100_000_000,
  },
  threadExitNs: {
    label: 'Thread exit (outside modelled locks)',
    unit: 'ns',
    default: 8000,
    min: 0,
    max: 100_000_000,
  },
  tasklistNs: {
    label: 'tasklist_lock write section',
    unit: 'ns',
    default: 1000,
    min: 0,
    max: 10_000_000,
  },
  sigprocmaskNs: {
    label: 'siglock section (sigprocmask)',
    unit: 'ns',
    default: 200,
    min: 0,
    max: 10_000_000,
  },
  perfAllocNs: {
    label: 'perf_event_alloc per event',
    unit: 'ns',
    default: 1000,
    min: 0,
    max: 10_000_000,
  },
  perfInheritNs: {
    label: 'perf inherit per event (child_mutex)',
    unit: 'ns',
    default: 500,
    min: 0,
    max: 10_000_000,
  },
  perfExitNs: {
    label: 'perf exit per event (child_mutex)',
    unit: 'ns',
    default: 400,
    min: 0,
    max: 10_000_000,
  },
  stackCacheOpNs: {
    label: 'glibc stack-cache operation',
    unit: 'ns',
    default: 300,
    min: 0,
    max: 10_000_000,
  },
  stackCacheStacks: {
    label: 'glibc stack cache size',
    unit: 'stacks',
    default: 4,
    min: 0,
    max: 1000,
  },
  mmapNs: {
    label: 'Stack mmap (mmap_lock write)',
    unit: 'ns',
    default: 2000,
    min: 0,
    max: 10_000_000,
  },
  mprotectNs: {
    label: 'Guard mprotect (mmap_lock write)',
    unit: 'ns',
    default: 2500,
    min: 0,
    max: 10_000_000,
  },
  pageFaultNs: {
    label: 'Page fault (mmap_lock read)',
    unit: 'ns',
    default: 1500,
    min: 0,
    max: 10_000_000,
  },
  madviseNs: {
    label: 'Exit madvise (mmap_lock read)',
    unit: 'ns',
    default: 1000,
    min: 0,
    max: 10_000_000,
  },
  munmapDetachNs: {
    label: 'munmap detach (mmap_lock write)',
    unit: 'ns',
    default: 1500,
    min: 0,
    max: 10_000_000,
  },
  munmapZapNs: {
    label: 'munmap zap + free tables (read)',
    unit: 'ns',
    default: 3000,
    min: 0,
    max: 10_000_000,
  },
  ipiSendNs: {
    label: 'IPI send per shootdown target',
    unit: 'ns',
    default: 100,
    min: 0,
    max: 1_000_000,
  },
  ipiLatencyNs: {
    label: 'IPI latency to a running CPU',
    unit: 'ns',
    default: 1500,
    min: 0,
    max: 1_000_000,
  },
  tlbFlushNs: { label: 'TLB flush handler', unit: 'ns', default: 500, min: 0, max: 1_000_000 },
  llistReverseNs: {
    label: 'IPI queue reversal (llist_reverse_order)',
    unit: 'ns',
    default: 100,
    min: 0,
    max: 1_000_000,
  },
  idleExitNs: {
    label: 'C-state exit latency',
    unit: 'ns',
    default: 6000,
    min: 0,
    max: 10_000_000,
  },
  drInstallNs: {
    label: 'Debug-register install per breakpoint',
    unit: 'ns',
    default: 150,
    min: 0,
    max: 1_000_000,
  },
  lbStatsPerCpuNs: {
    label: 'Load-balance stats per CPU',
    unit: 'ns',
    default: 10,
    min: 0,
    max: 1_000_000,
  },
  futexQueueNs: {
    label: 'Futex queue (bucket lock)',
    unit: 'ns',
    default: 300,
    min: 0,
    max: 10_000_000,
  },
  futexMarkNs: {
    label: 'Futex wake mark per waiter (bucket lock)',
    unit: 'ns',
    default: 50,
    min: 0,
    max: 10_000_000,
  },
  futexWakeNs: {
    label: 'try_to_wake_up per woken thread',
    unit: 'ns',
    default: 1000,
    min: 0,
    max: 10_000_000,
  },
  joinNs: { label: 'Join per thread', unit: 'ns', default: 1000, min: 0, max: 10_000_000 },
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
