/**
 * Accounting calls in simulated time: a design's locks around the engine's decision, with the
 * engine's work counts turned into CPU time by the cost model.
 *
 * The engine decides when the call holds its locks (that is when the kernel reads and writes the
 * counters), so concurrent calls see each other in lock order, as in the kernel.
 */
import type {
  BpKey,
  BreakpointSpec,
  InspectableSlotEngine,
  LockId,
  OpOutcome,
  PhaseWork,
  SlotEngine,
} from '../engine/types.ts';
import type { CostParams } from '../scenario/costs.ts';
import { CpuState, type CpuStateIndex } from './cpuStates.ts';
import type { Action, Kernel, SubProgram } from './kernel.ts';
import type { LockMode, SimLock } from './locks/lock.ts';
import { SimMutex } from './locks/mutex.ts';
import { SimPercpuRwsem } from './locks/percpuRwsem.ts';
import { SimRwlock } from './locks/rwlock.ts';
import type { ProfileSymbol } from './types.ts';

type LockUse = readonly [lock: SimLock, mode: LockMode];

/** The simulated lock model of each kernel lock (kernel-model.md section 7). */
function lockModel(id: LockId): SimLock {
  switch (id) {
    case 'nr_bp_mutex':
    case 'task_sharded_mtx':
    case 'perf_event_mutex':
      return new SimMutex(id, true);
    case 'bp_cpuinfo_lock':
      return new SimRwlock(id, true);
    case 'bp_cpuinfo_sem':
      return new SimPercpuRwsem(id, true);
    default: {
      const unknown: never = id;
      throw new Error(`no lock model for ${String(unknown)}`);
    }
  }
}

/**
 * The simulated instances of the locks the engine says a design takes, created on first use:
 * one per (lock, instance), so per-task and per-shard mutexes are distinct and global locks are
 * shared. Which locks a design takes is the engine's to say (SlotEngine.locksFor()).
 */
export class DesignLocks {
  private readonly kernel: Kernel;
  private readonly engine: InspectableSlotEngine;
  private readonly instances = new Map<LockId, Map<number, SimLock>>();
  private readonly byTask = new Map<number, readonly LockUse[]>();

  constructor(kernel: Kernel, engine: InspectableSlotEngine) {
    this.kernel = kernel;
    this.engine = engine;
  }

  private instance(id: LockId, instance: number): SimLock {
    let byInstance = this.instances.get(id);
    if (!byInstance) this.instances.set(id, (byInstance = new Map<number, SimLock>()));
    let lock = byInstance.get(instance);
    if (!lock) {
      lock = lockModel(id);
      lock.attach(this.kernel);
      byInstance.set(instance, lock);
    }
    return lock;
  }

  /**
   * mirrors bp_constraints_lock() of the design: its locks for `bp`, in order. A design's locks
   * depend on the task alone, so each task's list is built once (until forgetTask()).
   */
  locksFor(bp: BreakpointSpec): readonly LockUse[] {
    const task = bp.task;
    const cacheKey = task === null ? -1 : task;
    let list = this.byTask.get(cacheKey);
    if (list === undefined) {
      list = this.engine
        .locksFor(task)
        .map((taken) => [
          this.instance(taken.lock, taken.instance),
          taken.mode === 'read' ? 'read' : 'write',
        ]);
      this.byTask.set(cacheKey, list);
    }
    return list;
  }

  /** A task is gone: its perf_event_mutex goes with it. */
  forgetTask(task: number): void {
    this.instances.get('perf_event_mutex')?.delete(task);
    this.byTask.delete(task);
  }
}

export type AccountingRequest =
  | { readonly op: 'reserve'; readonly key: BpKey; readonly bp: BreakpointSpec }
  | { readonly op: 'release'; readonly key: BpKey; readonly bp: BreakpointSpec };

export interface AccountingContext {
  readonly engine: SlotEngine;
  readonly locks: DesignLocks;
  readonly costs: CostParams;
  /** Called with each outcome at the moment the engine decided (locks held). */
  onOutcome(request: AccountingRequest, outcome: OpOutcome): void;
}

/**
 * One reserve_bp_slot() or release_bp_slot() by the running thread: take the design's locks,
 * decide, spend the work's time inside the critical section, unlock in reverse order.
 *
 * A native sub-program (the kernel runs it as one 'call' action): the program that yields it
 * resumes once when the call is done, not once per lock and run, and the actions are two
 * reused objects rather than a fresh one each.
 */
class AccountingCall implements SubProgram {
  private readonly ctx: AccountingContext;
  private readonly request: AccountingRequest;
  private readonly locks: readonly LockUse[];
  /** 0..locks: acquiring; then the runs; then releasing. */
  private stage = 0;
  private index = 0;
  /** The six runs of the two phases (ns, symbol), once decided; none without locks. */
  private runNs: number[] = NO_RUNS;
  outcome: OpOutcome | null = null;
  readonly action: Action = { kind: 'call', sub: this };
  private readonly lockAction: { kind: 'acquire' | 'release'; lock: SimLock; mode: LockMode };
  private readonly runAction: {
    readonly kind: 'run';
    ns: number;
    sym: ProfileSymbol;
    readonly state: CpuStateIndex;
  };

  constructor(ctx: AccountingContext, request: AccountingRequest) {
    this.ctx = ctx;
    this.request = request;
    this.locks = ctx.locks.locksFor(request.bp);
    const first = this.locks[0];
    this.lockAction = first
      ? { kind: 'acquire', lock: first[0], mode: first[1] }
      : { kind: 'acquire', lock: null as unknown as SimLock, mode: 'write' };
    this.runAction = { kind: 'run', ns: 0, sym: 'user', state: CpuState.accounting };
  }

  next(): Action | null {
    const locks = this.locks;
    for (;;) {
      switch (this.stage) {
        case 0: {
          if (this.index < locks.length) {
            const [lock, mode] = locks[this.index++] as LockUse;
            this.lockAction.kind = 'acquire';
            this.lockAction.lock = lock;
            this.lockAction.mode = mode;
            return this.lockAction;
          }
          this.decide();
          this.stage = 1;
          this.index = 0;
          continue;
        }
        case 1: {
          while (this.index < this.runNs.length) {
            const i = this.index++;
            const ns = this.runNs[i] as number;
            // The kernel skips runs of no time: so may we, before the kernel sees them.
            if (ns <= 0) continue;
            this.runAction.ns = ns;
            this.runAction.sym = RUN_SYMBOLS[i] as ProfileSymbol;
            return this.runAction;
          }
          this.stage = 2;
          this.index = locks.length;
          continue;
        }
        default: {
          if (this.index > 0) {
            const [lock, mode] = locks[--this.index] as LockUse;
            this.lockAction.kind = 'release';
            this.lockAction.lock = lock;
            this.lockAction.mode = mode;
            return this.lockAction;
          }
          return null;
        }
      }
    }
  }

  private decide(): void {
    const { ctx, request } = this;
    const outcome =
      request.op === 'reserve'
        ? ctx.engine.reserve(request.key, request.bp)
        : ctx.engine.release(request.key);
    ctx.onOutcome(request, outcome);
    this.outcome = outcome;
    if (this.locks.length > 0) {
      const callNs = ctx.costs.accountingCallNs;
      const reserve = request.op === 'reserve';
      this.runNs = [0, 0, 0, 0, 0, 0];
      phaseRuns(this.runNs, 0, outcome.work.check, ctx.costs, reserve ? callNs : 0);
      phaseRuns(this.runNs, 3, outcome.work.toggle, ctx.costs, reserve ? 0 : callNs);
    }
  }
}

const NO_RUNS: number[] = [];

/** The symbols of an accounting call's six runs: check phase, then toggle phase. */
const RUN_SYMBOLS: readonly ProfileSymbol[] = [
  '__reserve_bp_slot',
  'rhashtable_lookup',
  'task_bp_pinned',
  'toggle_bp_slot',
  'rhashtable_lookup',
  'task_bp_pinned',
];

/**
 * CPU time of one phase's work, split by the symbol perf report would charge it to: its own
 * code, then the rhltable lookup, then the task entries. task_bp_pinned() and the list walk are
 * inlined into their callers in the profiles of the list era; the rhltable lookup shows under
 * its own name.
 */
function phaseRuns(
  out: number[],
  at: number,
  work: PhaseWork,
  costs: CostParams,
  fixedNs: number,
): void {
  const ownNs =
    work.listNodes * costs.listNodeNs +
    work.cpuIterations * costs.cpuIterationNs +
    work.histogramUpdates * costs.histogramNs +
    work.sharedAtomics * costs.sharedAtomicNs;
  out[at] = ownNs + fixedNs;
  out[at + 1] = work.hashLookups * costs.hashLookupNs;
  out[at + 2] = work.taskEntries * costs.taskEntryNs;
}

/** One accounting call, as a step of a program: `yield*` it; it returns the outcome. */
export function* accountingCall(
  ctx: AccountingContext,
  request: AccountingRequest,
): Generator<Action, OpOutcome, void> {
  const call = new AccountingCall(ctx, request);
  yield call.action;
  return call.outcome as OpOutcome;
}
