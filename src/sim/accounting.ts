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
import { CpuState } from './cpuStates.ts';
import type { Action, Kernel } from './kernel.ts';
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

  /** mirrors bp_constraints_lock() of the design: its locks for `bp`, in order. */
  locksFor(bp: BreakpointSpec): LockUse[] {
    return this.engine
      .locksFor(bp.task)
      .map((taken) => [
        this.instance(taken.lock, taken.instance),
        taken.mode === 'read' ? 'read' : 'write',
      ]);
  }

  /** A task is gone: its perf_event_mutex goes with it. */
  forgetTask(task: number): void {
    this.instances.get('perf_event_mutex')?.delete(task);
  }
}

/** CPU time of one phase's work, split by the symbol perf report would charge it to. */
function phaseTime(
  work: PhaseWork,
  costs: CostParams,
): { ownNs: number; hashNs: number; entriesNs: number } {
  return {
    ownNs:
      work.listNodes * costs.listNodeNs +
      work.cpuIterations * costs.cpuIterationNs +
      work.histogramUpdates * costs.histogramNs +
      work.sharedAtomics * costs.sharedAtomicNs,
    hashNs: work.hashLookups * costs.hashLookupNs,
    entriesNs: work.taskEntries * costs.taskEntryNs,
  };
}

function* runPhase(
  work: PhaseWork,
  costs: CostParams,
  sym: ProfileSymbol,
  fixedNs: number,
): Generator<Action, void, void> {
  const t = phaseTime(work, costs);
  // task_bp_pinned() and the list walk are inlined into their callers in the profiles of the
  // list era; the rhltable lookup shows under its own name.
  yield { kind: 'run', ns: t.ownNs + fixedNs, sym, state: CpuState.accounting };
  yield { kind: 'run', ns: t.hashNs, sym: 'rhashtable_lookup', state: CpuState.accounting };
  yield { kind: 'run', ns: t.entriesNs, sym: 'task_bp_pinned', state: CpuState.accounting };
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
 */
export function* accountingCall(
  ctx: AccountingContext,
  request: AccountingRequest,
): Generator<Action, OpOutcome, void> {
  const locks = ctx.locks.locksFor(request.bp);
  for (const [lock, mode] of locks) yield { kind: 'acquire', lock, mode };
  const outcome =
    request.op === 'reserve'
      ? ctx.engine.reserve(request.key, request.bp)
      : ctx.engine.release(request.key);
  ctx.onOutcome(request, outcome);
  if (locks.length > 0) {
    const callNs = ctx.costs.accountingCallNs;
    if (request.op === 'reserve') {
      yield* runPhase(outcome.work.check, ctx.costs, '__reserve_bp_slot', callNs);
      yield* runPhase(outcome.work.toggle, ctx.costs, 'toggle_bp_slot', 0);
    } else {
      yield* runPhase(outcome.work.check, ctx.costs, '__reserve_bp_slot', 0);
      yield* runPhase(outcome.work.toggle, ctx.costs, 'toggle_bp_slot', callNs);
    }
  }
  for (let i = locks.length - 1; i >= 0; i--) {
    const [lock, mode] = locks[i] as LockUse;
    yield { kind: 'release', lock, mode };
  }
  return outcome;
}
