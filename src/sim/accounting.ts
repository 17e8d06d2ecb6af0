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
  DesignId,
  OpOutcome,
  PhaseWork,
  SlotEngine,
} from '../engine/types.ts';
import type { CostParams } from './costs.ts';
import {
  CpuState,
  SimMutex,
  SimPercpuRwsem,
  SimRwlock,
  type Action,
  type Kernel,
  type SimLock,
} from './kernel.ts';
import type { ProfileSymbol } from './types.ts';

type LockUse = readonly [lock: SimLock, mode: 'read' | 'write'];

/** The design's kernel locks, created on first use (per-task and per-shard ones lazily). */
export class DesignLocks {
  private readonly kernel: Kernel;
  private readonly design: DesignId;
  private readonly cpus: number;
  private readonly global: SimLock | null;
  private readonly shards = new Map<number, SimMutex>();
  private readonly taskMutexes = new Map<number, SimMutex>();

  constructor(kernel: Kernel, design: DesignId, cpus: number) {
    this.kernel = kernel;
    this.design = design;
    this.cpus = cpus;
    switch (design) {
      case 'list':
      case 'rhltable':
        this.global = this.attach(new SimMutex('nr_bp_mutex', true));
        break;
      case 'sharded':
        this.global = this.attach(new SimRwlock('bp_cpuinfo_lock', true));
        break;
      case 'rwsem':
      case 'final':
        this.global = this.attach(new SimPercpuRwsem('bp_cpuinfo_sem', true));
        break;
      case 'ideal':
        this.global = null;
        break;
    }
  }

  private attach<L extends SimLock>(lock: L): L {
    lock.attach(this.kernel);
    return lock;
  }

  /** mirrors bp_constraints_lock() of each design (kernel-model.md 3.2 and 3.7). */
  locksFor(bp: BreakpointSpec): LockUse[] {
    const global = this.global;
    if (global === null) return [];
    switch (this.design) {
      case 'list':
      case 'rhltable':
        return [[global, 'write']];
      case 'sharded': {
        if (bp.task === null) return [[global, 'write']];
        // task_sharded_mtx[pid % nr_cpu_ids]: every CPU is possible here.
        const shard = bp.task % this.cpus;
        let mutex = this.shards.get(shard);
        if (!mutex) {
          mutex = this.attach(new SimMutex('task_sharded_mtx', true));
          this.shards.set(shard, mutex);
        }
        return [
          [mutex, 'write'],
          [global, 'read'],
        ];
      }
      case 'rwsem':
      case 'final': {
        if (bp.task === null) return [[global, 'write']];
        let mutex = this.taskMutexes.get(bp.task);
        if (!mutex) {
          mutex = this.attach(new SimMutex('perf_event_mutex', true));
          this.taskMutexes.set(bp.task, mutex);
        }
        return [
          [mutex, 'write'],
          [global, 'read'],
        ];
      }
      default:
        return [];
    }
  }

  /** A task is gone: its perf_event_mutex goes with it. */
  forgetTask(task: number): void {
    this.taskMutexes.delete(task);
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
  yield { kind: 'run', ns: t.ownNs + fixedNs, sym, state: CpuState.Accounting };
  yield { kind: 'run', ns: t.hashNs, sym: 'rhashtable_lookup', state: CpuState.Accounting };
  yield { kind: 'run', ns: t.entriesNs, sym: 'task_bp_pinned', state: CpuState.Accounting };
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
