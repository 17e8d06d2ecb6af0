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
import type { SimLock } from '../locks/lock.ts';
import type { RunResult } from '../types.ts';

export type Steps<T = void> = Generator<Action, T, void>;

export function run(
  ns: number,
  sym:
    'copy_process' | 'do_exit' | 'perf_event_init_task' | 'perf_event_exit_task' | 'futex' | 'user',
): Action {
  return { kind: 'run', ns, sym, state: CpuState.work };
}

/** What a workload's programs run against. */
export interface WorkloadContext {
  readonly kernel: Kernel;
  readonly costs: CostParams;
  readonly accounting: AccountingContext;
  /** The thread group's lifecycle serialization (tasklist_lock and the mm's bookkeeping). */
  readonly lifecycle: SimLock;
  nextKey(): BpKey;
}

export interface OwnedBreakpoint {
  readonly key: BpKey;
  readonly bp: BreakpointSpec;
}

/**
 * clone() of a thread that inherits `inherited` breakpoints, run by the creator: copy_process(),
 * then perf_event_init_task() reserves each inherited breakpoint for the child, then the child is
 * published under the lifecycle lock and woken (wake_up_new_task). Returns false if an inherited
 * reserve failed (copy_process fails and undoes what it reserved).
 */
export function* cloneThread(
  ctx: WorkloadContext,
  child: SimThread,
  inherited: number,
  owned: OwnedBreakpoint[],
  program: (self: SimThread) => Program,
): Steps<boolean> {
  const { costs } = ctx;
  yield run(costs.threadCreateNs, 'copy_process');
  for (let i = 0; i < inherited; i++) {
    const bp: BreakpointSpec = { task: child.id, cpu: -1, type: 'rw' };
    const key = ctx.nextKey();
    const outcome = yield* accountingCall(ctx.accounting, { op: 'reserve', key, bp });
    if (outcome.result !== 'ok') {
      for (const o of owned.splice(0))
        yield* accountingCall(ctx.accounting, { op: 'release', key: o.key, bp: o.bp });
      return false;
    }
    owned.push({ key, bp });
  }
  yield { kind: 'acquire', lock: ctx.lifecycle, mode: 'write' };
  // [hypothesis] linking each child event under the original event's child_mutex, shared by
  // every thread of the group, serializes with the rest of the group's lifecycle (docs/model.md).
  yield run(costs.perfInheritNs * inherited, 'perf_event_init_task');
  yield run(costs.threadCreateSerialNs, 'copy_process');
  yield { kind: 'release', lock: ctx.lifecycle, mode: 'write' };
  yield { kind: 'spawn', child, program: program(child) };
  return true;
}

/** do_exit(): exit_mm() wakes the joiner, then perf_event_exit_task() releases, then the rest. */
export function* exitThread(
  ctx: WorkloadContext,
  self: SimThread,
  owned: OwnedBreakpoint[],
): Steps {
  const { costs } = ctx;
  yield { kind: 'exitMm' };
  const events = owned.length;
  for (const o of owned.splice(0)) {
    yield* accountingCall(ctx.accounting, { op: 'release', key: o.key, bp: o.bp });
  }
  ctx.accounting.locks.forgetTask(self.id);
  yield { kind: 'acquire', lock: ctx.lifecycle, mode: 'write' };
  yield run(costs.perfExitNs * events, 'perf_event_exit_task');
  yield run(costs.threadExitSerialNs, 'do_exit');
  yield { kind: 'release', lock: ctx.lifecycle, mode: 'write' };
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
