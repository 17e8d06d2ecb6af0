/**
 * `thread` mirrors perf bench breakpoint thread (tools/perf/bench/breakpoint.c, kernel-model.md
 * 5.1): the main thread opens B inherited breakpoints, starts the clock, creates P workers; each
 * worker takes batches from one shared counter of R, creates T passive threads (each inherits B
 * breakpoints: B reserves in the worker's clone), wakes them, and joins them. An exiting thread
 * clears its child tid in exit_mm() before perf_event_exit_task() releases its breakpoints, so a
 * join can return before the releases ran.
 */
import type { BreakpointSpec, OpOutcome } from '../../engine/types.ts';
import type { Scenario, ThreadWorkload } from '../../scenario/scenario.ts';
import { accountingCall } from '../accounting.ts';
import {
  Futex,
  played,
  type Action,
  type Kernel,
  type Played,
  type Program,
  type SimThread,
} from '../kernel.ts';
import { Script } from '../script.ts';
import type { SimLock } from '../locks/lock.ts';
import { SimSpinlock } from '../locks/spinlock.ts';
import type { CostParams } from '../../scenario/costs.ts';
import {
  cloneThread,
  CloneThread,
  ExitThread,
  JoinThread,
  joinThread,
  run,
  type Steps,
  type OwnedBreakpoint,
  type WorkloadContext,
  type WorkloadDefinition,
} from './common.ts';

/** Accounting calls a thread-workload run makes: B * (P + R * T) reserves and as many releases. */
export function threadAccountingOps(scenario: Scenario): number {
  const { breakpoints, parallelism, repeat, threads } = scenario.thread;
  return 2 * breakpoints * (parallelism + repeat * threads);
}

/** A futex hash bucket's spinlock (futex_hash_bucket.lock). */
export function futexBucket(kernel: Kernel): SimLock {
  const lock = new SimSpinlock('futex_bucket', false);
  lock.attach(kernel);
  return lock;
}

/**
 * done = 1; futex_wake(&done, T): futex_wake() marks every queued waiter under the bucket's
 * spinlock (futex_wake_mark), then wake_up_q() wakes them one after another on the waker's CPU.
 */
export function* futexWakeAll(costs: CostParams, done: Futex, bucket: SimLock): Steps {
  yield { kind: 'futexWake', futex: done, max: 0 };
  yield { kind: 'acquire', lock: bucket, mode: 'write' };
  const marked = done.waiters.length;
  yield run(costs.futexMarkNs * marked, 'futex');
  yield { kind: 'release', lock: bucket, mode: 'write' };
  const wakeRun = run(costs.futexWakeNs, 'try_to_wake_up');
  const wakeOne: Action = { kind: 'futexWake', futex: done, max: 1 };
  for (let i = 0; i < marked; i++) {
    yield wakeRun;
    yield wakeOne;
  }
}

/** A finished passive thread's `wait`: its batch's actions are not kept past its exit. */
const NO_WAIT: Played = played([]);

/**
 * A passive thread of one batch: futex_wait() on `done` (queued under the hash bucket's spinlock,
 * asleep unless done is set), then it exits. `wait` is the batch's four actions, shared.
 */
class PassiveThread extends Script {
  private wait: Played;
  private readonly exit: ExitThread;

  constructor(wait: Played, exit: ExitThread) {
    super();
    this.wait = wait;
    this.exit = exit;
  }

  /** The same program for a thread of another batch, once this one's thread has exited. */
  restart(wait: Played): this {
    this.stage = 0;
    this.wait = wait;
    return this;
  }

  next(): Action | null {
    switch (this.stage) {
      case 0:
        this.stage = 1;
        return this.wait;
      case 1:
        this.stage = 2;
        // Its batch's futex and bucket go with the batch, not with this object (PassiveKit).
        this.wait = NO_WAIT;
        return this.exit.action;
      default:
        return null;
    }
  }
}

/**
 * A passive thread's scripts and its list of breakpoints: its clone, its program, its exit. Kept
 * with its SimThread object (SimThread.kit), they serve the next thread the kernel makes in that
 * object, which it does only once the thread has exited and was joined (Kernel.reap()): a
 * passive thread lives about a quarter of the heavier run, so new objects for each were copied
 * twice by the young-generation collector (docs/model.md §6).
 */
class PassiveKit {
  private readonly clone: CloneThread;
  private readonly exit: ExitThread;
  private readonly passive: PassiveThread;

  constructor(ctx: WorkloadContext, child: SimThread, inherited: number, wait: Played) {
    const owned: OwnedBreakpoint[] = [];
    this.exit = new ExitThread(ctx, child, owned);
    this.passive = new PassiveThread(wait, this.exit);
    this.clone = new CloneThread(ctx, child, inherited, owned, () => this.passive);
  }

  /** The clone that makes `child` a passive thread of the batch waiting on `wait`. */
  static cloneOf(
    ctx: WorkloadContext,
    child: SimThread,
    inherited: number,
    wait: Played,
  ): CloneThread {
    const kit = child.kit;
    if (!(kit instanceof PassiveKit)) {
      const made = new PassiveKit(ctx, child, inherited, wait);
      child.kit = made;
      return made.clone;
    }
    kit.exit.restart(child);
    kit.passive.restart(wait);
    return kit.clone.restart(child);
  }
}

interface ThreadBenchState {
  startNs: number;
  stopNs: number;
  openError: OpOutcome['result'] | null;
  threadsCreated: number;
  finished: boolean;
}

/** The main thread of perf bench breakpoint thread. */
function threadBenchMain(
  ctx: WorkloadContext,
  params: ThreadWorkload,
  state: ThreadBenchState,
): (self: SimThread) => Program {
  const { kernel, costs } = ctx;
  let repeatLeft = params.repeat;

  function* worker(self: SimThread, owned: OwnedBreakpoint[]): Program {
    // One join script for all of this worker's joins, one after another.
    let joiner: JoinThread | null = null;
    // while (atomic_fetch_sub(&repeat, 1) > 0)
    while (repeatLeft-- > 0) {
      const done = new Futex();
      // `done` is one shared futex word: all T waiters hash to one bucket and its spinlock.
      const bucket = futexBucket(kernel);
      // futex_wait(): queue under the hash bucket's spinlock, then sleep unless done is set.
      const wait = played([
        { kind: 'acquire', lock: bucket, mode: 'write' },
        run(costs.futexQueueNs, 'futex'),
        { kind: 'release', lock: bucket, mode: 'write' },
        { kind: 'futexWait', futex: done },
      ]);
      const batch: SimThread[] = [];
      for (let i = 0; i < params.threads; i++) {
        const child = kernel.newThread();
        const clone = PassiveKit.cloneOf(ctx, child, params.breakpoints, wait);
        yield clone.action;
        if (!clone.ok) continue;
        state.threadsCreated++;
        batch.push(child);
      }
      yield* futexWakeAll(costs, done, bucket);
      for (const child of batch) {
        joiner = joiner === null ? new JoinThread(ctx, self, child) : joiner.restart(child);
        yield joiner.action;
      }
    }
    yield new ExitThread(ctx, self, owned).action;
  }

  return function* main(self: SimThread): Program {
    // perf_event_open(pid = 0, cpu = -1, inherit = 1) B times, before the clock starts.
    const originals: OwnedBreakpoint[] = [];
    for (let i = 0; i < params.breakpoints; i++) {
      const bp: BreakpointSpec = { task: self.id, cpu: -1, type: 'rw' };
      const key = ctx.nextKey();
      const result = yield* accountingCall(ctx.accounting, { op: 'reserve', key, bp });
      if (result !== 'ok') {
        state.openError = result;
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
    for (const child of workers) yield* joinThread(ctx, self, child);
    state.stopNs = kernel.nowNs;
    state.finished = true;
    // close() of the originals, after the clock stopped.
    for (const o of originals)
      yield* accountingCall(ctx.accounting, { op: 'release', key: o.key, bp: o.bp });
  };
}

export const threadWorkload: WorkloadDefinition = {
  create(ctx, scenario) {
    const bench: ThreadBenchState = {
      startNs: 0,
      stopNs: 0,
      openError: null,
      threadsCreated: 0,
      finished: false,
    };
    const expectedOps = threadAccountingOps(scenario);
    const main = ctx.kernel.newThread();
    return {
      endNs: Infinity,
      start() {
        ctx.kernel.spawn(main, threadBenchMain(ctx, scenario.thread, bench)(main));
      },
      // The benchmark's calls are its threads'; the originals' open and close by main are untimed.
      isUntimed: (request) => request.bp.task === main.id,
      progress: ({ accountingOps }) =>
        expectedOps > 0 ? Math.min(0.999, accountingOps / expectedOps) : 0,
      result() {
        const { repeat, threads, parallelism } = scenario.thread;
        const totalTimeNs = bench.openError ? 0 : bench.stopNs - bench.startNs;
        // perf bench divides whole microseconds (gettimeofday's resolution).
        const usecsPerOp = bench.openError ? 0 : Math.floor(totalTimeNs / 1e3) / repeat / threads;
        return {
          totalTimeNs,
          usecsPerOp,
          usecsPerOpPerCpu: usecsPerOp * parallelism,
          openError: bench.openError === 'ENOSPC' ? 'ENOSPC' : null,
          threadsCreated: bench.threadsCreated,
        };
      },
    };
  },
};
