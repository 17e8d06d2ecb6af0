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
import { AccountingCall, type AccountingContext, type AccountingRequest } from '../accounting.ts';
import { CpuState, type CpuStateIndex } from '../cpuStates.ts';
import {
  played,
  runAction,
  type Action,
  type Kernel,
  type Played,
  type ProfilePart,
  type Program,
  type SimThread,
  type SubProgram,
} from '../kernel.ts';
import { SimFutexLock } from '../locks/futexLock.ts';
import type { LockMode, SimLock } from '../locks/lock.ts';
import { SimMutex } from '../locks/mutex.ts';
import { SimRwsem } from '../locks/rwsem.ts';
import { SimSpinlock } from '../locks/spinlock.ts';
import { Script } from '../script.ts';
import { newShootdown, tlbShootdownInto } from '../tlb.ts';
import { profileIndex, type ProfileSymbol, type RunResult } from '../types.ts';

export type Steps<T = void> = Generator<Action, T, void>;

/** Kernel or glibc work of the thread lifecycle (user-space bookkeeping shows as user work). */
export function run(ns: number, sym: ProfileSymbol): Action {
  return runAction(ns, sym, sym === 'user' ? CpuState.work : CpuState.lifecycle);
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
  /** The lifecycle's fixed sections, prebuilt. */
  readonly sections: LifecycleSections;
  /**
   * A munmap's TLB shootdown: its figures, refilled by each (read at once), and the idle test it
   * asks of each CPU in the mask, one closure per process rather than one per munmap.
   */
  readonly shootdown = newShootdown();
  readonly cpuIdle = (cpu: number): boolean => this.kernel.cpuIdle(cpu);
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
    this.sections = new LifecycleSections(this, kernel.costs);
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

/**
 * The lifecycle's fixed sections as prebuilt actions, the same for every thread of the process:
 * a lock section is its acquire, its run and its release, played without building them again.
 */
class LifecycleSections {
  /** rt_sigprocmask() changing the mask (__set_current_blocked) under siglock. */
  readonly sigprocmask: Played;
  /** get_cached_stack()'s look into the cache, under dl_stack_cache_lock. */
  readonly cacheLookup: Played;
  /** After a cache hit: unlock, block signals, copy_process() begins. */
  readonly afterHit: Played;
  /**
   * After a miss: unlock; mmap + mprotect under mmap_lock for write; the new stack on
   * dl_stack_used under the cache lock again; the creator's fault on its top page; then as a hit.
   */
  readonly afterMiss: Played;
  /** The task published: tasklist_lock for write with siglock nested (copy_process). */
  readonly publish: Played;
  /** start_thread() on a fresh stack: faults on the stack and its TLS, the signal mask restored. */
  readonly childFresh: Played;
  /** madvise of the stack, then exit_mm() (clears the child tid: a join returns). */
  readonly exitStart: Played;
  /** exit_notify() and release_task() (tasklist_lock for write, siglock nested), then the rest. */
  readonly exitEnd: Played;
  /** pthread_join() returned: its futex, then __nptl_free_tcb() takes dl_stack_cache_lock. */
  readonly joinStart: Played;
  readonly cacheUnlock: Played;
  /** A trimmed stack's munmap: VMA detach under mmap_lock for write, downgrade, zap. */
  readonly munmapStart: Played;
  readonly mmapReadUnlock: Action;
  private readonly inherits: Played[] = [];
  private readonly unlinks: Played[] = [];
  private readonly uninstalls: Action[] = [];
  /** The initiator's part of a shootdown, one object refilled per munmap (the kernel reads a run when it gets it). */
  private readonly shootdown: {
    kind: 'run';
    ns: number;
    symIndex: number;
    state: CpuStateIndex;
    parts: readonly ProfilePart[];
  };
  private readonly shootdownLocal: [number, number];
  private readonly process: ProcessState;
  private readonly costs: CostParams;

  constructor(p: ProcessState, costs: CostParams) {
    this.process = p;
    this.costs = costs;
    const section = (lock: SimLock, mode: LockMode, ...runs: Action[]): Action[] => [
      acquire(lock, mode),
      ...runs,
      release(lock, mode),
    ];
    const sigprocmask = section(p.siglock, 'write', run(costs.sigprocmaskNs, 'copy_process'));
    // A page fault on a fresh stack page (do_user_addr_fault: mmap_lock for read).
    const pageFault = section(p.mmapLock, 'read', run(costs.pageFaultNs, 'handle_mm_fault'));
    const cacheLookup = [acquire(p.stackCacheLock), run(costs.stackCacheOpNs, 'user')];
    const cacheUnlock = [release(p.stackCacheLock)];
    this.sigprocmask = played(sigprocmask);
    this.cacheLookup = played(cacheLookup);
    this.cacheUnlock = played(cacheUnlock);
    this.afterHit = played([
      ...cacheUnlock,
      ...sigprocmask,
      run(costs.threadCreateNs, 'copy_process'),
    ]);
    this.afterMiss = played([
      ...cacheUnlock,
      ...section(p.mmapLock, 'write', run(costs.mmapNs, 'do_mmap')),
      ...section(p.mmapLock, 'write', run(costs.mprotectNs, 'mprotect_fixup')),
      ...section(p.stackCacheLock, 'write', run(costs.stackCacheOpNs, 'user')),
      ...pageFault,
      ...sigprocmask,
      run(costs.threadCreateNs, 'copy_process'),
    ]);
    const tasklistSection = (sym: ProfileSymbol): Action[] => [
      acquire(p.tasklist),
      ...section(p.siglock, 'write', run(costs.tasklistNs, sym)),
      release(p.tasklist),
    ];
    this.publish = played(tasklistSection('copy_process'));
    this.childFresh = played([...pageFault, ...pageFault, ...sigprocmask]);
    this.exitStart = played([
      ...section(p.mmapLock, 'read', run(costs.madviseNs, 'unmap_page_range')),
      { kind: 'exitMm' },
    ]);
    this.exitEnd = played([
      ...tasklistSection('do_exit'),
      ...tasklistSection('do_exit'),
      run(costs.threadExitNs, 'do_exit'),
    ]);
    this.joinStart = played([run(costs.joinNs, 'futex'), ...cacheLookup]);
    this.munmapStart = played([
      acquire(p.mmapLock),
      run(costs.munmapDetachNs, '__do_munmap'),
      { kind: 'downgrade', lock: p.mmapLock },
      run(costs.munmapZapNs, 'unmap_page_range'),
    ]);
    this.mmapReadUnlock = release(p.mmapLock, 'read');
    this.shootdownLocal = [profileIndex('flush_tlb_func_common'), 0];
    this.shootdown = {
      kind: 'run',
      ns: 0,
      symIndex: profileIndex('smp_call_function_many_cond'),
      state: CpuState.tlbFlush,
      parts: [this.shootdownLocal],
    };
  }

  /**
   * smp_call_function_many_cond() on the initiator: `ns` in all, `localFlushNs` of it its own
   * flush_tlb_func_common().
   */
  shootdownRun(ns: number, localFlushNs: number): Action {
    this.shootdown.ns = ns;
    this.shootdownLocal[1] = localFlushNs;
    return this.shootdown;
  }

  /** perf_event_init_task() for the i-th inherited event, after its reserve: the link under its child_mutex. */
  inherit(i: number): Played {
    let seq = this.inherits[i];
    if (seq === undefined) {
      const childMutex = this.process.childMutex(i);
      seq = played([
        run(this.costs.perfAllocNs, 'perf_event_init_task'),
        acquire(childMutex),
        run(this.costs.perfInheritNs, 'perf_event_init_task'),
        release(childMutex),
      ]);
      this.inherits[i] = seq;
    }
    return seq;
  }

  /** perf_event_exit_task() for the i-th inherited event, before its release: the unlink. */
  unlink(i: number): Played {
    let seq = this.unlinks[i];
    if (seq === undefined) {
      const childMutex = this.process.childMutex(i);
      seq = played([
        acquire(childMutex),
        run(this.costs.perfExitNs, 'perf_event_exit_task'),
        release(childMutex),
      ]);
      this.unlinks[i] = seq;
    }
    return seq;
  }

  /** task_ctx_sched_out() of a thread with `n` breakpoints installed: they come off the debug registers. */
  uninstall(n: number): Action {
    let a = this.uninstalls[n];
    if (a === undefined) {
      a = run(n * this.costs.drInstallNs, 'arch_install_hw_breakpoint');
      this.uninstalls[n] = a;
    }
    return a;
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

/**
 * pthread_join() after the kernel cleared the child's tid: __nptl_free_tcb() returns its stack
 * to the cache under dl_stack_cache_lock, and munmaps what the cache cannot keep while still
 * holding it (creators in get_cached_stack wait). Each munmap: the VMA detach under mmap_lock for
 * write, the downgrade, then zap, page-table freeing and the TLB shootdown to every CPU of
 * mm_cpumask under the read lock.
 */
export class JoinThread extends Script {
  private readonly ctx: WorkloadContext;
  private readonly self: SimThread;
  private target: SimThread;
  private trimLeft = 0;

  constructor(ctx: WorkloadContext, self: SimThread, target: SimThread) {
    super();
    this.ctx = ctx;
    this.self = self;
    this.target = target;
  }

  /** The same join of another thread, once this one is done: one object for a worker's joins. */
  restart(target: SimThread): this {
    this.stage = 0;
    this.trimLeft = 0;
    this.target = target;
    return this;
  }

  next(): Action | null {
    const { process: p, kernel, costs } = this.ctx;
    const s = p.sections;
    switch (this.stage) {
      case 0:
        this.stage = 1;
        return { kind: 'join', target: this.target };
      case 1:
        // The join returned: the target's object is the kernel's to reuse once it exits.
        kernel.reap(this.target);
        this.stage = 2;
        return s.joinStart;
      case 2:
        this.trimLeft = p.stackCache.put();
        this.stage = 3;
        return this.next();
      case 3:
        if (this.trimLeft > 0) {
          this.trimLeft--;
          this.stage = 4;
          return s.munmapStart;
        }
        this.stage = 6;
        return s.cacheUnlock;
      case 4: {
        const sd = tlbShootdownInto(p.shootdown, kernel.mm, this.self.cpu, p.cpuIdle, costs);
        kernel.chargeProfile('flush_tlb_func_common', sd.receiverFlushNs);
        kernel.chargeProfile('llist_reverse_order', sd.receiverListNs);
        this.stage = 5;
        return s.shootdownRun(sd.sendNs + sd.localFlushNs + sd.waitNs, sd.localFlushNs);
      }
      case 5:
        this.stage = 3;
        return s.mmapReadUnlock;
      default:
        return null;
    }
  }
}

/** pthread_join() of `target` as a step of a program: `yield*` it. */
export function* joinThread(ctx: WorkloadContext, self: SimThread, target: SimThread): Steps {
  yield new JoinThread(ctx, self, target).action;
}

/**
 * pthread_create() + clone() of a thread that inherits `inherited` breakpoints, run by the
 * creator: the stack (cache or mmap), signals blocked, copy_process() with
 * perf_event_init_task() (per event: perf_event_alloc(), where the design's reserve runs, then
 * the link under the original event's child_mutex), the task published under tasklist_lock for
 * write with siglock nested, the child woken. `ok` is false if an inherited reserve failed
 * (copy_process fails and undoes what it reserved).
 */
export class CloneThread extends Script {
  private readonly ctx: WorkloadContext;
  private readonly inherited: number;
  private readonly owned: OwnedBreakpoint[];
  private readonly program: (self: SimThread) => Program | SubProgram;
  private readonly call: AccountingCall;
  /**
   * The entries of `owned`, one per inherited breakpoint, kept for the next clone by this
   * object (restart()): the child's exit reads them, and a new child is a new clone.
   */
  private readonly entries: { key: BpKey; bp: BreakpointSpec }[] = [];
  // The state of one clone: `declare`d and set by restart() alone, for the first child and the next.
  declare private child: SimThread;
  declare private fresh: boolean;
  declare private i: number;
  declare private pending: OwnedBreakpoint | null;
  declare private childBp: BreakpointSpec | null;
  /** What a failed clone undoes, taken from `owned` (null until then). */
  declare private undo: OwnedBreakpoint[] | null;
  /** The clone succeeded; read once the script is done. */
  declare ok: boolean;

  constructor(
    ctx: WorkloadContext,
    child: SimThread,
    inherited: number,
    owned: OwnedBreakpoint[],
    program: (self: SimThread) => Program | SubProgram,
  ) {
    super();
    this.ctx = ctx;
    this.inherited = inherited;
    this.owned = owned;
    this.program = program;
    this.call = new AccountingCall(ctx.accounting);
    this.restart(child);
  }

  /**
   * The clone of `child`: the first, or another with the same program once the last child has
   * exited and was joined (it no longer reads `owned`), its objects serving the new child.
   */
  restart(child: SimThread): this {
    this.stage = 0;
    this.child = child;
    this.fresh = false;
    this.i = 0;
    this.pending = null;
    this.childBp = null;
    this.undo = null;
    this.ok = false;
    return this;
  }

  next(): Action | null {
    const { ctx } = this;
    const p = ctx.process;
    const s = p.sections;
    for (;;) {
      switch (this.stage) {
        case 0:
          this.stage = 1;
          return s.cacheLookup;
        case 1:
          // allocate_stack(): a cached stack if one is free, else a new one.
          this.fresh = !p.stackCache.take();
          this.stage = 2;
          return this.fresh ? s.afterMiss : s.afterHit;
        case 2: {
          if (this.i >= this.inherited) {
            this.stage = 5;
            return s.publish;
          }
          // The inherited copies of one child are alike: one (read-only) spec for all of them.
          const bp = (this.childBp ??= { task: this.child.id, cpu: -1, type: 'rw' });
          const key = ctx.nextKey();
          let entry = this.entries[this.i];
          if (entry === undefined) this.entries.push((entry = { key, bp }));
          entry.key = key;
          entry.bp = bp;
          this.pending = entry;
          this.stage = 3;
          return this.call.begin('reserve', key, bp);
        }
        case 3: {
          if (this.call.result !== 'ok') {
            this.undo = this.owned.splice(0);
            this.stage = 4;
            continue;
          }
          this.owned.push(this.pending as OwnedBreakpoint);
          this.stage = 2;
          return s.inherit(this.i++);
        }
        case 4: {
          const o = (this.undo as OwnedBreakpoint[]).shift();
          if (o !== undefined) return this.call.begin('release', o.key, o.bp);
          if (!this.fresh || p.stackCache.cached < p.stackCache.capacity) p.stackCache.cached++;
          this.stage = 7;
          return s.sigprocmask;
        }
        case 5: {
          const child = this.child;
          child.hwBreakpoints = this.owned.length;
          this.stage = 6;
          // start_thread(): faults on a fresh stack and its TLS, the signal mask restored, then
          // the thread's own program.
          return {
            kind: 'spawn',
            child,
            program: this.program(child),
            start: this.fresh ? s.childFresh : s.sigprocmask,
          };
        }
        case 6:
          this.ok = true;
          this.stage = 7;
          return s.sigprocmask;
        default:
          return null;
      }
    }
  }
}

/** cloneThread as a step of a program: `yield*` it; it returns whether the clone succeeded. */
export function* cloneThread(
  ctx: WorkloadContext,
  child: SimThread,
  inherited: number,
  owned: OwnedBreakpoint[],
  program: (self: SimThread) => Program | SubProgram,
): Steps<boolean> {
  const clone = new CloneThread(ctx, child, inherited, owned, program);
  yield clone.action;
  return clone.ok;
}

/**
 * The thread returns from its start routine and exits: madvise of its stack, then do_exit():
 * exit_mm() wakes the joiner first; perf_event_exit_task() unlinks each inherited event under
 * the original's child_mutex and releases its slot; exit_notify() and release_task() take
 * tasklist_lock for write with siglock nested; the rest runs outside shared locks.
 */
export class ExitThread extends Script {
  private readonly ctx: WorkloadContext;
  private self: SimThread;
  private readonly owned: OwnedBreakpoint[];
  private i = 0;
  private call: AccountingCall | null = null;

  constructor(ctx: WorkloadContext, self: SimThread, owned: OwnedBreakpoint[]) {
    super();
    this.ctx = ctx;
    this.self = self;
    this.owned = owned;
  }

  /** The same exit for another thread that owns `owned`, once this one's thread has exited. */
  restart(self: SimThread): this {
    this.stage = 0;
    this.self = self;
    this.i = 0;
    return this;
  }

  next(): Action | null {
    const { ctx, self } = this;
    const s = ctx.process.sections;
    for (;;) {
      switch (this.stage) {
        case 0:
          this.stage = 1;
          return s.exitStart;
        case 1:
          this.stage = 3;
          // task_ctx_sched_out(): the breakpoints come off the debug registers.
          if (self.hwBreakpoints > 0) {
            this.stage = 2;
            return s.uninstall(self.hwBreakpoints);
          }
          continue;
        case 2:
          self.hwBreakpoints = 0;
          this.stage = 3;
          continue;
        case 3:
          // The thread's own list, released in place and emptied once done (not copied out by
          // splice(0), an array per exit): nothing else reads or adds to it while it exits.
          if (this.i < this.owned.length) {
            this.stage = 4;
            return s.unlink(this.i);
          }
          // Emptied by pop(), which keeps the array's storage for the next thread that uses it
          // (PassiveKit): `length = 0` let it go, and the next clone's pushes grew it again.
          while (this.owned.length > 0) this.owned.pop();
          ctx.accounting.locks.forgetTask(self.id);
          this.stage = 5;
          return s.exitEnd;
        case 4: {
          const o = this.owned[this.i++] as OwnedBreakpoint;
          this.stage = 3;
          this.call ??= new AccountingCall(ctx.accounting);
          return this.call.begin('release', o.key, o.bp);
        }
        default:
          return null;
      }
    }
  }
}

/** exitThread as a step of a program: `yield*` it. */
export function* exitThread(
  ctx: WorkloadContext,
  self: SimThread,
  owned: OwnedBreakpoint[],
): Steps {
  yield new ExitThread(ctx, self, owned).action;
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
