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
  LockTaken,
  OpResult,
  PhaseWork,
} from '../engine/types.ts';
import type { CostParams } from '../scenario/costs.ts';
import { IntKeyMap } from '../engine/int-key-map.ts';
import { CpuState, type CpuStateIndex } from './cpuStates.ts';
import {
  played,
  type Action,
  type Kernel,
  type Played,
  type ProfilePart,
  type SubProgram,
} from './kernel.ts';
import type { LockMode, SimLock } from './locks/lock.ts';
import { SimMutex } from './locks/mutex.ts';
import { SimPercpuRwsem } from './locks/percpuRwsem.ts';
import { SimRwlock } from './locks/rwlock.ts';
import { profileIndex, type ProfileSymbol } from './types.ts';

/**
 * A design's locks for one task as two lists the kernel plays: their acquires in order, and their
 * releases in reverse order. Null lists when the design takes no lock.
 */
interface LockPlan {
  readonly acquire: Played | null;
  readonly release: Played | null;
  /** Its task's own mutex (perf_event_mutex), if the design takes one: the two are pooled together. */
  readonly taskLock: SimMutex | null;
  /** How many tasks the pool gave the plan to: a call's cached plan is stale once this moved. */
  reuses: number;
}

const NO_LOCKS: LockPlan = { acquire: null, release: null, taskLock: null, reuses: 0 };

interface LockActions {
  readonly acquire: Action;
  readonly release: Action;
}

/** The lock with an instance per task (the designs' perf_event_mutex), dropped with its task. */
const PER_TASK_LOCK: LockId = 'perf_event_mutex';

/** The request of an AccountingCall not yet begun. */
const NO_BREAKPOINT: BreakpointSpec = { task: null, cpu: -1, type: 'rw' };

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

/** How the timeline names an instance: per-task and per-shard locks say which. */
function instanceLabel(id: LockId, instance: number): string {
  switch (id) {
    case 'perf_event_mutex':
      return `task ${instance}`;
    case 'task_sharded_mtx':
      return `shard ${instance}`;
    default:
      return '';
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
  // Integer-keyed maps (../engine/int-key-map.ts): a per-task lock is made and dropped per thread.
  private readonly instances = new Map<LockId, IntKeyMap<SimLock>>();
  private readonly byTask = new IntKeyMap<LockPlan>();
  /**
   * Plans of exited tasks whose mutex nobody used any more, for new tasks: a task's mutex, its
   * actions, lists and records would otherwise be made for every thread, live for a quarter of
   * the heavier run, and be copied twice by the young-generation collector (docs/model.md §6).
   * As many as tasks exited before others were created, so bounded by the live tasks.
   */
  private readonly spare: LockPlan[] = [];
  /**
   * The acquire and release actions of each shared lock and mode, made once (a per-task lock's
   * are made with its task's plan and go with it).
   */
  private readonly lockActions = new Map<SimLock, { read?: LockActions; write?: LockActions }>();
  /** The run action every accounting call of this simulation refills (WorkRun). */
  readonly workRun = new WorkRun();

  constructor(kernel: Kernel, engine: InspectableSlotEngine) {
    this.kernel = kernel;
    this.engine = engine;
  }

  private instance(id: LockId, instance: number): SimLock {
    let byInstance = this.instances.get(id);
    if (!byInstance) this.instances.set(id, (byInstance = new IntKeyMap<SimLock>()));
    let lock = byInstance.get(instance);
    if (!lock) {
      lock = lockModel(id);
      lock.instance = instanceLabel(id, instance);
      lock.attach(this.kernel);
      byInstance.set(instance, lock);
    }
    return lock;
  }

  /** The shared actions of a lock shared by tasks (a per-task lock's are made with its plan). */
  private sharedActions(lock: SimLock, mode: LockMode): LockActions {
    let byMode = this.lockActions.get(lock);
    if (byMode === undefined) this.lockActions.set(lock, (byMode = {}));
    return (byMode[mode] ??= {
      acquire: { kind: 'acquire', lock, mode },
      release: { kind: 'release', lock, mode },
    });
  }

  /**
   * mirrors bp_constraints_lock() and bp_constraints_unlock() of the design: its locks for `bp`,
   * taken in order and dropped in reverse. A design's locks depend on the task alone, so each
   * task's plan is built once (until forgetTask()).
   */
  locksFor(bp: BreakpointSpec): LockPlan {
    const task = bp.task;
    const cacheKey = task === null ? -1 : task;
    let plan = this.byTask.get(cacheKey);
    if (plan === undefined) {
      const taken = this.engine.locksFor(task);
      plan =
        taken.length === 0 ? NO_LOCKS : (this.reusedPlan(taken, cacheKey) ?? this.newPlan(taken));
      this.byTask.set(cacheKey, plan);
    }
    return plan;
  }

  private newPlan(taken: readonly LockTaken[]): LockPlan {
    // Sized exactly, not pushed: grown from empty an array reserves 17 slots, and there is a
    // plan per live task.
    const n = taken.length;
    const acquire = new Array<Action>(n);
    const release = new Array<Action>(n);
    let taskLock: SimMutex | null = null;
    for (let i = 0; i < n; i++) {
      const t = taken[i] as LockTaken;
      const lock = this.instance(t.lock, t.instance);
      const mode = t.mode === 'read' ? 'read' : 'write';
      if (t.lock === PER_TASK_LOCK) {
        taskLock = lock as SimMutex;
        acquire[i] = { kind: 'acquire', lock, mode };
        release[n - 1 - i] = { kind: 'release', lock, mode };
      } else {
        const actions = this.sharedActions(lock, mode);
        acquire[i] = actions.acquire;
        release[n - 1 - i] = actions.release;
      }
    }
    return { acquire: played(acquire), release: played(release), taskLock, reuses: 0 };
  }

  /**
   * An exited task's plan, for `task`, if the pool has one whose locks are `taken` (its mutex
   * becomes this task's): the same locks in the same order and modes as newPlan() would make.
   */
  private reusedPlan(taken: readonly LockTaken[], task: number): LockPlan | null {
    const plan = this.spare.pop();
    if (plan === undefined) return null;
    const seq = (plan.acquire as Played).seq;
    if (seq.length !== taken.length) return null;
    for (let i = 0; i < taken.length; i++) {
      const t = taken[i] as LockTaken;
      const a = seq[i] as Action;
      const mode = t.mode === 'read' ? 'read' : 'write';
      if (a.kind !== 'acquire' || a.mode !== mode) return null;
      if (t.lock === PER_TASK_LOCK) {
        if (a.lock !== plan.taskLock || t.instance !== task) return null;
      } else if (a !== this.sharedActions(this.instance(t.lock, t.instance), mode).acquire) {
        return null;
      }
    }
    const lock = plan.taskLock as SimMutex;
    lock.instance = instanceLabel(PER_TASK_LOCK, task);
    this.instances.get(PER_TASK_LOCK)?.set(task, lock);
    plan.reuses++;
    return plan;
  }

  /** The run is over: no new task will take the pooled mutexes, so they go. */
  dropSpares(): void {
    this.spare.length = 0;
  }

  /**
   * A task is gone: its perf_event_mutex goes with it, to the pool with its plan unless a thread
   * still holds or waits for it (then it lives as long as they refer to it, as before).
   */
  forgetTask(task: number): void {
    const plan = this.byTask.get(task);
    this.instances.get(PER_TASK_LOCK)?.delete(task);
    this.byTask.delete(task);
    if (plan?.taskLock?.recycle() === true) this.spare.push(plan);
  }
}

/** CPU time of a phase's own work (list nodes, CPU loops, histograms, shared atomics). */
function ownNs(w: PhaseWork, costs: CostParams): number {
  return (
    w.listNodes * costs.listNodeNs +
    w.cpuIterations * costs.cpuIterationNs +
    w.histogramUpdates * costs.histogramNs +
    w.sharedAtomics * costs.sharedAtomicNs +
    // The `lazy` store's kzalloc()/kfree() of the per-task data, inside the toggle (design-lab.md).
    w.allocations * costs.slabAllocNs +
    w.frees * costs.slabFreeNs
  );
}

/**
 * CPU time of one accounting call's work, split by the symbol perf report would charge it to.
 * Each rhltable lookup (task_bp_pinned() once per CPU in the per-CPU loops) is the hash of the
 * task pointer (rhashtable_jhash2), the bucket load and walk (inlined into task_bp_pinned) and
 * the key compare (bcmp); the task's own entries are walked in task_bp_pinned too.
 */
export function callParts(
  work: { readonly check: PhaseWork; readonly toggle: PhaseWork },
  costs: CostParams,
): { checkNs: number; toggleNs: number; jhashNs: number; walkNs: number; bcmpNs: number } {
  const lookups = work.check.hashLookups + work.toggle.hashLookups;
  const entries = work.check.taskEntries + work.toggle.taskEntries;
  return {
    checkNs: ownNs(work.check, costs),
    toggleNs: ownNs(work.toggle, costs),
    jhashNs: lookups * costs.jhashNs,
    walkNs: lookups * costs.bucketWalkNs + entries * costs.taskEntryNs,
    bcmpNs: lookups * costs.keyCompareNs,
  };
}

/**
 * The call's work as one run (one event), its profile split over the functions that do it. One
 * object per simulation, refilled by each call: the kernel reads a run action when it gets it.
 * Parts of no time stay in the list (charging 0 ns changes no sum).
 */
class WorkRun {
  private readonly reserveSlot: [number, number] = [profileIndex('__reserve_bp_slot'), 0];
  private readonly jhash: [number, number] = [profileIndex('rhashtable_jhash2'), 0];
  private readonly walk: [number, number] = [profileIndex('task_bp_pinned'), 0];
  private readonly bcmp: [number, number] = [profileIndex('bcmp'), 0];
  readonly action: {
    kind: 'run';
    ns: number;
    symIndex: number;
    state: CpuStateIndex;
    parts: readonly ProfilePart[];
  } = {
    kind: 'run',
    ns: 0,
    symIndex: profileIndex('toggle_bp_slot'),
    state: CpuState.accounting,
    parts: [this.reserveSlot, this.jhash, this.walk, this.bcmp],
  };

  fill(
    work: { readonly check: PhaseWork; readonly toggle: PhaseWork },
    costs: CostParams,
    fixedNs: number,
    fixedSym: ProfileSymbol,
  ): Action {
    const { check, toggle } = work;
    const checkNs = ownNs(check, costs);
    const toggleNs = ownNs(toggle, costs);
    const lookups = check.hashLookups + toggle.hashLookups;
    const entries = check.taskEntries + toggle.taskEntries;
    const jhashNs = lookups * costs.jhashNs;
    const walkNs = lookups * costs.bucketWalkNs + entries * costs.taskEntryNs;
    const bcmpNs = lookups * costs.keyCompareNs;
    this.reserveSlot[1] = checkNs + (fixedSym === '__reserve_bp_slot' ? fixedNs : 0);
    this.jhash[1] = jhashNs;
    this.walk[1] = walkNs;
    this.bcmp[1] = bcmpNs;
    // task_bp_pinned() and the list walk are inlined into their callers in the profiles of the
    // list era, so list nodes stay with the phase that walks them.
    this.action.ns = checkNs + toggleNs + jhashNs + walkNs + bcmpNs + fixedNs;
    return this.action;
  }
}

export type AccountingRequest =
  | { readonly op: 'reserve'; readonly key: BpKey; readonly bp: BreakpointSpec }
  | { readonly op: 'release'; readonly key: BpKey; readonly bp: BreakpointSpec };

export interface AccountingContext {
  readonly engine: InspectableSlotEngine;
  readonly locks: DesignLocks;
  readonly costs: CostParams;
  /** Called with each result at the moment the engine decided (locks held). */
  onOutcome(request: AccountingRequest, result: OpResult): void;
}

/**
 * One reserve_bp_slot() or release_bp_slot() by the running thread: take the design's locks,
 * decide, spend the work's time inside the critical section, unlock in reverse order.
 *
 * A native sub-program (the kernel runs it as one 'call' action): the program that yields it
 * resumes once when the call is done, not once per lock and run, and its actions are reused
 * objects rather than a fresh one each.
 */
export class AccountingCall implements SubProgram {
  private readonly ctx: AccountingContext;
  /** The call's request: its own object, refilled by begin() (onOutcome must not keep it). */
  private readonly request: { op: 'reserve' | 'release'; key: BpKey; bp: BreakpointSpec };
  private locks: LockPlan = NO_LOCKS;
  /** The breakpoint `locks` were looked up for: a clone's or an exit's calls share one spec. */
  private locksBp: BreakpointSpec | null = null;
  /** `locks.reuses` when looked up: the pool gave the plan to another task if it moved since. */
  private locksReuses = 0;
  /** 0: take the locks; 1: decide and run; 2: drop the locks; 3: done. */
  private stage = 0;
  /** The call's work as one run with its profile parts, once decided; null without locks. */
  private workAction: Action | null = null;
  /** The engine's result, once the call is done. */
  result: OpResult | null = null;
  private readonly action: Action = { kind: 'call', sub: this };

  /**
   * One object serves a thread's successive calls (begin() each): a clone's reserves, an exit's
   * releases, without an object per call.
   */
  constructor(ctx: AccountingContext) {
    this.ctx = ctx;
    this.request = { op: 'reserve', key: 0, bp: NO_BREAKPOINT };
  }

  /** Starts a call (the previous one is done): the action that runs it. */
  begin(op: 'reserve' | 'release', key: BpKey, bp: BreakpointSpec): Action {
    const request = this.request;
    request.op = op;
    request.key = key;
    request.bp = bp;
    if (bp !== this.locksBp || this.locks.reuses !== this.locksReuses) {
      this.locks = this.ctx.locks.locksFor(bp);
      this.locksBp = bp;
      this.locksReuses = this.locks.reuses;
    }
    this.stage = 0;
    this.workAction = null;
    this.result = null;
    return this.action;
  }

  next(): Action | null {
    const locks = this.locks;
    if (this.stage === 0) {
      this.stage = 1;
      if (locks.acquire !== null) return locks.acquire;
    }
    if (this.stage === 1) {
      this.decide();
      this.stage = 2;
      const work = this.workAction;
      // The kernel skips runs of no time: so may we, before the kernel sees them.
      if (work !== null && work.kind === 'run' && work.ns > 0) return work;
    }
    if (this.stage === 2) {
      this.stage = 3;
      if (locks.release !== null) return locks.release;
    }
    return null;
  }

  private decide(): void {
    const { ctx, request } = this;
    const { engine } = ctx;
    const bp = request.bp;
    const result =
      request.op === 'reserve'
        ? engine.reserveInPlace(request.key, bp.task, bp.cpu, bp.type)
        : engine.releaseInPlace(request.key);
    ctx.onOutcome(request, result);
    this.result = result;
    if (this.locks.acquire !== null) {
      const fixedSym = request.op === 'reserve' ? '__reserve_bp_slot' : 'toggle_bp_slot';
      this.workAction = ctx.locks.workRun.fill(
        engine.lastPhases(),
        ctx.costs,
        ctx.costs.accountingCallNs,
        fixedSym,
      );
    }
  }
}

/** One accounting call, as a step of a program: `yield*` it; it returns the result. */
export function* accountingCall(
  ctx: AccountingContext,
  request: AccountingRequest,
): Generator<Action, OpResult, void> {
  const call = new AccountingCall(ctx);
  yield call.begin(request.op, request.key, request.bp);
  return call.result as OpResult;
}
