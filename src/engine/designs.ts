/**
 * Every design as a SlotEngine: one decision procedure, many ways of paying for it.
 *
 * A design is a composition of three parts (types.ts DesignParts, docs/design-lab.md): where
 * per-task breakpoints live (the store), which locks guard the accounting, and how the per-CPU
 * maximum is found. The named designs are presets of parts (parts.ts) built by the same code.
 * Every composition decides with the same efficient state (accounting.ts) and reports the work
 * the kernel code of that composition would do, computed arithmetically from L (task breakpoints
 * in the system), k_T (the task's own breakpoints), C and S. Nothing here walks a list of
 * breakpoints: a reserve, release or modify costs the engine O(C + S) whichever design it reports on.
 *
 * - PerCpuEngine (max = cpu-loop or cpu-loop-cached; list, rhltable, sharded, rwsem): the
 *   pre-series per-CPU tsk_pinned model of kernel-model.md section 2.
 * - HistogramEngine (max = histogram; final): section 3.3/3.4 exactly, with tsk_pinned_all and
 *   cpu_pinned histograms.
 * - IdealEngine: accounting disabled.
 *
 * Work attribution: `check` is __reserve_bp_slot()'s fetch_bp_busy_slots() /
 * max_bp_pinned_slots() part, `toggle` is toggle_bp_slot(). Atomics on a shared lock word (v1's
 * rwlock) go to `check` for a reserve or modify and to `toggle` for a release, the only phase a
 * release has.
 */
import { HeldTable } from './held.ts';
import { machineConfig, poolCount, slotIndex } from './machine.ts';
import {
  CpuPinnedCounters,
  TaskPinnedHistograms,
  TaskTable,
  countOnCpu,
  histogramAdd,
  poolOf,
  rowCopy,
  scanReads,
  anyNonZero,
} from './accounting.ts';
import type { TaskPoolBps } from './accounting.ts';
import { designParts, formatDesignParts, parseDesignParts, presetOf } from './parts.ts';
import { isDesignId, parseDesignSpec, specParts, type DesignSpec } from './spec.ts';
import {
  EINVAL_OUTCOME,
  LOCKS,
  LockListCache,
  NO_WORK,
  OK_NO_WORK_OUTCOME,
  clearPhase,
  emptyPhase,
  taskLock,
} from './work.ts';
import { BP_TYPES } from './types.ts';
import type {
  AccountingView,
  BpKey,
  BpType,
  BreakpointSpec,
  DesignParts,
  EngineDesign,
  HistogramAccountingView,
  InspectableSlotEngine,
  LockPart,
  LockTaken,
  MachineConfig,
  NoAccountingView,
  OpOutcome,
  OpResult,
  OpWork,
  PerCpuAccountingView,
  PhaseWork,
  StorePart,
  TaskKey,
} from './types.ts';

/**
 * The -EINVAL cases: perf rejects a cpu outside 0..nr_cpu_ids-1 (other than -1) and a CPU-bound
 * event with cpu = -1 before any accounting; an EMPTY/INVALID bp_type fails hw_breakpoint_parse().
 */
export function isValidBreakpoint(spec: BreakpointSpec, machine: MachineConfig): boolean {
  return validBreakpoint(spec.task, spec.cpu, spec.type, machine.cpus);
}

function validBreakpoint(task: TaskKey | null, cpu: number, type: BpType, cpus: number): boolean {
  if (!BP_TYPES.includes(type)) return false;
  if (!Number.isInteger(cpu) || cpu < -1 || cpu >= cpus) return false;
  return !(task === null && cpu === -1);
}

/** Which locks an operation on `bp` takes, in order, and how many shared-line atomics they cost. */
interface Locking {
  locksFor(task: TaskKey | null): readonly LockTaken[];
  lockAtomics(task: TaskKey | null): number;
}

function globalMutexLocking(): Locking {
  return { locksFor: () => LOCKS.nrBpMutex, lockAtomics: () => 0 };
}

/**
 * v1 6/8: task_sharded_mtx[shard] then read_lock(bp_cpuinfo_lock) for task breakpoints,
 * write_lock(bp_cpuinfo_lock) for CPU-bound ones. Shard = pid % nr_cpu_ids, moved to the first
 * possible CPU at or above it; every CPU is possible here, so shard = task % cpus.
 * A qrwlock reader does an atomic add on the lock word to enter and an atomic sub to leave: 2
 * atomics on a line every CPU shares. A writer does one cmpxchg; its unlock is a plain store.
 */
function shardedLocking(cpus: number): Locking {
  const shards = new LockListCache((shard) =>
    taskLock('task_sharded_mtx', shard, LOCKS.cpuinfoLockRead),
  );
  return {
    locksFor: (task) =>
      task === null ? LOCKS.cpuinfoLockWrite : shards.get(((task % cpus) + cpus) % cpus),
    lockAtomics: (task) => (task === null ? 1 : 2),
  };
}

/**
 * 0912037fec11 (v2+): mirrors bp_constraints_lock(): task->perf_event_mutex then
 * percpu_down_read(bp_cpuinfo_sem) for task breakpoints, percpu_down_write() for CPU-bound ones.
 * The percpu-rwsem read fast path touches only this CPU's counter: no shared atomics. The
 * writer's cost (an RCU grace period) is the simulator's to model from the lock it sees.
 */
function taskMutexLocking(): Locking {
  // Not cached per task: a cache would keep every task that ever lived (the simulator creates
  // hundreds of thousands); the list is two small objects, young garbage.
  return {
    locksFor: (task) =>
      task === null
        ? LOCKS.cpuinfoSemWrite
        : taskLock('perf_event_mutex', task, LOCKS.cpuinfoSemRead),
    lockAtomics: () => 0,
  };
}

/**
 * The lock part `rwlock`: bp_cpuinfo_lock alone, read for task breakpoints, write for CPU-bound
 * ones, with sharded's atomics on the lock word. A lab composition: nothing would serialize two
 * updates of one task's breakpoints in a real kernel (task_bps_ht tolerates them, but the
 * task_bp_pinned() read and the histogram move would race). The engine runs operations one at a
 * time, so it decides the same as every other composition.
 */
function rwlockLocking(): Locking {
  return {
    locksFor: (task) => (task === null ? LOCKS.cpuinfoLockWrite : LOCKS.cpuinfoLockReadOnly),
    lockAtomics: (task) => (task === null ? 1 : 2),
  };
}

function lockingOf(lock: LockPart, cpus: number): Locking {
  switch (lock) {
    case 'global-mutex':
      return globalMutexLocking();
    case 'sharded':
      return shardedLocking(cpus);
    case 'percpu-rwsem':
      return taskMutexLocking();
    case 'rwlock':
      return rwlockLocking();
    default: {
      const unknown: never = lock;
      throw new RangeError(`invalid lock part: ${String(unknown)}`);
    }
  }
}

/**
 * The store part: what one task_bp_pinned() call walks, and what adding or removing a breakpoint
 * costs (list_add_tail()/list_del() at the end of toggle_bp_slot() in the old designs,
 * rhltable_insert()/rhltable_remove() first or last in `final`).
 * - list: the whole global bp_task_head list, L nodes per call; list_add/del are O(1), uncounted.
 * - rhltable: one hash lookup of the task's bucket, then its k_T entries (every type included);
 *   insert and remove are one hash lookup each. The bucket lock is a bit lock in this task's
 *   bucket, not a line every CPU writes, so it is not a shared atomic.
 * - task_struct: a list head in task_struct: no lookup, the k_T entries; list_add/del uncounted.
 * - lazy: as task_struct once the per-task struct exists (a NULL pointer reads as 0 entries);
 *   inserting a task's first breakpoint allocates the struct, removing its last frees it.
 */
interface TaskStore {
  pinned(work: PhaseWork, calls: number, listLength: number, taskEntries: number): void;
  /** `first`: the task had no breakpoint before this one. */
  insert(work: PhaseWork, first: boolean): void;
  /** `last`: the task has no breakpoint left after this one. */
  remove(work: PhaseWork, last: boolean): void;
}

const LIST_STORE: TaskStore = {
  pinned(work, calls, listLength) {
    work.listNodes += calls * listLength;
  },
  insert() {},
  remove() {},
};

const RHLTABLE_STORE: TaskStore = {
  pinned(work, calls, _listLength, taskEntries) {
    work.hashLookups += calls;
    work.taskEntries += calls * taskEntries;
  },
  insert(work) {
    work.hashLookups += 1;
  },
  remove(work) {
    work.hashLookups += 1;
  },
};

function walkOwnEntries(work: PhaseWork, calls: number, _listLength: number, taskEntries: number) {
  work.taskEntries += calls * taskEntries;
}

const TASK_STRUCT_STORE: TaskStore = {
  pinned: walkOwnEntries,
  insert() {},
  remove() {},
};

const LAZY_STORE: TaskStore = {
  pinned: walkOwnEntries,
  insert(work, first) {
    if (first) work.allocations += 1;
  },
  remove(work, last) {
    if (last) work.frees += 1;
  },
};

const STORES: Readonly<Record<StorePart, TaskStore>> = {
  list: LIST_STORE,
  rhltable: RHLTABLE_STORE,
  task_struct: TASK_STRUCT_STORE,
  lazy: LAZY_STORE,
};

/**
 * max over every CPU c of cpu_pinned[c] + (the task's breakpoints applicable to c): the decision
 * of fetch_bp_busy_slots()/max_bp_pinned_slots() for a cpu = -1 task breakpoint. Only the CPUs
 * where the task has pinned breakpoints differ from max(cpu_pinned) + allCpus: O(S + |pinned|).
 */
function busyOnEveryCpu(cpuPinned: CpuPinnedCounters, pool: number, own: TaskPoolBps): number {
  let busy = cpuPinned.max(pool) + own.allCpus;
  if (own.pinned.size === 0) return busy;
  for (const [cpu, onCpu] of own.pinned) {
    busy = Math.max(busy, cpuPinned.get(pool, cpu) + own.allCpus + onCpu);
  }
  return busy;
}

/**
 * The held-breakpoint bookkeeping and the operation skeletons every design shares: -EINVAL
 * checks, lock lists, and modify_bp_slot()'s release / reserve / rollback sequence.
 *
 * Operations count their work into two scratch phases owned by the engine, so the bulk
 * (`…InPlace`) operations allocate nothing but the held record; the SlotEngine methods copy the
 * scratch into a fresh OpOutcome.
 */
abstract class EngineBase implements InspectableSlotEngine {
  readonly machine: MachineConfig;
  protected readonly pools: number;
  protected readonly held = new HeldTable();
  private readonly check = emptyPhase();
  private readonly toggle = emptyPhase();
  /** Whether the last operation took locks, and for which task (null: a CPU-bound bp). */
  private lastLocked = false;
  private lastTask: TaskKey | null = null;

  constructor(
    readonly design: EngineDesign,
    readonly parts: DesignParts | null,
    machine: MachineConfig,
    private readonly locking: Locking,
  ) {
    this.machine = machineConfig(machine);
    this.pools = poolCount(this.machine.pools);
  }

  locksFor(task: TaskKey | null): readonly LockTaken[] {
    return this.locking.locksFor(task);
  }

  /** __reserve_bp_slot() after the lock is taken: check, then toggle on success. */
  protected abstract reserveSlot(
    task: TaskKey | null,
    cpu: number,
    pool: number,
    check: PhaseWork,
    toggle: PhaseWork,
  ): boolean;
  /** __release_bp_slot(): toggle_bp_slot(bp, false, …). */
  protected abstract releaseSlot(
    task: TaskKey | null,
    cpu: number,
    pool: number,
    toggle: PhaseWork,
  ): void;
  abstract accounting(): AccountingView;

  isHeld(key: BpKey): boolean {
    return this.held.has(key);
  }

  reserve(key: BpKey, spec: BreakpointSpec): OpOutcome {
    const result = this.reserveInPlace(key, spec.task, spec.cpu, spec.type);
    return result === 'EINVAL' ? EINVAL_OUTCOME : this.outcome(result);
  }

  release(key: BpKey): OpOutcome {
    return this.outcome(this.releaseInPlace(key));
  }

  modify(key: BpKey, type: BpType): OpOutcome {
    const result = this.modifyInPlace(key, type);
    if (result === 'EINVAL') return EINVAL_OUTCOME;
    return this.lastLocked ? this.outcome(result) : OK_NO_WORK_OUTCOME;
  }

  // mirrors reserve_bp_slot()
  reserveInPlace(key: BpKey, task: TaskKey | null, cpu: number, type: BpType): OpResult {
    if (this.held.has(key)) throw new Error(`${this.label()}: reserve of key ${key}, already held`);
    this.startOp(false, null);
    if (!validBreakpoint(task, cpu, type, this.machine.cpus)) return 'EINVAL';
    this.startOp(true, task);
    this.check.sharedAtomics += this.locking.lockAtomics(task);
    const pool = slotIndex(type, this.machine.pools);
    if (!this.reserveSlot(task, cpu, pool, this.check, this.toggle)) return 'ENOSPC';
    this.held.set(key, task, cpu, type);
    return 'ok';
  }

  // mirrors release_bp_slot()
  releaseInPlace(key: BpKey): OpResult {
    this.findHeld(key, 'release');
    const { foundTask: task, foundCpu: cpu, foundType: type } = this.held;
    this.startOp(true, task);
    this.toggle.sharedAtomics += this.locking.lockAtomics(task);
    this.releaseSlot(task, cpu, slotIndex(type, this.machine.pools), this.toggle);
    this.held.delete(key);
    return 'ok';
  }

  // mirrors modify_user_hw_breakpoint_check() and modify_bp_slot()
  modifyInPlace(key: BpKey, type: BpType): OpResult {
    this.findHeld(key, 'modify');
    const { foundTask: task, foundCpu: cpu, foundType: oldType } = this.held;
    this.startOp(false, null);
    if (!BP_TYPES.includes(type)) return 'EINVAL';
    // modify_bp_slot() only runs when bp_type changes.
    if (type === oldType) return 'ok';
    this.startOp(true, task);
    const { check, toggle } = this;
    const pools = this.machine.pools;
    check.sharedAtomics += this.locking.lockAtomics(task);
    this.releaseSlot(task, cpu, slotIndex(oldType, pools), toggle);
    if (this.reserveSlot(task, cpu, slotIndex(type, pools), check, toggle)) {
      this.held.set(key, task, cpu, type);
      return 'ok';
    }
    // Roll back: re-reserve the old type. It cannot fail, its slots were freed just above.
    if (!this.reserveSlot(task, cpu, slotIndex(oldType, pools), check, toggle)) {
      throw new Error(`${this.label()}: rollback of modify of key ${key} failed`);
    }
    return 'ENOSPC';
  }

  /** The last operation's work; the phases are overwritten by the next operation. */
  lastWork(): OpWork {
    const locks = this.lastLocked ? this.locking.locksFor(this.lastTask) : NO_WORK.locks;
    return { check: this.check, toggle: this.toggle, locks };
  }

  private startOp(locked: boolean, task: TaskKey | null): void {
    this.lastLocked = locked;
    this.lastTask = task;
    clearPhase(this.check);
    clearPhase(this.toggle);
  }

  private outcome(result: OpResult): OpOutcome {
    const { check, toggle, locks } = this.lastWork();
    return { result, work: { check: { ...check }, toggle: { ...toggle }, locks } };
  }

  private findHeld(key: BpKey, op: string): void {
    if (!this.held.find(key)) throw new Error(`${this.label()}: ${op} of key ${key}, not held`);
  }

  /** The design's name, or its parts' text form for a custom composition. */
  private label(): string {
    return this.design === 'custom' && this.parts ? formatDesignParts(this.parts) : this.design;
  }

  protected viewBase(): Pick<AccountingView, 'poolCount' | 'heldCount'> {
    return { poolCount: this.pools, heldCount: () => this.held.size };
  }
}

/**
 * max = cpu-loop (list, rhltable, sharded, rwsem): the pre-series accounting (kernel-model.md
 * section 2). max = cpu-loop-cached models v1 7/8 (kernel-model.md 3.7): the loops stay, but when
 * the first task_bp_pinned() of a loop finds the task CPU-independent (no same-type breakpoint
 * with cpu >= 0), its result is reused for the other CPUs, so the loop costs one call, not C.
 * max = cpu-pinned-histogram models 9b1933b864a1 alone: the check's fast path over the new
 * cpu_pinned histogram; per-CPU tsk_pinned still counts every task, so the toggle still loops.
 */
class PerCpuEngine extends EngineBase {
  private readonly tasks: TaskTable;
  private readonly cpuPinned: CpuPinnedCounters;
  private readonly taskPinned: TaskPinnedHistograms;
  private readonly store: TaskStore;
  private readonly cached: boolean;
  /** max = cpu-pinned-histogram: 9b1933b864a1's check fast path and cpu_pinned histogram. */
  private readonly fastCheck: boolean;

  constructor(design: EngineDesign, parts: DesignParts, machine: MachineConfig) {
    super(design, parts, machine, lockingOf(parts.lock, machine.cpus));
    this.store = STORES[parts.store];
    this.cached = parts.max === 'cpu-loop-cached';
    this.fastCheck = parts.max === 'cpu-pinned-histogram';
    const { cpus, slots } = this.machine;
    this.tasks = new TaskTable(this.pools);
    this.cpuPinned = new CpuPinnedCounters(cpus, slots, this.pools);
    this.taskPinned = new TaskPinnedHistograms(cpus, slots, this.pools);
  }

  protected reserveSlot(
    task: TaskKey | null,
    cpu: number,
    pool: number,
    check: PhaseWork,
    toggle: PhaseWork,
  ): boolean {
    const { cpus, slots } = this.machine;
    if (task === null) {
      // mirrors fetch_bp_busy_slots() for a CPU-bound bp: cpu_pinned + max_task_bp_pinned()
      const maxTask = this.taskPinned.max(pool, cpu);
      check.cpuIterations += 1;
      check.histogramUpdates += scanReads(slots, maxTask);
      if (this.cpuPinned.get(pool, cpu) + maxTask + 1 > slots) return false;
      // mirrors toggle_bp_slot(), CPU-bound: cpu_pinned += weight (a plain add, not counted)
      this.countCpuPinnedHistogram(toggle, this.cpuPinned.add(pool, cpu, 1));
      return true;
    }
    const listLength = this.tasks.size;
    const bps = this.tasks.get(task);
    const taskEntries = bps?.entries ?? 0;
    const own = poolOf(bps, pool);
    const span = cpu < 0 ? cpus : 1;
    const calls = this.pinnedCalls(span, own);
    const onCpu = cpu < 0 ? 0 : countOnCpu(own, cpu);

    if (this.fastCheck && cpu < 0) {
      // mirrors max_bp_pinned_slots() after 9b1933b864a1: the probe task_bp_pinned(-1), then
      // histogram_max(cpu_pinned) for a CPU-independent task, else the loop over every CPU
      this.store.pinned(check, 1, listLength, taskEntries);
      if (own.pinnedTotal === 0) {
        check.histogramUpdates += scanReads(slots, this.cpuPinned.max(pool));
      } else {
        check.cpuIterations += span;
        this.store.pinned(check, span, listLength, taskEntries);
      }
    } else {
      // mirrors fetch_bp_busy_slots(): one task_bp_pinned() per CPU of cpumask_of_bp()
      check.cpuIterations += span;
      this.store.pinned(check, calls, listLength, taskEntries);
    }
    const busy =
      cpu < 0 ? busyOnEveryCpu(this.cpuPinned, pool, own) : this.cpuPinned.get(pool, cpu) + onCpu;
    if (busy + 1 > slots) return false;

    // mirrors toggle_bp_slot(enable): toggle_bp_task_slot() per CPU (task_bp_pinned(), then
    // tsk_pinned[n-1]-- if the task had some, tsk_pinned[n]++), then list_add_tail()
    toggle.cpuIterations += span;
    this.store.pinned(toggle, calls, listLength, taskEntries);
    if (cpu < 0) {
      toggle.histogramUpdates += span + (own.allCpus > 0 ? cpus : own.pinned.size);
      this.taskPinned.addOnEveryCpu(pool, own.allCpus, own.pinned, 1);
    } else {
      toggle.histogramUpdates += this.taskPinned.add(pool, cpu, onCpu, 1);
    }
    this.tasks.add(task, pool, cpu);
    this.store.insert(toggle, bps === undefined);
    return true;
  }

  /**
   * After 9b1933b864a1 a CPU-bound toggle also moves the CPU in the global cpu_pinned histogram
   * (histogram_add(), atomic_t buckets every CPU shares); before it, a plain add, not counted.
   */
  private countCpuPinnedHistogram(toggle: PhaseWork, writes: number): void {
    if (!this.fastCheck) return;
    toggle.histogramUpdates += writes;
    toggle.sharedAtomics += writes;
  }

  /** task_bp_pinned() calls of one loop over `span` CPUs: 1 if v1 7/8's cache applies. */
  private pinnedCalls(span: number, own: TaskPoolBps): number {
    return this.cached && own.pinnedTotal === 0 ? 1 : span;
  }

  protected releaseSlot(task: TaskKey | null, cpu: number, pool: number, toggle: PhaseWork): void {
    if (task === null) {
      // mirrors toggle_bp_slot(), CPU-bound: cpu_pinned -= weight
      this.countCpuPinnedHistogram(toggle, this.cpuPinned.add(pool, cpu, -1));
      return;
    }
    const { cpus } = this.machine;
    // The bp is still on the list while the histograms are updated (kernel-model.md 2.4), so L,
    // k_T and each CPU's count n include it; the task moves from bucket n-1 to n-2.
    const bps = this.tasks.get(task);
    const own = poolOf(bps, pool);
    const span = cpu < 0 ? cpus : 1;
    toggle.cpuIterations += span;
    this.store.pinned(toggle, this.pinnedCalls(span, own), this.tasks.size, bps?.entries ?? 0);
    if (cpu < 0) {
      toggle.histogramUpdates += span + (own.allCpus > 1 ? cpus : own.pinned.size);
      this.taskPinned.addOnEveryCpu(pool, own.allCpus, own.pinned, -1);
    } else {
      toggle.histogramUpdates += this.taskPinned.add(pool, cpu, countOnCpu(own, cpu), -1);
    }
    // then list_del() / rhltable_remove()
    this.tasks.remove(task, pool, cpu);
    this.store.remove(toggle, this.tasks.get(task) === undefined);
  }

  accounting(): PerCpuAccountingView {
    const { cpuPinned, taskPinned } = this;
    return {
      ...this.viewBase(),
      model: 'per-cpu',
      cpuPinned: (cpu, pool) => cpuPinned.get(pool, cpu),
      taskPinned: (cpu, pool) => taskPinned.rowCopy(pool, cpu),
      usedSlots: (cpu, pool) => cpuPinned.get(pool, cpu) + taskPinned.max(pool, cpu),
      isUsed: () => cpuPinned.isUsed() || taskPinned.isUsed(),
    };
  }
}

/**
 * max = histogram (final, Linux 6.1): kernel-model.md sections 3.3 and 3.4. Every
 * task_bp_pinned() call, insert and remove is priced by the store part.
 */
class HistogramEngine extends EngineBase {
  private readonly tasks: TaskTable;
  private readonly cpuPinned: CpuPinnedCounters;
  /** Per-CPU tsk_pinned: CPU-dependent tasks only. */
  private readonly taskPinned: TaskPinnedHistograms;
  /** tsk_pinned_all[pool]: CPU-independent tasks, `slots` buckets per pool. */
  private readonly taskPinnedAll: Int32Array;
  private readonly store: TaskStore;

  constructor(design: EngineDesign, parts: DesignParts, machine: MachineConfig) {
    super(design, parts, machine, lockingOf(parts.lock, machine.cpus));
    this.store = STORES[parts.store];
    const { cpus, slots } = this.machine;
    this.tasks = new TaskTable(this.pools);
    this.cpuPinned = new CpuPinnedCounters(cpus, slots, this.pools);
    this.taskPinned = new TaskPinnedHistograms(cpus, slots, this.pools);
    this.taskPinnedAll = new Int32Array(this.pools * slots);
  }

  /** mirrors max_task_bp_pinned(): histogram_max_merge(tsk_pinned[cpu], tsk_pinned_all). */
  private maxTaskPinned(pool: number, cpu: number): number {
    return this.taskPinned.maxMerged(pool, cpu, this.taskPinnedAll, pool * this.machine.slots);
  }

  protected reserveSlot(
    task: TaskKey | null,
    cpu: number,
    pool: number,
    check: PhaseWork,
    toggle: PhaseWork,
  ): boolean {
    const { cpus, slots } = this.machine;
    // mirrors max_bp_pinned_slots()
    let busy: number;
    if (task === null) {
      // CPU-bound: cpu_pinned[cpu] + max_task_bp_pinned(cpu), under the write lock
      const maxTask = this.maxTaskPinned(pool, cpu);
      check.cpuIterations += 1;
      check.histogramUpdates += 2 * scanReads(slots, maxTask);
      busy = this.cpuPinned.get(pool, cpu) + maxTask;
    } else {
      const bps = this.tasks.get(task);
      const taskEntries = bps?.entries ?? 0;
      const listLength = this.tasks.size;
      const own = poolOf(bps, pool);
      if (cpu < 0) {
        // Fast path probe: task_bp_pinned(-1, bp, type). When it finds a same-type pinned entry
        // it stops early; we count the whole task list (an upper bound: the kernel's stop
        // depends on the order of the bucket list).
        this.store.pinned(check, 1, listLength, taskEntries);
        if (own.pinnedTotal === 0) {
          // CPU-independent task: task count + histogram_max(cpu_pinned)
          const maxCpu = this.cpuPinned.max(pool);
          check.histogramUpdates += scanReads(slots, maxCpu);
          busy = own.allCpus + maxCpu;
        } else {
          // CPU-dependent task: the per-CPU loop, one task_bp_pinned(cpu) each
          check.cpuIterations += cpus;
          this.store.pinned(check, cpus, listLength, taskEntries);
          busy = busyOnEveryCpu(this.cpuPinned, pool, own);
        }
      } else {
        check.cpuIterations += 1;
        this.store.pinned(check, 1, listLength, taskEntries);
        busy = this.cpuPinned.get(pool, cpu) + countOnCpu(own, cpu);
      }
    }
    if (busy + 1 > slots) return false;
    this.toggleSlot(task, cpu, pool, true, toggle);
    return true;
  }

  protected releaseSlot(task: TaskKey | null, cpu: number, pool: number, toggle: PhaseWork): void {
    this.toggleSlot(task, cpu, pool, false, toggle);
  }

  // mirrors toggle_bp_slot() after ecdfb8896f2a
  private toggleSlot(
    task: TaskKey | null,
    cpu: number,
    pool: number,
    enable: boolean,
    work: PhaseWork,
  ): void {
    const { cpus, slots } = this.machine;
    const delta = enable ? 1 : -1;
    if (task === null) {
      // CPU-bound: histogram_add(cpu_pinned histogram, cpu_pinned[cpu], delta), cpu_pinned += delta
      const writes = this.cpuPinned.add(pool, cpu, delta);
      work.histogramUpdates += writes;
      work.sharedAtomics += writes;
      return;
    }
    if (!enable) {
      // Disabling removes bp from task_bps_ht first, so everything below excludes it.
      this.tasks.remove(task, pool, cpu);
      this.store.remove(work, this.tasks.get(task) === undefined);
    }
    const bps = this.tasks.get(task);
    const own = poolOf(bps, pool);
    const taskEntries = bps?.entries ?? 0;
    const listLength = this.tasks.size;
    // next = task_bp_pinned(-1, bp, type): -1 if the task has another same-type pinned bp
    this.store.pinned(work, 1, listLength, taskEntries);
    const allRow = pool * slots;
    if (own.pinnedTotal === 0) {
      const next = own.allCpus;
      if (cpu < 0) {
        // case 1: the task stays CPU-independent; only tsk_pinned_all moves
        const writes = histogramAdd(this.taskPinnedAll, allRow, enable ? next : next + 1, delta);
        work.histogramUpdates += writes;
        work.sharedAtomics += writes;
      } else if (enable) {
        // case 2a: the task becomes CPU-dependent: copy its count into every CPU, add bp on its
        // CPU, take the task out of tsk_pinned_all
        this.taskPinned.fillEveryCpu(pool, next, 1);
        work.cpuIterations += cpus;
        work.histogramUpdates += next > 0 ? cpus : 0;
        work.histogramUpdates += this.taskPinned.add(pool, cpu, next, 1);
        const writes = histogramAdd(this.taskPinnedAll, allRow, next, -next);
        work.histogramUpdates += writes;
        work.sharedAtomics += writes;
      } else {
        // case 2b: bp was the task's last pinned one: remove it from its CPU, take the task out of
        // every CPU, put it back into tsk_pinned_all
        work.histogramUpdates += this.taskPinned.add(pool, cpu, next + 1, -1);
        this.taskPinned.fillEveryCpu(pool, next, -1);
        work.cpuIterations += cpus;
        work.histogramUpdates += next > 0 ? cpus : 0;
        const writes = histogramAdd(this.taskPinnedAll, allRow, 0, next);
        work.histogramUpdates += writes;
        work.sharedAtomics += writes;
      }
    } else if (cpu < 0) {
      // case 3 over every CPU: n = task_bp_pinned(cpu) (+w when disabling), histogram_add(n, delta)
      work.cpuIterations += cpus;
      this.store.pinned(work, cpus, listLength, taskEntries);
      work.histogramUpdates += cpus + (own.allCpus > 0 ? cpus : own.pinned.size);
      this.taskPinned.addOnEveryCpu(pool, own.allCpus + (enable ? 0 : 1), own.pinned, delta);
    } else {
      // case 3 on bp's CPU
      work.cpuIterations += 1;
      this.store.pinned(work, 1, listLength, taskEntries);
      const onCpu = countOnCpu(own, cpu) + (enable ? 0 : 1);
      work.histogramUpdates += this.taskPinned.add(pool, cpu, onCpu, delta);
    }
    if (enable) {
      // Enabling inserts bp into task_bps_ht last.
      this.tasks.add(task, pool, cpu);
      this.store.insert(work, bps === undefined);
    }
  }

  accounting(): HistogramAccountingView {
    const { cpuPinned, taskPinned, taskPinnedAll } = this;
    const { slots } = this.machine;
    const merged = (cpu: number, pool: number): number[] => {
      const all = rowCopy(taskPinnedAll, pool * slots, slots);
      return taskPinned.rowCopy(pool, cpu).map((count, k) => count + all[k]!);
    };
    return {
      ...this.viewBase(),
      model: 'histogram',
      cpuPinned: (cpu, pool) => cpuPinned.get(pool, cpu),
      taskPinned: merged,
      usedSlots: (cpu, pool) => cpuPinned.get(pool, cpu) + this.maxTaskPinned(pool, cpu),
      isUsed: () => cpuPinned.isUsed() || taskPinned.isUsed() || anyNonZero(taskPinnedAll),
      cpuTaskPinned: (cpu, pool) => taskPinned.rowCopy(pool, cpu),
      taskPinnedAll: (pool) => rowCopy(taskPinnedAll, pool * slots, slots),
      cpuPinnedHistogram: (pool) => cpuPinned.histogramRow(pool),
    };
  }
}

/**
 * ideal: constraints accounting disabled. Every valid reserve succeeds at no cost and takes no
 * lock. Invalid breakpoints still get -EINVAL: perf rejects them before accounting is reached.
 */
class IdealEngine extends EngineBase {
  constructor(machine: MachineConfig) {
    super('ideal', null, machine, { locksFor: () => [], lockAtomics: () => 0 });
  }

  protected reserveSlot(): boolean {
    return true;
  }

  protected releaseSlot(): void {}

  accounting(): NoAccountingView {
    const { slots } = this.machine;
    return {
      ...this.viewBase(),
      model: 'none',
      cpuPinned: () => 0,
      taskPinned: () => new Array<number>(slots).fill(0),
      usedSlots: () => 0,
      isUsed: () => false,
    };
  }
}

/**
 * Builds an engine with its own, empty state: a named design (its preset parts, or `ideal`) or
 * any composition of parts. A composition that equals a preset reports that preset's name as
 * `design`, any other reports `custom`; a composition may come as parts or as its text form
 * (`task_struct+percpu-rwsem+histogram`, a DesignSpec). Throws on an invalid machine or part.
 */
export function createSlotEngine(
  designOrParts: DesignSpec | DesignParts,
  machine: MachineConfig,
): InspectableSlotEngine {
  if (designOrParts === 'ideal') return new IdealEngine(machine);
  let design: EngineDesign;
  let parts: DesignParts;
  if (typeof designOrParts === 'string' && isDesignId(designOrParts)) {
    const preset = designParts(designOrParts) as DesignParts | null | undefined;
    if (!preset) throw new RangeError(`invalid design: ${String(designOrParts)}`);
    design = designOrParts;
    parts = preset;
  } else {
    // Parts, or a composition's text form (the page's and the CLI's DesignSpec).
    if (typeof designOrParts === 'string') {
      const parsed = parseDesignSpec(designOrParts);
      if (!parsed.ok) throw new RangeError(parsed.error);
      parts = specParts(parsed.spec) as DesignParts;
    } else parts = checkedParts(designOrParts);
    design = presetOf(parts) ?? 'custom';
  }
  return parts.max === 'histogram'
    ? new HistogramEngine(design, parts, machine)
    : new PerCpuEngine(design, parts, machine);
}

/** A frozen copy of `parts`, checked part by part (callers may pass loose objects). */
function checkedParts(parts: DesignParts): DesignParts {
  const checked = parseDesignParts(`${parts.store}+${parts.lock}+${parts.max}`);
  if (!checked.ok) throw new RangeError(checked.error);
  return checked.parts;
}
