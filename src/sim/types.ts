/**
 * What a simulation run produces: the perf-bench-style result, the simulated profile, lock
 * statistics, and the sample columns the panels draw. Bulk data is typed-array columns; the
 * worker transfers their buffers.
 */
import type { DesignSpec } from '../engine/spec.ts';

// The CPU states are declared once, in cpuStates.ts; re-exported here with the output types.
export {
  CPU_STATE_COUNT,
  CPU_STATE_TABLE,
  CPU_STATES,
  type CpuStateFamily,
  type CpuStateName,
  type CpuStateSpec,
} from './cpuStates.ts';

/** Kernel symbols of the simulated profile, as perf report names them. */
export const PROFILE_SYMBOLS = [
  'osq_lock',
  'mutex_spin_on_owner',
  '__reserve_bp_slot',
  'toggle_bp_slot',
  'task_bp_pinned',
  'rhashtable_jhash2',
  'bcmp',
  'percpu_down_write',
  'queued_spin_lock_slowpath',
  'queued_read_lock_slowpath',
  'queued_write_lock_slowpath',
  'smp_call_function_many_cond',
  'flush_tlb_func_common',
  'llist_reverse_order',
  'update_sg_lb_stats',
  'arch_install_hw_breakpoint',
  'do_mmap',
  'mprotect_fixup',
  '__do_munmap',
  'unmap_page_range',
  'handle_mm_fault',
  '__lll_lock_wait_private',
  'try_to_wake_up',
  'copy_process',
  'do_exit',
  'perf_event_init_task',
  'perf_event_exit_task',
  'futex',
  'schedule',
  'user',
] as const;
export type ProfileSymbol = (typeof PROFILE_SYMBOLS)[number];

const PROFILE_INDEX: ReadonlyMap<ProfileSymbol, number> = new Map(
  PROFILE_SYMBOLS.map((sym, i) => [sym, i]),
);

/**
 * A profile symbol's index in PROFILE_SYMBOLS (and in Kernel.profileNs). Actions carry it, so the
 * kernel charges time with an array index, not a lookup per event.
 */
export function profileIndex(sym: ProfileSymbol): number {
  return PROFILE_INDEX.get(sym) as number;
}

export interface WaitQuantiles {
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
}

export interface LockStats {
  /** Lock class: all instances of a per-task or per-shard lock are summed under one name. */
  readonly lock: string;
  readonly acquisitions: number;
  /** Acquisitions that had to wait (spin or sleep). */
  readonly contended: number;
  readonly wait: WaitQuantiles;
  readonly holdTotalNs: number;
}

/**
 * The sample columns of one run, decimated to a fixed budget however long the run.
 *
 * Frames: simulated time is cut into `frameCount` frames of `frameNs` each, from 0. When the run
 * outgrows them, pairs of frames merge and `frameNs` doubles, so memory stays fixed. Layouts
 * (f = frame, c = cpu, s = state index into CPU_STATE_TABLE, p = pool):
 *   cpuState[f * cpus + c]: what CPU c did in frame f: its busiest state if it was busy for a
 *     quarter of the frame or more, else idle or asleep-on-a-lock, whichever took longer.
 *   stateCpus[f * CPU_STATE_COUNT + s]: time-averaged number of CPUs in state s during frame f.
 *   cpuPinned[(f * pools + p) * cpus + c]: CPU-bound slots in use at the end of frame f.
 *   taskMax[(f * pools + p) * cpus + c]: the largest task count applicable to CPU c.
 *   spinWaiters[f], sleepWaiters[f]: time-averaged waiters on accounting locks in frame f.
 *   enospcPerFrame[f]: reserves that failed with ENOSPC in frame f.
 * Acquisitions: one entry per accounting-lock acquisition, every `acquisitionStride`-th kept.
 */
export interface SampleColumns {
  readonly cpus: number;
  readonly pools: number;
  readonly frameCount: number;
  readonly frameNs: number;
  readonly cpuState: Uint8Array;
  readonly stateCpus: Float32Array;
  readonly cpuPinned: Uint8Array;
  readonly taskMax: Uint8Array;
  readonly spinWaiters: Float32Array;
  readonly sleepWaiters: Float32Array;
  readonly enospcPerFrame: Uint32Array;
  /** ENOSPC failures attributed to each CPU (the CPU that was full), over the whole run. */
  readonly enospcPerCpu: Uint32Array;
  readonly acquisitionCount: number;
  readonly acquisitionStride: number;
  readonly acquisitionAtNs: Float64Array;
  readonly acquisitionWaitNs: Float64Array;
  readonly acquisitionHoldNs: Float64Array;
}

export interface RunResult {
  /** The design as the run was asked for: a named design or a composition's text form. */
  readonly design: DesignSpec;
  /** perf bench's timed region (gettimeofday to gettimeofday), simulated ns. */
  readonly totalTimeNs: number;
  readonly usecsPerOp: number;
  readonly usecsPerOpPerCpu: number;
  /** Simulated end of the run, after trailing exits, ns. */
  readonly endNs: number;
  readonly accountingOps: number;
  readonly enospc: number;
  /** Set when the benchmark could not open its breakpoints (perf bench exits with ENOSPC). */
  readonly openError: 'ENOSPC' | null;
  readonly threadsCreated: number;
  readonly peakLiveThreads: number;
  /** CPU time by kernel symbol, ns (idle excluded). */
  readonly profileNs: Readonly<Record<ProfileSymbol, number>>;
  readonly locks: readonly LockStats[];
  /** Discrete events the run took (a measure of the simulator's own work). */
  readonly events: number;
}

export interface RunProgress {
  /** 0..1 */
  readonly fraction: number;
  readonly simulatedNs: number;
  readonly done: boolean;
}
