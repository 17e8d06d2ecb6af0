/**
 * A simulation run: one design, one scenario, one seed. It wires the engine (decisions and work
 * counts), the simulated kernel (CPUs, threads, locks), a workload and the recorder, and runs
 * them in slices so the worker can stream samples and stay cancellable.
 *
 * Determinism: everything random draws from one PRNG seeded by the scenario; events at the same
 * instant run in scheduling order. The same scenario and design give the same numbers anywhere.
 */
import { createSlotEngine, slotIndex } from '../engine/index.ts';
import type { AccountingView, DesignId, OpOutcome } from '../engine/types.ts';
import { MAX_SIMULATED_OPS, MAX_SIMULATED_THREADS, type Scenario } from '../scenario/scenario.ts';
import { type AccountingRequest, DesignLocks } from './accounting.ts';
import { DEFAULT_COSTS, type CostParams } from '../scenario/costs.ts';
import { Kernel, type KernelHooks } from './kernel.ts';
import type { SimLock } from './locks/lock.ts';
import { SimSpinlock } from './locks/spinlock.ts';
import { createPrng } from './prng.ts';
import { AcquisitionLog, FrameRecorder, WaitHistogram } from './recorder.ts';
import {
  PROFILE_SYMBOLS,
  type LockStats,
  type ProfileSymbol,
  type RunProgress,
  type RunResult,
  type SampleColumns,
} from './types.ts';
import {
  mixedPrograms,
  threadBenchMain,
  type ThreadBenchState,
  type WorkloadContext,
} from './workloads.ts';

export interface Simulation {
  readonly design: DesignId;
  readonly scenario: Scenario;
  /** Runs up to `maxEvents` more events; cheap to call repeatedly. */
  advance(maxEvents: number): RunProgress;
  /** A copy of the sample columns so far (safe to transfer). */
  samples(): SampleColumns;
  /** The result; throws before advance() has reported done. */
  result(): RunResult;
  /** The engine's read-only accounting view, live (tests compare it with the samples). */
  accounting(): AccountingView;
}

export function costsOf(scenario: Scenario): CostParams {
  return { ...DEFAULT_COSTS, ...scenario.costs };
}

/** Accounting calls a thread-workload run makes: B * (P + R * T) reserves and as many releases. */
export function threadAccountingOps(scenario: Scenario): number {
  const { breakpoints, parallelism, repeat, threads } = scenario.thread;
  return 2 * breakpoints * (parallelism + repeat * threads);
}

/** null when the scenario fits the simulator's budget, else a message with a smaller suggestion. */
export function checkRunSize(scenario: Scenario): string | null {
  if (scenario.workload === 'thread') {
    const { repeat, threads, parallelism } = scenario.thread;
    const created = repeat * threads + parallelism;
    if (created > MAX_SIMULATED_THREADS) {
      const fit = Math.max(1, Math.floor((MAX_SIMULATED_THREADS - parallelism) / threads));
      return `This run creates ${created.toLocaleString('en-US')} threads; the simulator takes at most ${MAX_SIMULATED_THREADS.toLocaleString('en-US')}. Try -r ${fit} or fewer.`;
    }
    return null;
  }
  const { churnPerMs, durationMs, tasks, bpsPerTask } = scenario.mixed;
  const ops = churnPerMs * durationMs + tasks * bpsPerTask;
  if (ops > MAX_SIMULATED_OPS) {
    const fit = Math.max(1, Math.floor(MAX_SIMULATED_OPS / Math.max(1, churnPerMs)));
    return `This run makes about ${Math.round(ops).toLocaleString('en-US')} accounting operations; the simulator takes at most ${MAX_SIMULATED_OPS.toLocaleString('en-US')}. Try a duration of ${fit} ms or less.`;
  }
  return null;
}

interface LockClassStats {
  acquisitions: number;
  contended: number;
  holdTotalNs: number;
  readonly waits: WaitHistogram;
}

export function createSimulation(scenario: Scenario, design: DesignId): Simulation {
  const tooLarge = checkRunSize(scenario);
  if (tooLarge !== null) throw new RangeError(tooLarge);
  const costs = costsOf(scenario);
  const machine = { cpus: scenario.cpus, slots: scenario.slots, pools: scenario.pools };
  const pools = scenario.pools === 'split' ? 2 : 1;
  const engine = createSlotEngine(design, machine);
  const view = engine.accounting();
  const prng = createPrng(scenario.seed);
  const recorder = new FrameRecorder(scenario.cpus, pools);
  const acquisitions = new AcquisitionLog();
  const lockClasses = new Map<string, LockClassStats>();
  const statsOf = (lock: SimLock): LockClassStats => {
    let s = lockClasses.get(lock.name);
    if (!s) {
      s = { acquisitions: 0, contended: 0, holdTotalNs: 0, waits: new WaitHistogram() };
      lockClasses.set(lock.name, s);
    }
    return s;
  };
  // The hold time of the acquisition log entry is filled at release; track the open entries.
  const openAcquisitions = new Map<SimLock, { atNs: number; waitNs: number }[]>();

  const hooks: KernelHooks = {
    cpuInterval: (cpu, state, fromNs, toNs) => recorder.cpuInterval(cpu, state, fromNs, toNs),
    waiters: (spinning, sleeping, fromNs, toNs) =>
      recorder.waiters(spinning, sleeping, fromNs, toNs),
    acquired: (lock, waitNs, atNs) => {
      const s = statsOf(lock);
      s.acquisitions++;
      if (waitNs > 0) s.contended++;
      s.waits.add(waitNs);
      if (lock.accounting) {
        let open = openAcquisitions.get(lock);
        if (!open) openAcquisitions.set(lock, (open = []));
        open.push({ atNs, waitNs });
      }
    },
    released: (lock, holdNs) => {
      statsOf(lock).holdTotalNs += holdNs;
      if (lock.accounting) {
        // Shared (read) holders release in any order; the oldest open entry is a fair match.
        const entry = openAcquisitions.get(lock)?.shift();
        if (entry) acquisitions.add(entry.atNs, entry.waitNs, holdNs);
      }
    },
  };

  const kernel = new Kernel(scenario.cpus, costs, prng, hooks);
  const locks = new DesignLocks(kernel, engine);
  const lifecycle = new SimSpinlock('thread_lifecycle', false);
  lifecycle.attach(kernel);

  let accountingOps = 0;
  let enospc = 0;
  let mainTask = -1;
  let nextKey = 0;
  const occupancy = (pool: number, cpu: number, out: Int32Array): void => {
    const pinned = view.cpuPinned(cpu, pool);
    out[0] = pinned;
    out[1] = view.usedSlots(cpu, pool) - pinned;
  };
  const onOutcome = (request: AccountingRequest, outcome: OpOutcome): void => {
    if (request.bp.task !== mainTask) accountingOps++;
    if (outcome.result === 'ENOSPC') {
      enospc++;
      recorder.enospcAt(kernel.nowNs, request.bp.cpu >= 0 ? request.bp.cpu : fullestCpu(request));
    }
    recorder.occupancyUntil(kernel.nowNs, occupancy);
  };
  /** For a cpu = -1 breakpoint that failed: the first CPU with no slot left in its pool. */
  const fullestCpu = (request: AccountingRequest): number => {
    // find_slot_idx(): the engine's rule, so the pool searched is the pool that refused.
    const pool = slotIndex(request.bp.type, scenario.pools);
    for (let c = 0; c < scenario.cpus; c++) if (view.usedSlots(c, pool) >= scenario.slots) return c;
    return -1;
  };

  const ctx: WorkloadContext = {
    kernel,
    costs,
    accounting: { engine, locks, costs, onOutcome },
    lifecycle,
    nextKey: () => nextKey++,
  };

  const bench: ThreadBenchState = {
    startNs: 0,
    stopNs: 0,
    openError: null,
    threadsCreated: 0,
    finished: false,
  };
  const durationNs = scenario.mixed.durationMs * 1e6;
  const expectedOps = threadAccountingOps(scenario);

  if (scenario.workload === 'thread') {
    const main = kernel.newThread();
    // The benchmark's calls are its threads'; the originals' open and close by main are untimed.
    mainTask = main.id;
    kernel.spawn(main, threadBenchMain(ctx, scenario.thread, bench)(main));
  } else {
    const mixed = mixedPrograms(ctx, scenario.mixed, scenario.cpus, scenario.seed, durationNs);
    const threads = mixed.programs.map(() => kernel.newThread());
    threads.slice(0, scenario.mixed.tasks).forEach((t) => mixed.register(t));
    mixed.setup();
    recorder.occupancyUntil(0, occupancy);
    threads.forEach((t, i) =>
      kernel.spawn(t, (mixed.programs[i] as (typeof mixed.programs)[number])(t)),
    );
  }

  let done = false;
  let eventsRun = 0;
  const progress = (): RunProgress => {
    const fraction = done
      ? 1
      : scenario.workload === 'thread'
        ? expectedOps > 0
          ? Math.min(0.999, accountingOps / expectedOps)
          : 0
        : Math.min(0.999, kernel.nowNs / durationNs);
    return { fraction, simulatedNs: kernel.nowNs, done };
  };

  const finish = (): void => {
    kernel.flushActivity();
    recorder.occupancyUntil(kernel.nowNs, occupancy, true);
    done = true;
  };

  return {
    design,
    scenario,
    advance(maxEvents: number): RunProgress {
      if (done) return progress();
      for (let i = 0; i < maxEvents; i++) {
        if (scenario.workload === 'mixed' && kernel.queue.peekTime() > durationNs) {
          kernel.nowNs = durationNs;
          finish();
          break;
        }
        if (!kernel.runOne()) {
          finish();
          break;
        }
        eventsRun++;
      }
      return progress();
    },
    accounting: () => view,
    samples(): SampleColumns {
      return recorder.snapshot(kernel.nowNs, acquisitions);
    },
    result(): RunResult {
      if (!done) throw new Error('the simulation has not finished');
      const profileNs = Object.fromEntries(
        PROFILE_SYMBOLS.map((s) => [s, kernel.profileNs.get(s) ?? 0]),
      ) as Record<ProfileSymbol, number>;
      const lockStats: LockStats[] = [...lockClasses.entries()].map(([lock, s]) => ({
        lock,
        acquisitions: s.acquisitions,
        contended: s.contended,
        wait: s.waits.quantiles(),
        holdTotalNs: s.holdTotalNs,
      }));
      const isThread = scenario.workload === 'thread';
      const totalTimeNs = isThread
        ? bench.openError
          ? 0
          : bench.stopNs - bench.startNs
        : durationNs;
      const { repeat, threads, parallelism } = scenario.thread;
      // perf bench divides whole microseconds (gettimeofday's resolution).
      const usecsPerOp =
        isThread && !bench.openError ? Math.floor(totalTimeNs / 1e3) / repeat / threads : 0;
      return {
        design,
        totalTimeNs,
        usecsPerOp,
        usecsPerOpPerCpu: usecsPerOp * (isThread ? parallelism : 1),
        endNs: kernel.nowNs,
        accountingOps,
        enospc,
        openError: bench.openError === 'ENOSPC' ? 'ENOSPC' : null,
        threadsCreated: isThread ? bench.threadsCreated : scenario.mixed.tasks + 1,
        peakLiveThreads: kernel.peakLiveThreads,
        profileNs,
        locks: lockStats,
        events: eventsRun,
      };
    },
  };
}
