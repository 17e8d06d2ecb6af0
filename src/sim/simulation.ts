/**
 * A simulation run: one design, one scenario, one seed. It wires the engine (decisions and work
 * counts), the simulated kernel (CPUs, threads, locks), a workload and the recorder, and runs
 * them in slices so the worker can stream samples and stay cancellable.
 *
 * Determinism: everything random draws from one PRNG seeded by the scenario; events at the same
 * instant run in scheduling order. The same scenario and design give the same numbers anywhere.
 */
import { createSlotEngine, slotIndex } from '../engine/index.ts';
import type { DesignSpec } from '../engine/spec.ts';
import type { AccountingView, OpResult } from '../engine/types.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { DEFAULT_COSTS, type CostParams } from '../scenario/costs.ts';
import { type AccountingRequest, DesignLocks } from './accounting.ts';
import { checkRunCost, PAGE_BUDGET, type RunBudget } from './budget.ts';
import { Kernel, type KernelHooks } from './kernel.ts';
import { createPrng } from './prng.ts';
import { FrameRecorder, LockRecorder } from './recorder.ts';
import {
  PROFILE_SYMBOLS,
  type ProfileSymbol,
  type RunProgress,
  type RunResult,
  type SampleColumns,
} from './types.ts';
import { WORKLOADS, type WorkloadContext } from './workloads/index.ts';
import { TimelineRecorder, type TimelineSummaryData } from './timeline.ts';
import type { TimelineRequest, TimelineWindow } from './timelineTypes.ts';
import { ProcessState } from './workloads/common.ts';

export { threadAccountingOps } from './workloads/index.ts';

export interface Simulation {
  readonly design: DesignSpec;
  readonly scenario: Scenario;
  /** Runs up to `maxEvents` more events; cheap to call repeatedly. */
  advance(maxEvents: number): RunProgress;
  /** A copy of the sample columns so far (safe to transfer). */
  samples(): SampleColumns;
  /** The result; throws before advance() has reported done. */
  result(): RunResult;
  /** The engine's read-only accounting view, live (tests compare it with the samples). */
  accounting(): AccountingView;
  /** The timeline summary so far (a copy), or null when the run was not armed with one. */
  timelineSummary(): TimelineSummaryData | null;
  /**
   * The exact window the run was armed with, or null. It closes the CPUs' open intervals at the
   * current time: call it once, when the run has passed the window's end or is done.
   */
  exactTimeline(): TimelineWindow | null;
}

/** What a run records beyond its samples and result. */
export interface SimulationOptions {
  readonly timeline?: {
    /** Keep the multi-resolution summary (./timeline.ts) for the whole run. */
    readonly summary?: boolean;
    /** Record every event inside this window. */
    readonly exact?: TimelineRequest;
  };
}

export function costsOf(scenario: Scenario): CostParams {
  return { ...DEFAULT_COSTS, ...scenario.costs };
}

/**
 * null when every design's run of the scenario fits the budget (the page's by default), else one
 * line with the estimate, the budget and a smaller run that fits (./budget.ts).
 */
export function checkRunSize(
  scenario: Scenario,
  budget: RunBudget = PAGE_BUDGET,
  designs?: readonly DesignSpec[],
): string | null {
  return checkRunCost(scenario, budget, designs);
}

export function createSimulation(
  scenario: Scenario,
  design: DesignSpec,
  budget: RunBudget = PAGE_BUDGET,
  options: SimulationOptions = {},
): Simulation {
  const tooLarge = checkRunSize(scenario, budget, [design]);
  if (tooLarge !== null) throw new RangeError(tooLarge);
  const costs = costsOf(scenario);
  const machine = { cpus: scenario.cpus, slots: scenario.slots, pools: scenario.pools };
  const engine = createSlotEngine(design, machine);
  const view = engine.accounting();
  const prng = createPrng(scenario.seed);
  const recorder = new FrameRecorder(scenario.cpus, view.poolCount);
  const lockRecorder = new LockRecorder();

  const armed = options.timeline;
  const timeline =
    armed && (armed.summary === true || armed.exact !== undefined)
      ? new TimelineRecorder(scenario.cpus, {
          summary: armed.summary === true,
          exact: armed.exact ?? null,
        })
      : null;
  // Without a timeline the hooks are the sample recorders' alone (and no lockWaiters hook).
  const hooks: KernelHooks =
    timeline === null
      ? {
          cpuInterval: (cpu, state, fromNs, toNs) => recorder.cpuInterval(cpu, state, fromNs, toNs),
          waiters: (spinning, sleeping, fromNs, toNs) =>
            recorder.waiters(spinning, sleeping, fromNs, toNs),
          acquired: (lock, waitNs, atNs) => lockRecorder.acquired(lock, waitNs, atNs),
          released: (lock, holdNs) => lockRecorder.released(lock, holdNs),
        }
      : {
          cpuInterval: (cpu, state, fromNs, toNs, thread) => {
            recorder.cpuInterval(cpu, state, fromNs, toNs);
            timeline.cpuInterval(cpu, state, fromNs, toNs, thread);
          },
          waiters: (spinning, sleeping, fromNs, toNs) =>
            recorder.waiters(spinning, sleeping, fromNs, toNs),
          acquired: (lock, waitNs, atNs, thread) => {
            lockRecorder.acquired(lock, waitNs, atNs);
            timeline.acquired(lock, waitNs, atNs, thread);
          },
          released: (lock, holdNs, atNs, thread) => {
            lockRecorder.released(lock, holdNs);
            timeline.released(lock, holdNs, atNs, thread);
          },
          lockWaiters: (lock, spinning, sleeping, atNs) =>
            timeline.lockWaiters(lock, spinning, sleeping, atNs),
        };

  const kernel = new Kernel(scenario.cpus, costs, prng, hooks);
  const locks = new DesignLocks(kernel, engine);
  const procState = new ProcessState(kernel);

  let accountingOps = 0;
  let enospc = 0;
  let nextKey = 0;
  // Keys of released breakpoints, reused (last freed first) so the engine's per-key tables stay
  // as large as the breakpoints held, not as the breakpoints ever opened.
  const freeKeys: number[] = [];
  // The view's two readers, looked up once rather than through the view for every CPU at every
  // frame crossing (perf: occupancyUntil fell from about 4% of the heavier run to 0.5%).
  const cpuPinned = view.cpuPinned.bind(view);
  const usedSlots = view.usedSlots.bind(view);
  const occupancy = (pool: number, cpu: number, out: Int32Array): void => {
    const pinned = cpuPinned(cpu, pool);
    out[0] = pinned;
    out[1] = usedSlots(cpu, pool) - pinned;
  };
  /** For a cpu = -1 breakpoint that failed: the first CPU with no slot left in its pool. */
  const fullestCpu = (request: AccountingRequest): number => {
    // find_slot_idx(): the engine's rule, so the pool searched is the pool that refused.
    const pool = slotIndex(request.bp.type, scenario.pools);
    for (let c = 0; c < scenario.cpus; c++) if (view.usedSlots(c, pool) >= scenario.slots) return c;
    return -1;
  };
  const onOutcome = (request: AccountingRequest, result: OpResult): void => {
    if (!workload.isUntimed(request)) accountingOps++;
    if (request.op === 'release' && result === 'ok') freeKeys.push(request.key);
    if (result === 'ENOSPC') {
      enospc++;
      recorder.enospcAt(kernel.nowNs, request.bp.cpu >= 0 ? request.bp.cpu : fullestCpu(request));
    }
    recorder.occupancyUntil(kernel.nowNs, occupancy);
  };

  const ctx: WorkloadContext = {
    kernel,
    costs,
    accounting: { engine, locks, costs, onOutcome },
    process: procState,
    nextKey: () => (freeKeys.length > 0 ? (freeKeys.pop() as number) : nextKey++),
  };
  const workload = WORKLOADS[scenario.workload].create(ctx, scenario);
  workload.start();

  let done = false;
  let eventsRun = 0;
  const progress = (): RunProgress => ({
    fraction: done ? 1 : workload.progress({ accountingOps, nowNs: kernel.nowNs }),
    simulatedNs: kernel.nowNs,
    done,
  });

  const finish = (): void => {
    kernel.flushActivity();
    recorder.occupancyUntil(kernel.nowNs, occupancy, true);
    kernel.queue.clear();
    locks.dropSpares();
    kernel.dropSpareThreads();
    done = true;
  };

  return {
    design,
    scenario,
    advance(maxEvents: number): RunProgress {
      if (done) return progress();
      for (let i = 0; i < maxEvents; i++) {
        if (kernel.queue.peekTime() > workload.endNs) {
          kernel.nowNs = workload.endNs;
          finish();
          break;
        }
        if (!kernel.runOne()) {
          // The run ends at its last change of state, not at a timer that found nothing to do.
          kernel.nowNs = kernel.lastChangeNs;
          finish();
          break;
        }
        eventsRun++;
        // Every thread has exited: what is left in the queue are stale timers (a spinner's RCU
        // limit, armed for ~100 ms), which would stretch the run's end past its last work.
        if (kernel.liveThreads === 0) {
          finish();
          break;
        }
      }
      return progress();
    },
    accounting: () => view,
    timelineSummary: () => timeline?.summary?.data(kernel.nowNs) ?? null,
    exactTimeline(): TimelineWindow | null {
      const exact = timeline?.exact;
      if (!exact) return null;
      if (!done) kernel.flushActivity();
      return exact.window(kernel.nowNs);
    },
    samples(): SampleColumns {
      return recorder.snapshot(kernel.nowNs, lockRecorder.acquisitions);
    },
    result(): RunResult {
      if (!done) throw new Error('the simulation has not finished');
      const profileNs = Object.fromEntries(
        PROFILE_SYMBOLS.map((s, i) => [s, kernel.profileNs[i] as number]),
      ) as Record<ProfileSymbol, number>;
      const own = workload.result();
      return {
        design,
        totalTimeNs: own.totalTimeNs,
        usecsPerOp: own.usecsPerOp,
        usecsPerOpPerCpu: own.usecsPerOpPerCpu,
        endNs: kernel.nowNs,
        accountingOps,
        enospc,
        openError: own.openError,
        threadsCreated: own.threadsCreated,
        peakLiveThreads: kernel.peakLiveThreads,
        profileNs,
        locks: lockRecorder.stats(),
        events: eventsRun,
      };
    },
  };
}
