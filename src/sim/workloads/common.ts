/**
 * What both workloads share: the context a workload runs in, the Workload interface the
 * simulation drives, and the thread lifecycle every workload's threads go through (clone() with
 * inherited breakpoints, do_exit()).
 *
 * A workload is one file in this folder plus one line in index.ts's registry: it starts its
 * threads, says how far it is and when the run ends, and fills in its result fields.
 */
import type { BpKey, BreakpointSpec } from '../../engine/types.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { CostParams } from '../../scenario/costs.ts';
import { accountingCall, type AccountingContext, type AccountingRequest } from '../accounting.ts';
import { CpuState } from '../cpuStates.ts';
import type { Action, Kernel, Program, SimThread } from '../kernel.ts';
import { SimFutexLock } from '../locks/futexLock.ts';
import type { LockMode, SimLock } from '../locks/lock.ts';
import { SimMutex } from '../locks/mutex.ts';
import { SimRwsem } from '../locks/rwsem.ts';
import { SimSpinlock } from '../locks/spinlock.ts';
import { tlbShootdown } from '../tlb.ts';
import type { ProfileSymbol, RunResult } from '../types.ts';

export type Steps<T = void> = Generator<Action, T, void>;

/** Kernel or glibc work of the thread lifecycle (user-space bookkeeping shows as user work). */
export function run(
  ns: number,
  sym: ProfileSymbol,
  parts?: readonly (readonly [ProfileSymbol, number])[],
): Action {
  const state = sym === 'user' ? CpuState.work : CpuState.lifecycle;
  return parts === undefined
    ? { kind: 'run', ns, sym, state }
    : { kind: 'run', ns, sym, state, parts };
}

function acquire(lock: SimLock, mode: LockMode = 'write'): Action {
  return { kind: 'acquire', lock, mode };
}

function release(lock: SimLock, mode: LockMode = 'write'): Action {
  return { kind: 'release', lock, mode };
}

/**
 * glibc's stack cache (nptl-stack.c): freed stacks wait here for reuse; beyond `capacity`
 * (40 MiB = 4 stacks of 8 MiB + guard) the oldest is munmap'ed. Only its count matters.
 */
export class StackCache {
  cached = 0;
  hits = 0;
  misses = 0;
  unmapped = 0;
  constructor(readonly capacity: number) {}

  /** get_cached_stack(): true if a cached stack was taken. */
  take(): boolean {
    if (this.cached > 0) {
      this.cached--;
      this.hits++;
      return true;
    }
    this.misses++;
    return false;
  }

  /** queue_stack() then __nptl_free_stacks(): how many stacks to munmap now. */
  put(): number {
    this.cached++;
    const excess = Math.max(0, this.cached - this.capacity);
    this.cached -= excess;
    this.unmapped += excess;
    return excess;
  }
}

/**
 * The process-wide state the benchmark's threads share in the kernel and glibc
 * (thread-lifecycle.md): one mm (mmap_lock, mm_cpumask in the kernel), one sighand, the global
 * tasklist_lock, the original events' child_mutexes, glibc's stack cache and its lock.
 */
export class ProcessState {
  readonly tasklist: SimLock;
  readonly siglock: SimLock;
  readonly mmapLock: SimLock;
  readonly stackCacheLock: SimLock;
  readonly stackCache: StackCache;
  private readonly childMutexes: SimLock[] = [];
  private readonly kernel: Kernel;

  constructor(kernel: Kernel) {
    this.kernel = kernel;
    this.tasklist = new SimSpinlock('tasklist_lock', false);
    this.siglock = new SimSpinlock('siglock', false);
    this.mmapLock = new SimRwsem('mmap_lock', false, { sleepState: CpuState.mmapSleep });
    this.stackCacheLock = new SimFutexLock('dl_stack_cache_lock', {
      sleepState: CpuState.childSleep,
    });
    for (const lock of [this.tasklist, this.siglock, this.mmapLock, this.stackCacheLock])
      lock.attach(kernel);
    this.stackCache = new StackCache(kernel.costs.stackCacheStacks);
  }

  /** The child_mutex of main's i-th original event: every inherited copy links under it. */
  childMutex(i: number): SimLock {
    let m = this.childMutexes[i];
    if (m === undefined) {
      m = new SimMutex('child_mutex', false, { sleepState: CpuState.childSleep });
      m.attach(this.kernel);
      this.childMutexes[i] = m;
    }
    return m;
  }
}

/** What a workload's programs run against. */
export interface WorkloadContext {
  readonly kernel: Kernel;
  readonly costs: CostParams;
  readonly accounting: AccountingContext;
  readonly process: ProcessState;
  nextKey(): BpKey;
}

export interface OwnedBreakpoint {
  readonly key: BpKey;
  readonly bp: BreakpointSpec;
}

/** A siglock section: rt_sigprocmask() changing the mask (__set_current_blocked). */
function* sigprocmask(ctx: WorkloadContext): Steps {
  yield acquire(ctx.process.siglock);
  yield run(ctx.costs.sigprocmaskNs, 'copy_process');
  yield release(ctx.process.siglock);
}

/** A page fault on a fresh stack page (do_user_addr_fault: mmap_lock for read). */
function* pageFault(ctx: WorkloadContext): Steps {
  yield acquire(ctx.process.mmapLock, 'read');
  yield run(ctx.costs.pageFaultNs, 'handle_mm_fault');
  yield release(ctx.process.mmapLock, 'read');
}

/**
 * allocate_stack(): a cached stack if one is free, else mmap + mprotect under mmap_lock for
 * write and the creator's fault on the new stack's top page. Returns true for a new stack.
 */
function* allocateStack(ctx: WorkloadContext): Steps<boolean> {
  const { process: p, costs } = ctx;
  yield acquire(p.stackCacheLock);
  yield run(costs.stackCacheOpNs, 'user');
  const hit = p.stackCache.take();
  yield release(p.stackCacheLock);
  if (hit) return false;
  yield acquire(p.mmapLock);
  yield run(costs.mmapNs, 'do_mmap');
  yield release(p.mmapLock);
  yield acquire(p.mmapLock);
  yield run(costs.mprotectNs, 'mprotect_fixup');
  yield release(p.mmapLock);
  // The new stack goes on dl_stack_used, under the cache lock again.
  yield acquire(p.stackCacheLock);
  yield run(costs.stackCacheOpNs, 'user');
  yield release(p.stackCacheLock);
  yield* pageFault(ctx);
  return true;
}

/**
 * munmap of a stack trimmed from the cache (run with dl_stack_cache_lock held): the VMA detach
 * under mmap_lock for write, the downgrade, then zap, page-table freeing and the TLB shootdown
 * to every CPU of mm_cpumask under the read lock.
 */
function* munmapStack(ctx: WorkloadContext, self: SimThread): Steps {
  const { process: p, costs, kernel } = ctx;
  yield acquire(p.mmapLock);
  yield run(costs.munmapDetachNs, '__do_munmap');
  yield { kind: 'downgrade', lock: p.mmapLock };
  yield run(costs.munmapZapNs, 'unmap_page_range');
  const sd = tlbShootdown(kernel.mm, self.cpu, (cpu) => kernel.cpuIdle(cpu), costs);
  kernel.chargeProfile('flush_tlb_func_common', sd.receiverFlushNs);
  kernel.chargeProfile('llist_reverse_order', sd.receiverListNs);
  yield {
    kind: 'run',
    ns: sd.sendNs + sd.localFlushNs + sd.waitNs,
    sym: 'smp_call_function_many_cond',
    state: CpuState.tlbFlush,
    parts: [['flush_tlb_func_common', sd.localFlushNs]],
  };
  yield release(p.mmapLock, 'read');
}

/**
 * pthread_join() after the kernel cleared the child's tid: __nptl_free_tcb() returns its stack
 * to the cache under dl_stack_cache_lock, and munmaps what the cache cannot keep while still
 * holding it (creators in get_cached_stack wait).
 */
export function* joinThread(ctx: WorkloadContext, self: SimThread, target: SimThread): Steps {
  const { process: p, costs } = ctx;
  yield { kind: 'join', target };
  yield run(costs.joinNs, 'futex');
  yield acquire(p.stackCacheLock);
  yield run(costs.stackCacheOpNs, 'user');
  const trim = p.stackCache.put();
  for (let i = 0; i < trim; i++) yield* munmapStack(ctx, self);
  yield release(p.stackCacheLock);
}

/**
 * pthread_create() + clone() of a thread that inherits `inherited` breakpoints, run by the
 * creator: the stack (cache or mmap), signals blocked, copy_process() with
 * perf_event_init_task() (per event: perf_event_alloc(), where the design's reserve runs, then
 * the link under the original event's child_mutex), the task published under tasklist_lock for
 * write with siglock nested, the child woken. Returns false if an inherited reserve failed
 * (copy_process fails and undoes what it reserved).
 */
export function* cloneThread(
  ctx: WorkloadContext,
  child: SimThread,
  inherited: number,
  owned: OwnedBreakpoint[],
  program: (self: SimThread) => Program,
): Steps<boolean> {
  const { costs, process: p } = ctx;
  const fresh = yield* allocateStack(ctx);
  yield* sigprocmask(ctx);
  yield run(costs.threadCreateNs, 'copy_process');
  for (let i = 0; i < inherited; i++) {
    const bp: BreakpointSpec = { task: child.id, cpu: -1, type: 'rw' };
    const key = ctx.nextKey();
    const outcome = yield* accountingCall(ctx.accounting, { op: 'reserve', key, bp });
    if (outcome.result !== 'ok') {
      for (const o of owned.splice(0))
        yield* accountingCall(ctx.accounting, { op: 'release', key: o.key, bp: o.bp });
      if (!fresh || p.stackCache.cached < p.stackCache.capacity) p.stackCache.cached++;
      yield* sigprocmask(ctx);
      return false;
    }
    owned.push({ key, bp });
    yield run(costs.perfAllocNs, 'perf_event_init_task');
    const childMutex = p.childMutex(i);
    yield acquire(childMutex);
    yield run(costs.perfInheritNs, 'perf_event_init_task');
    yield release(childMutex);
  }
  yield acquire(p.tasklist);
  yield acquire(p.siglock);
  yield run(costs.tasklistNs, 'copy_process');
  yield release(p.siglock);
  yield release(p.tasklist);
  child.hwBreakpoints = owned.length;
  yield { kind: 'spawn', child, program: childStart(ctx, fresh, program(child)) };
  yield* sigprocmask(ctx);
  return true;
}

/** start_thread(): faults on a fresh stack and its TLS, restores the signal mask, runs. */
function* childStart(ctx: WorkloadContext, fresh: boolean, program: Program): Program {
  if (fresh) {
    yield* pageFault(ctx);
    yield* pageFault(ctx);
  }
  yield* sigprocmask(ctx);
  yield* program;
}

/**
 * The thread returns from its start routine and exits: madvise of its stack, then do_exit():
 * exit_mm() wakes the joiner first; perf_event_exit_task() unlinks each inherited event under
 * the original's child_mutex and releases its slot; exit_notify() and release_task() take
 * tasklist_lock for write with siglock nested; the rest runs outside shared locks.
 */
export function* exitThread(
  ctx: WorkloadContext,
  self: SimThread,
  owned: OwnedBreakpoint[],
): Steps {
  const { costs, process: p } = ctx;
  yield acquire(p.mmapLock, 'read');
  yield run(costs.madviseNs, 'unmap_page_range');
  yield release(p.mmapLock, 'read');
  yield { kind: 'exitMm' };
  // task_ctx_sched_out(): the breakpoints come off the debug registers.
  if (self.hwBreakpoints > 0) {
    yield run(self.hwBreakpoints * costs.drInstallNs, 'arch_install_hw_breakpoint');
    self.hwBreakpoints = 0;
  }
  let i = 0;
  for (const o of owned.splice(0)) {
    const childMutex = p.childMutex(i++);
    yield acquire(childMutex);
    yield run(costs.perfExitNs, 'perf_event_exit_task');
    yield release(childMutex);
    yield* accountingCall(ctx.accounting, { op: 'release', key: o.key, bp: o.bp });
  }
  ctx.accounting.locks.forgetTask(self.id);
  for (let section = 0; section < 2; section++) {
    yield acquire(p.tasklist);
    yield acquire(p.siglock);
    yield run(costs.tasklistNs, 'do_exit');
    yield release(p.siglock);
    yield release(p.tasklist);
  }
  yield run(costs.threadExitNs, 'do_exit');
}

/** The result fields a workload decides; the simulation fills in the rest. */
export type WorkloadResult = Pick<
  RunResult,
  'totalTimeNs' | 'usecsPerOp' | 'usecsPerOpPerCpu' | 'openError' | 'threadsCreated'
>;

/** The counters of the run so far, for a workload's progress. */
export interface RunCounters {
  readonly accountingOps: number;
  readonly nowNs: number;
}

/** One workload in one run, as the simulation drives it. */
export interface Workload {
  /** Sets up (untimed) and spawns the workload's threads on the kernel. */
  start(): void;
  /** Simulated time at which the run stops, whatever events remain (Infinity: when none do). */
  readonly endNs: number;
  /** An accounting call outside the measured work (perf bench's untimed open and close). */
  isUntimed(request: AccountingRequest): boolean;
  /** How far the run is, 0..1 (below 1 until it is done). */
  progress(counters: RunCounters): number;
  /** Its result fields, once the run is done. */
  result(): WorkloadResult;
}

/** A workload's run cost is estimated in ../budget.ts, from the scenario alone. */
export interface WorkloadDefinition {
  create(ctx: WorkloadContext, scenario: Scenario): Workload;
}
