/**
 * The accounting state shared by every design: counters, histograms and the per-task table.
 *
 * These are the engine's own data structures, chosen so that no operation costs the engine more
 * than O(C + S) whatever the design reports (see designs.ts for the kernel work). Layout: every
 * per-CPU array is flat, indexed `pool * cpus + cpu`, and every histogram row is `slots` wide,
 * bucket k counting owners that use exactly k+1 slots. Example with cpus = 2, slots = 4, one pool:
 * tsk_pinned = [0,1,0,0, 2,0,0,0] says CPU 0 has one task with 2 applicable breakpoints and CPU 1
 * has two tasks with 1 each.
 */
import { IntKeyMap } from './int-key-map.ts';
import type { TaskKey } from './types.ts';

/**
 * mirrors bp_slots_histogram_add(): move one owner from `old` slots to `old + delta` slots
 * (old = 0 or old + delta = 0 means "not counted"). Returns the number of buckets written.
 */
export function histogramAdd(h: Int32Array, row: number, old: number, delta: number): number {
  let writes = 0;
  const from = old - 1;
  if (from >= 0) {
    h[row + from]!--;
    if (h[row + from]! < 0) throw new Error(`histogram underflow at bucket ${from}`);
    writes++;
  }
  const to = from + delta;
  if (to >= 0) {
    h[row + to]!++;
    writes++;
  }
  return writes;
}

/** mirrors bp_slots_histogram_max() / max_task_bp_pinned()'s scan: highest used k+1, else 0. */
export function histogramMax(h: Int32Array, row: number, slots: number): number {
  for (let k = slots - 1; k >= 0; k--) if (h[row + k]! > 0) return k + 1;
  return 0;
}

/** mirrors bp_slots_histogram_max_merge(): histogramMax of the element-wise sum of two rows. */
export function histogramMaxMerge(
  a: Int32Array,
  rowA: number,
  b: Int32Array,
  rowB: number,
  slots: number,
): number {
  for (let k = slots - 1; k >= 0; k--) if (a[rowA + k]! + b[rowB + k]! > 0) return k + 1;
  return 0;
}

/** Buckets a top-down histogram scan reads before it stops at `max` (all of them if max = 0). */
export function scanReads(slots: number, max: number): number {
  return max > 0 ? slots - max + 1 : slots;
}

function rowCopy(h: Int32Array, row: number, slots: number): number[] {
  return Array.from(h.subarray(row, row + slots));
}

export function anyNonZero(h: Int32Array): boolean {
  for (let i = 0; i < h.length; i++) if (h[i] !== 0) return true;
  return false;
}

/**
 * cpu_pinned per CPU and pool, plus the global cpu_pinned histogram. The histogram is kernel
 * state in `final` (9b1933b864a1); the older designs keep it only so the engine can find
 * max(cpu_pinned) in O(S) instead of O(C), and report no work for it.
 */
export class CpuPinnedCounters {
  readonly counts: Int32Array;
  readonly histogram: Int32Array;

  constructor(
    readonly cpus: number,
    readonly slots: number,
    pools: number,
  ) {
    this.counts = new Int32Array(pools * cpus);
    this.histogram = new Int32Array(pools * slots);
  }

  get(pool: number, cpu: number): number {
    return this.counts[pool * this.cpus + cpu]!;
  }

  /** toggle_bp_slot(), CPU-bound case. Returns the histogram buckets written. */
  add(pool: number, cpu: number, delta: number): number {
    const index = pool * this.cpus + cpu;
    const writes = histogramAdd(this.histogram, pool * this.slots, this.counts[index]!, delta);
    this.counts[index]! += delta;
    return writes;
  }

  /** max over every CPU of cpu_pinned (histogram_max of the global cpu_pinned histogram). */
  max(pool: number): number {
    return histogramMax(this.histogram, pool * this.slots, this.slots);
  }

  histogramRow(pool: number): number[] {
    return rowCopy(this.histogram, pool * this.slots, this.slots);
  }

  isUsed(): boolean {
    return anyNonZero(this.counts) || anyNonZero(this.histogram);
  }
}

/** One task's breakpoints of one pool: how many have cpu = -1, and how many sit on each CPU. */
export interface TaskPoolBps {
  allCpus: number;
  pinnedTotal: number;
  /** Read-only outside TaskTable; NO_PINNED until the task's first breakpoint with cpu >= 0. */
  pinned: ReadonlyMap<number, number>;
}

/**
 * The pinned map of a task with no breakpoint on a given CPU, shared and never written: most
 * tasks (every thread of the `thread` workload) have none, and a Map per task and pool was a
 * large part of what each live task kept on the heap.
 */
const NO_PINNED: ReadonlyMap<number, number> = new Map<number, number>();

export interface TaskBps {
  /** k_T: every breakpoint of the task, any pool (one rhltable bucket list holds them all). */
  entries: number;
  readonly pools: TaskPoolBps[];
}

const NO_TASK_BPS: TaskPoolBps = Object.freeze({
  allCpus: 0,
  pinnedTotal: 0,
  pinned: NO_PINNED,
});

/** A task's breakpoints of one pool (none if the task has no record). */
export function poolOf(bps: TaskBps | undefined, pool: number): TaskPoolBps {
  return bps?.pools[pool] ?? NO_TASK_BPS;
}

/** task_bp_pinned(cpu, bp, pool) for cpu >= 0: breakpoints with cpu = -1 or cpu = `cpu`. */
export function countOnCpu(own: TaskPoolBps, cpu: number): number {
  return own.allCpus + (own.pinned.get(cpu) ?? 0);
}

/** `own.pinned`, made the task's own map first if it is still the shared NO_PINNED. */
function writablePinned(own: TaskPoolBps): Map<number, number> {
  if (own.pinned === NO_PINNED) own.pinned = new Map<number, number>();
  return own.pinned as Map<number, number>;
}

/**
 * Every task breakpoint in the system, grouped by task: the engine's replacement for both
 * bp_task_head and task_bps_ht. `size` is L, the length the global list would have.
 */
export class TaskTable {
  private readonly tasks = new IntKeyMap<TaskBps>();
  /**
   * Records of tasks whose last breakpoint went, emptied, for the next new task: a thread's
   * record lives as long as its breakpoints (a quarter of the heavier run), long enough for the
   * young-generation collector to copy a new one twice. At most as many as tasks had
   * breakpoints at once.
   */
  private readonly spare: TaskBps[] = [];
  /** L: task breakpoints of every task, every pool. */
  size = 0;

  constructor(private readonly pools: number) {}

  /** One task's breakpoints (k_T = entries), or undefined if it has none; see poolOf(). */
  get(task: TaskKey): TaskBps | undefined {
    return this.tasks.get(task);
  }

  add(task: TaskKey, pool: number, cpu: number): void {
    let bps = this.tasks.get(task);
    if (bps === undefined) {
      bps = this.spare.pop() ?? this.newRecord();
      this.tasks.set(task, bps);
    }
    const poolBps = bps.pools[pool]!;
    if (cpu < 0) {
      poolBps.allCpus++;
    } else {
      poolBps.pinnedTotal++;
      const pinned = writablePinned(poolBps);
      pinned.set(cpu, (pinned.get(cpu) ?? 0) + 1);
    }
    bps.entries++;
    this.size++;
  }

  remove(task: TaskKey, pool: number, cpu: number): void {
    const bps = this.tasks.get(task);
    const poolBps = bps?.pools[pool];
    if (bps === undefined || poolBps === undefined)
      throw new Error(`task ${task} has no breakpoints`);
    if (cpu < 0) {
      if (poolBps.allCpus === 0) throw new Error(`task ${task} has no cpu=-1 breakpoint`);
      poolBps.allCpus--;
    } else {
      const onCpu = poolBps.pinned.get(cpu) ?? 0;
      if (onCpu === 0) throw new Error(`task ${task} has no breakpoint on cpu ${cpu}`);
      const pinned = writablePinned(poolBps);
      if (onCpu === 1) pinned.delete(cpu);
      else pinned.set(cpu, onCpu - 1);
      poolBps.pinnedTotal--;
    }
    bps.entries--;
    this.size--;
    if (bps.entries === 0) {
      this.tasks.delete(task);
      // Every count is back to 0; a map of pinned breakpoints goes, as the task's own.
      for (const own of bps.pools) own.pinned = NO_PINNED;
      this.spare.push(bps);
    }
  }

  private newRecord(): TaskBps {
    // Sized up front: an array grown by push() from empty reserves 17 slots, per task.
    const pools = new Array<TaskPoolBps>(this.pools);
    for (let p = 0; p < this.pools; p++)
      pools[p] = { allCpus: 0, pinnedTotal: 0, pinned: NO_PINNED };
    return { entries: 0, pools };
  }
}

/**
 * Per-CPU tsk_pinned histograms of one or two pools. Before the series every task with an
 * applicable breakpoint is counted here; in `final` only CPU-dependent tasks are.
 *
 * Stored as one `uniform` row per pool that applies to every CPU plus a per-CPU `residual`: the
 * count of bucket k on CPU c is uniform[k] + residual[c][k]. A change that is the same on every
 * CPU (a cpu = -1 breakpoint of a task, case 2a/2b's copy) then costs the engine O(1) plus a
 * fix-up of the CPUs where the task also has pinned breakpoints, instead of O(C); the kernel's
 * O(C) loop is reported as work by the design, not paid by the engine. Example, 2 CPUs, 4
 * slots: uniform [1,0,0,0] and residual [[-1,1,0,0], [0,0,0,0]] is the task histogram
 * CPU 0 = [0,1,0,0], CPU 1 = [1,0,0,0].
 */
export class TaskPinnedHistograms {
  private readonly uniform: Int32Array;
  private readonly residual: Int32Array;

  constructor(
    readonly cpus: number,
    readonly slots: number,
    readonly pools: number,
  ) {
    this.uniform = new Int32Array(pools * slots);
    this.residual = new Int32Array(pools * cpus * slots);
  }

  /** Bucket k of tsk_pinned[cpu]. */
  count(pool: number, cpu: number, k: number): number {
    const { slots } = this;
    return this.uniform[pool * slots + k]! + this.residual[(pool * this.cpus + cpu) * slots + k]!;
  }

  /**
   * histogram_add(tsk_pinned[cpu], old, delta), as bp_slots_histogram_add() does it. Returns
   * the number of buckets written.
   */
  add(pool: number, cpu: number, old: number, delta: number): number {
    const row = (pool * this.cpus + cpu) * this.slots;
    let writes = 0;
    const from = old - 1;
    if (from >= 0) {
      this.residual[row + from]!--;
      if (this.count(pool, cpu, from) < 0) throw new Error(`histogram underflow at bucket ${from}`);
      writes++;
    }
    const to = from + delta;
    if (to >= 0) {
      this.residual[row + to]!++;
      writes++;
    }
    return writes;
  }

  /** max_task_bp_pinned(): the highest non-empty bucket of tsk_pinned[cpu], as k+1. */
  max(pool: number, cpu: number): number {
    for (let k = this.slots - 1; k >= 0; k--) if (this.count(pool, cpu, k) > 0) return k + 1;
    return 0;
  }

  /** histogram_max_merge(tsk_pinned[cpu], other) for a global row of `other`. */
  maxMerged(pool: number, cpu: number, other: Int32Array, otherRow: number): number {
    for (let k = this.slots - 1; k >= 0; k--) {
      if (this.count(pool, cpu, k) + other[otherRow + k]! > 0) return k + 1;
    }
    return 0;
  }

  /**
   * For every CPU c: histogram_add(tsk_pinned[c], allCpus + pinned[c], delta), where the task
   * has `allCpus` breakpoints with cpu = -1 and pinned[c] on CPU c: a uniform move, then the
   * CPUs in `pinned` moved back and forward from their own count. O(|pinned|).
   */
  addOnEveryCpu(
    pool: number,
    allCpus: number,
    pinned: ReadonlyMap<number, number>,
    delta: number,
  ): void {
    const { uniform, residual, slots } = this;
    const from = allCpus - 1;
    const to = from + delta;
    if (from >= 0) uniform[pool * slots + from]!--;
    if (to >= 0) uniform[pool * slots + to]!++;
    if (pinned.size === 0) return;
    for (const [cpu, onCpu] of pinned) {
      const row = (pool * this.cpus + cpu) * slots;
      if (from >= 0) residual[row + from]!++;
      if (to >= 0) residual[row + to]!--;
      this.add(pool, cpu, allCpus + onCpu, delta);
    }
  }

  /** For every CPU: histogram_add(tsk_pinned[c], 0, n) (sign +1) or (…, n, -n) (sign -1). O(1). */
  fillEveryCpu(pool: number, n: number, sign: 1 | -1): void {
    if (n > 0) this.uniform[pool * this.slots + n - 1]! += sign;
  }

  rowCopy(pool: number, cpu: number): number[] {
    const row: number[] = [];
    for (let k = 0; k < this.slots; k++) row.push(this.count(pool, cpu, k));
    return row;
  }

  /** Any bucket of any CPU non-zero. O(C·S): for inspection, not for operations. */
  isUsed(): boolean {
    for (let pool = 0; pool < this.pools; pool++) {
      for (let cpu = 0; cpu < this.cpus; cpu++) {
        for (let k = 0; k < this.slots; k++) if (this.count(pool, cpu, k) !== 0) return true;
      }
    }
    return false;
  }
}

export { rowCopy };
