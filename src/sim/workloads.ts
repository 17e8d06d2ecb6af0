/**
 * Workloads as thread programs.
 *
 * `thread` mirrors perf bench breakpoint thread (tools/perf/bench/breakpoint.c, kernel-model.md
 * 5.1): the main thread opens B inherited breakpoints, starts the clock, creates P workers; each
 * worker takes batches from one shared counter of R, creates T passive threads (each inherits B
 * breakpoints: B reserves in the worker's clone), wakes them, and joins them. An exiting thread
 * clears its child tid in exit_mm() before perf_event_exit_task() releases its breakpoints, so a
 * join can return before the releases ran.
 *
 * `mixed` is a long-lived population: tasks holding task breakpoints (on every CPU or pinned),
 * CPU-bound breakpoints, and churn that creates and destroys both at a given rate.
 */
import type { BpKey, BreakpointSpec, OpOutcome } from '../engine/types.ts';
import type { MixedWorkload, ThreadWorkload } from '../scenario/scenario.ts';
import { accountingCall, type AccountingContext } from './accounting.ts';
import type { CostParams } from '../scenario/costs.ts';
import { CpuState } from './cpuStates.ts';
import { Futex, type Action, type Kernel, type Program, type SimThread } from './kernel.ts';
import type { SimLock } from './locks/lock.ts';
import { createPrng, type Prng } from './prng.ts';

type Steps<T = void> = Generator<Action, T, void>;

function run(
  ns: number,
  sym:
    'copy_process' | 'do_exit' | 'perf_event_init_task' | 'perf_event_exit_task' | 'futex' | 'user',
): Action {
  return { kind: 'run', ns, sym, state: CpuState.work };
}

/** Shared by both workloads: what a thread owns and how it is born and dies. */
export interface WorkloadContext {
  readonly kernel: Kernel;
  readonly costs: CostParams;
  readonly accounting: AccountingContext;
  /** The thread group's lifecycle serialization (tasklist_lock and the mm's bookkeeping). */
  readonly lifecycle: SimLock;
  nextKey(): BpKey;
}

interface OwnedBreakpoint {
  readonly key: BpKey;
  readonly bp: BreakpointSpec;
}

/**
 * clone() of a thread that inherits `inherited` breakpoints, run by the creator: copy_process(),
 * then perf_event_init_task() reserves each inherited breakpoint for the child, then the child is
 * published under the lifecycle lock and woken (wake_up_new_task). Returns false if an inherited
 * reserve failed (copy_process fails and undoes what it reserved).
 */
function* cloneThread(
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
function* exitThread(ctx: WorkloadContext, self: SimThread, owned: OwnedBreakpoint[]): Steps {
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

export interface ThreadBenchState {
  startNs: number;
  stopNs: number;
  openError: OpOutcome['result'] | null;
  threadsCreated: number;
  finished: boolean;
}

/** The main thread of perf bench breakpoint thread. */
export function threadBenchMain(
  ctx: WorkloadContext,
  params: ThreadWorkload,
  state: ThreadBenchState,
): (self: SimThread) => Program {
  const { kernel, costs } = ctx;
  let repeatLeft = params.repeat;

  function* passive(self: SimThread, done: Futex, owned: OwnedBreakpoint[]): Program {
    yield { kind: 'futexWait', futex: done };
    yield* exitThread(ctx, self, owned);
  }

  function* worker(self: SimThread, owned: OwnedBreakpoint[]): Program {
    // while (atomic_fetch_sub(&repeat, 1) > 0)
    while (repeatLeft-- > 0) {
      const done = new Futex();
      const batch: SimThread[] = [];
      for (let i = 0; i < params.threads; i++) {
        const child = kernel.newThread();
        const childOwned: OwnedBreakpoint[] = [];
        const ok = yield* cloneThread(ctx, child, params.breakpoints, childOwned, (c) =>
          passive(c, done, childOwned),
        );
        if (!ok) continue;
        state.threadsCreated++;
        batch.push(child);
      }
      yield run(costs.futexWakeNs * batch.length, 'futex');
      yield { kind: 'futexWake', futex: done };
      for (const child of batch) {
        yield { kind: 'join', target: child };
        yield run(costs.joinNs, 'futex');
      }
    }
    yield* exitThread(ctx, self, owned);
  }

  return function* main(self: SimThread): Program {
    // perf_event_open(pid = 0, cpu = -1, inherit = 1) B times, before the clock starts.
    const originals: OwnedBreakpoint[] = [];
    for (let i = 0; i < params.breakpoints; i++) {
      const bp: BreakpointSpec = { task: self.id, cpu: -1, type: 'rw' };
      const key = ctx.nextKey();
      const outcome = yield* accountingCall(ctx.accounting, { op: 'reserve', key, bp });
      if (outcome.result !== 'ok') {
        state.openError = outcome.result;
        for (const o of originals)
          yield* accountingCall(ctx.accounting, { op: 'release', key: o.key, bp: o.bp });
        state.finished = true;
        return;
      }
      originals.push({ key, bp });
    }
    state.startNs = kernel.nowNs;
    const workers: SimThread[] = [];
    for (let i = 0; i < params.parallelism; i++) {
      const child = kernel.newThread();
      const childOwned: OwnedBreakpoint[] = [];
      const ok = yield* cloneThread(ctx, child, params.breakpoints, childOwned, (c) =>
        worker(c, childOwned),
      );
      if (ok) workers.push(child);
    }
    for (const child of workers) {
      yield { kind: 'join', target: child };
      yield run(costs.joinNs, 'futex');
    }
    state.stopNs = kernel.nowNs;
    state.finished = true;
    // close() of the originals, after the clock stopped.
    for (const o of originals)
      yield* accountingCall(ctx.accounting, { op: 'release', key: o.key, bp: o.bp });
  };
}

/** Work done in user space between two operations of a mixed-workload task, ns. */
const MIXED_USER_WORK_NS = 50_000;

export interface MixedPrograms {
  /** Called with each task thread (in program order) before setup(). */
  register(task: SimThread): void;
  /** Reserves the initial population, untimed. */
  setup(): void;
  /** One program per task thread, then the monitor's. */
  programs: ((self: SimThread) => Program)[];
}

/**
 * The mixed workload: `tasks` long-lived threads, each holding task breakpoints and changing them
 * at random times, and a monitor thread that reserves and releases CPU-bound breakpoints (the
 * rwsem writer path). Operations arrive as Poisson processes that add up to `churnPerMs`.
 */
export function mixedPrograms(
  ctx: WorkloadContext,
  params: MixedWorkload,
  cpus: number,
  seed: number,
  durationNs: number,
): MixedPrograms {
  const totalRate = params.churnPerMs / 1e6; // per ns
  const cpuBoundShare = params.cpuBoundChurnPercent / 100;
  const taskRate = params.tasks > 0 ? (totalRate * (1 - cpuBoundShare)) / params.tasks : 0;
  const monitorRate = totalRate * cpuBoundShare;
  // Each task and the monitor draw from their own stream, so the workload (times, choices,
  // breakpoints) is the same whatever the design's timing does to the interleaving.
  const streamOf = (index: number): Prng =>
    createPrng((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + index * 0x27d4eb2f) >>> 0);
  const exp = (prng: Prng, rate: number): number =>
    rate > 0 ? -Math.log(1 - prng.next()) / rate : Infinity;

  const taskBp = (prng: Prng, task: number): BreakpointSpec => ({
    task,
    cpu: prng.next() * 100 < params.pinnedPercent ? prng.int(cpus) : -1,
    type: prng.next() < 0.2 ? 'x' : 'rw',
  });
  const cpuBp = (prng: Prng): BreakpointSpec => ({ task: null, cpu: prng.int(cpus), type: 'rw' });

  const held = new Map<number, OwnedBreakpoint[]>();
  const cpuHeld: OwnedBreakpoint[] = [];
  const tasks: SimThread[] = [];

  /** The initial population, in place before the clock starts. */
  const setup = (): void => {
    const prng = streamOf(0);
    for (const t of tasks) {
      const owned: OwnedBreakpoint[] = [];
      for (let i = 0; i < params.bpsPerTask; i++) {
        const key = ctx.nextKey();
        const bp = taskBp(prng, t.id);
        if (ctx.accounting.engine.reserve(key, bp).result === 'ok') owned.push({ key, bp });
      }
      held.set(t.id, owned);
    }
    for (let i = 0; i < params.cpuBound; i++) {
      const key = ctx.nextKey();
      const bp: BreakpointSpec = { task: null, cpu: i % cpus, type: 'rw' };
      if (ctx.accounting.engine.reserve(key, bp).result === 'ok') cpuHeld.push({ key, bp });
    }
  };

  function* task(self: SimThread): Program {
    const owned = held.get(self.id) ?? [];
    const prng = streamOf(1 + tasks.indexOf(self) + 1);
    let nextNs = exp(prng, taskRate);
    while (nextNs < durationNs) {
      const waitNs = nextNs - ctx.kernel.nowNs;
      if (waitNs > 0) yield { kind: 'sleep', ns: waitNs };
      yield run(MIXED_USER_WORK_NS, 'user');
      // Add a breakpoint or drop one, equally likely while the task holds some.
      if (owned.length > 0 && prng.next() < 0.5) {
        const o = owned.splice(prng.int(owned.length), 1)[0] as OwnedBreakpoint;
        yield* accountingCall(ctx.accounting, { op: 'release', key: o.key, bp: o.bp });
      } else {
        const key = ctx.nextKey();
        const bp = taskBp(prng, self.id);
        const outcome = yield* accountingCall(ctx.accounting, { op: 'reserve', key, bp });
        if (outcome.result === 'ok') owned.push({ key, bp });
      }
      nextNs += exp(prng, taskRate);
    }
  }

  function* monitor(_self: SimThread): Program {
    const prng = streamOf(1);
    let nextNs = exp(prng, monitorRate);
    while (nextNs < durationNs) {
      const waitNs = nextNs - ctx.kernel.nowNs;
      if (waitNs > 0) yield { kind: 'sleep', ns: waitNs };
      if (cpuHeld.length > 0 && prng.next() < 0.5) {
        const o = cpuHeld.splice(prng.int(cpuHeld.length), 1)[0] as OwnedBreakpoint;
        yield* accountingCall(ctx.accounting, { op: 'release', key: o.key, bp: o.bp });
      } else {
        const key = ctx.nextKey();
        const bp = cpuBp(prng);
        const outcome = yield* accountingCall(ctx.accounting, { op: 'reserve', key, bp });
        if (outcome.result === 'ok') cpuHeld.push({ key, bp });
      }
      nextNs += exp(prng, monitorRate);
    }
  }

  const programs: ((self: SimThread) => Program)[] = [];
  for (let i = 0; i < params.tasks; i++) programs.push(task);
  programs.push(monitor);
  return { register: (t) => void tasks.push(t), setup, programs };
}
