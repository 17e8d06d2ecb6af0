/**
 * The worker's logic, as a plain module that Vitest calls directly: it runs a Simulation in
 * slices of `advance(n)`, streams progress and sample snapshots, and stops when a newer run or a
 * cancel arrives. ./sim.worker.ts only exposes it through Comlink.
 *
 * Between slices the runner yields to the event loop, so a cancel() or a new run() posted by the
 * page is handled within one slice (about SLICE_TARGET_MS).
 *
 * Every message costs the page a render, and on two cores the page's renders take CPU from the
 * run (bench:frames measured the seed load's main thread busier than the simulation). So the
 * runner sends little, and never waits for the page:
 * - a snapshot after the first slice (the panels' first data), then at most one every
 *   SNAPSHOT_INTERVAL_MS, none while the page has not applied the previous one (it settles the
 *   call when it has: a slow or hidden page gets fewer snapshots, never a slower run), and none
 *   when the run is about to end (the result's own snapshot follows);
 * - progress alone at most every PROGRESS_INTERVAL_MS, not awaited;
 * - the final snapshot with the result.
 *
 * A short run's timeline summary is recorded afterwards: once the result is out and no run of
 * this worker is going, the same run is simulated again, deterministically, with the summary kept
 * (src/sim/timeline.ts). Recorded during the run it made the page's first results about a
 * quarter later (the seed's two cold runs in the page: 1,042 ms of simulation with it, 720-790
 * without); a timeline request waits for it meanwhile (the panel draws the samples until then).
 * A long run records it as it goes (RunnerDeps.summaryAfterRun): running it twice would cost more
 * than the quarter saved.
 */
import { transfer } from 'comlink';
import type { DesignSpec } from '../engine/spec.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { RunProgress, RunResult, SampleColumns } from '../sim/types.ts';
import type { TimelineRequest, TimelineWindow } from '../sim/timelineTypes.ts';
import {
  needsExact,
  timelineBuffers,
  timelineWindow,
  type TimelineSummaryData,
} from '../sim/timeline.ts';
import { checkTimelineRequest, startExactWindow } from '../sim/timelineRun.ts';
import {
  sampleBuffers,
  type RunMessage,
  type RunOutcome,
  type RunRequest,
  type RunTiming,
  type SimWorkerApi,
} from './protocol.ts';

/** The part of the simulator the runner uses (src/sim's Simulation satisfies it). */
export interface RunnableSimulation {
  advance(maxEvents: number): RunProgress;
  samples(): SampleColumns;
  result(): RunResult;
  /** The run's timeline summary (src/sim/timeline.ts), when it kept one. */
  timelineSummary?(): TimelineSummaryData | null;
}

export interface RunnerDeps {
  /** `keepTimeline`: the run records a timeline summary (RunRequest.keepTimeline). */
  readonly createSimulation: (
    scenario: Scenario,
    design: DesignSpec,
    keepTimeline: boolean,
  ) => RunnableSimulation;
  readonly checkRunSize: (scenario: Scenario) => string | null;
  readonly now: () => number;
  /** Added to now() for the epoch times of RunTiming (performance.timeOrigin in a worker). */
  readonly timeOrigin?: number;
  /** now() when the worker's module had loaded. */
  readonly bootMs?: number;
  /** Resolves after pending messages (a cancel) have been handled. */
  readonly yieldToEventLoop: () => Promise<void>;
  /**
   * Whether a run that keeps a timeline summary records it afterwards, in a second run (short
   * runs), rather than as it goes. Default: always afterwards.
   */
  readonly summaryAfterRun?: (scenario: Scenario, design: DesignSpec) => boolean;
  /** Frees the page's callback once its run is over (Comlink's releaseProxy in the worker). */
  readonly releaseCallback?: (callback: (message: RunMessage) => unknown) => void;
}

export const SLICE_TARGET_MS = 12;
/** Snapshots while running: enough to watch a long run fill in; each costs the page a redraw. */
export const SNAPSHOT_INTERVAL_MS = 250;
/** Progress-only messages: often enough for a moving bar, rarely enough not to load the page. */
export const PROGRESS_INTERVAL_MS = 100;
const FIRST_SLICE_EVENTS = 2_000;
const MIN_SLICE_EVENTS = 200;
const MAX_SLICE_EVENTS = 2_000_000;

/** Marks the snapshot's buffers for transfer; a no-op outside a Comlink call. */
function transferable<T extends RunMessage>(message: T, samples: SampleColumns | null): T {
  return samples ? transfer(message, sampleBuffers(samples)) : message;
}

/** A lane's finished run, kept for its timeline until the lane's next run starts. */
interface KeptRun {
  readonly runId: number;
  readonly scenario: Scenario;
  readonly design: DesignSpec;
  /** Its summary: recorded in the run, or in a second run after it (null if the lane moved on first). */
  summary: Promise<TimelineSummaryData | null>;
}

export function createRunner(deps: RunnerDeps): SimWorkerApi {
  const current = new Map<string, { runId: number; cancelled: boolean }>();
  const kept = new Map<string, KeptRun>();
  /** Each lane's latest timeline request: an older re-simulation stops at its next slice. */
  const timelineTokens = new Map<string, { cancelled: boolean }>();
  const timeOrigin = deps.timeOrigin ?? 0;
  const bootMs = deps.bootMs ?? deps.now();
  /** Waiting for no run of this worker to be going (a summary waits before each slice). */
  let idleWaiters: Array<() => void> = [];
  const runsDone = (): Promise<void> =>
    current.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));
  const noteRunEnded = (): void => {
    if (current.size > 0) return;
    const waiting = idleWaiters;
    idleWaiters = [];
    for (const resume of waiting) resume();
  };

  /**
   * A re-simulation in slices sized toward SLICE_TARGET_MS: `step` runs one (true once finished),
   * yielding after each so runs and newer requests go on; `goOn` says after each yield whether it
   * is still wanted. True when it finished, false when it was dropped.
   */
  async function inSlices(
    step: (events: number) => boolean,
    goOn: () => boolean | Promise<boolean>,
  ): Promise<boolean> {
    let sliceEvents = FIRST_SLICE_EVENTS;
    for (;;) {
      const from = deps.now();
      if (step(sliceEvents)) return true;
      sliceEvents = nextSliceEvents(sliceEvents, deps.now() - from);
      await deps.yieldToEventLoop();
      if (!(await goOn())) return false;
    }
  }

  /**
   * Re-simulates a lane's finished run with its timeline summary, in slices, each once no run is
   * going; null when the lane starts another run first.
   */
  async function summarize(lane: string, entry: KeptRun): Promise<TimelineSummaryData | null> {
    const stillKept = async (): Promise<boolean> => {
      await runsDone();
      return kept.get(lane) === entry;
    };
    if (!(await stillKept())) return null;
    const simulation = deps.createSimulation(entry.scenario, entry.design, true);
    const finished = await inSlices((events) => simulation.advance(events).done, stillKept);
    return finished ? (simulation.timelineSummary?.() ?? null) : null;
  }

  async function run(
    request: RunRequest,
    onMessage: (message: RunMessage) => unknown,
  ): Promise<RunOutcome> {
    const previous = current.get(request.lane);
    if (previous) previous.cancelled = true;
    const token = { runId: request.runId, cancelled: false };
    current.set(request.lane, token);
    // The lane's previous run and its timeline go: the page shows the new one.
    kept.delete(request.lane);
    const timelineToken = timelineTokens.get(request.lane);
    if (timelineToken) timelineToken.cancelled = true;
    const { runId } = request;
    const receivedMs = deps.now();
    const send = (message: RunMessage, samples: SampleColumns | null): Promise<unknown> =>
      Promise.resolve(onMessage(transferable(message, samples)));
    const spent = { simMs: 0, snapshotMs: 0, yieldMs: 0 };
    const counts = {
      slices: 0,
      snapshots: 0,
      snapshotsHeld: 0,
      snapshotsSkipped: 0,
      progressMessages: 0,
    };
    /** Runs `step`, adding its wall time to `spent[key]`. */
    const timed = <T>(key: keyof typeof spent, step: () => T): T => {
      const from = deps.now();
      const value = step();
      spent[key] += deps.now() - from;
      return value;
    };
    const timedAsync = async (key: keyof typeof spent, step: () => Promise<unknown>) => {
      const from = deps.now();
      await step();
      spent[key] += deps.now() - from;
    };
    const timing = (): RunTiming => ({
      workerBootEpochMs: timeOrigin + bootMs,
      receivedEpochMs: timeOrigin + receivedMs,
      doneEpochMs: timeOrigin + deps.now(),
      ...spent,
      ...counts,
    });

    try {
      const refusal = deps.checkRunSize(request.scenario);
      if (refusal !== null) {
        await send({ kind: 'refused', runId, message: refusal }, null);
        return 'refused';
      }
      const startedMs = deps.now();
      // The summary, if the run keeps one: as it goes, or afterwards (see the top of this file).
      const keepTimeline = request.keepTimeline ?? true;
      const summaryAfter =
        keepTimeline && (deps.summaryAfterRun?.(request.scenario, request.design) ?? true);
      const simulation = deps.createSimulation(
        request.scenario,
        request.design,
        keepTimeline && !summaryAfter,
      );
      let sliceEvents = FIRST_SLICE_EVENTS;
      let lastSnapshotMs = -Infinity;
      let lastProgressMs = -Infinity;
      /** The page has taken the last snapshot (at most one is in flight). */
      let pageReady = true;
      for (;;) {
        const sliceStartMs = deps.now();
        const progress = simulation.advance(sliceEvents);
        const sliceMs = deps.now() - sliceStartMs;
        spent.simMs += sliceMs;
        counts.slices++;
        if (token.cancelled) return 'cancelled';
        if (progress.done) {
          const samples = timed('snapshotMs', () => simulation.samples());
          const result = simulation.result();
          if (keepTimeline) {
            const entry: KeptRun = {
              runId,
              scenario: request.scenario,
              design: request.design,
              summary: Promise.resolve(
                summaryAfter ? null : (simulation.timelineSummary?.() ?? null),
              ),
            };
            kept.set(request.lane, entry);
            if (summaryAfter) entry.summary = summarize(request.lane, entry).catch(() => null);
          }
          const elapsedMs = deps.now() - startedMs;
          counts.snapshots++;
          await send(
            { kind: 'done', runId, progress, samples, result, elapsedMs, timing: timing() },
            samples,
          );
          return 'done';
        }
        const nowMs = deps.now();
        let snapshot = false;
        if (nowMs - lastSnapshotMs >= SNAPSHOT_INTERVAL_MS) {
          if (
            counts.snapshots > 0 &&
            finishesWithin(progress, nowMs - startedMs, SNAPSHOT_INTERVAL_MS)
          ) {
            counts.snapshotsSkipped++;
          } else if (!pageReady) {
            counts.snapshotsHeld++;
          } else {
            snapshot = true;
          }
        }
        if (snapshot) {
          const samples = timed('snapshotMs', () => simulation.samples());
          lastSnapshotMs = nowMs;
          lastProgressMs = nowMs;
          counts.snapshots++;
          // Not awaited: the run goes on while the page takes it. The next snapshot waits for
          // this one to be applied (the page settles the call then), so a slow or hidden page
          // never queues copies, and never holds the run up either.
          pageReady = false;
          send({ kind: 'progress', runId, progress, samples }, samples).then(
            () => (pageReady = true),
            () => undefined,
          );
        } else if (nowMs - lastProgressMs >= PROGRESS_INTERVAL_MS) {
          lastProgressMs = nowMs;
          counts.progressMessages++;
          // Not awaited either: a progress bar can take it whenever. A failure here (the page
          // went away) is not the run's failure.
          send({ kind: 'progress', runId, progress, samples: null }, null).catch(() => undefined);
        }
        sliceEvents = nextSliceEvents(sliceEvents, sliceMs);
        await timedAsync('yieldMs', deps.yieldToEventLoop);
        if (token.cancelled) return 'cancelled';
      }
    } catch (error) {
      if (token.cancelled) return 'cancelled';
      const message = error instanceof Error ? error.message : String(error);
      await send({ kind: 'failed', runId, message }, null);
      return 'failed';
    } finally {
      if (current.get(request.lane) === token) current.delete(request.lane);
      noteRunEnded();
      deps.releaseCallback?.(onMessage);
    }
  }

  function cancel(): void {
    for (const token of current.values()) token.cancelled = true;
    current.clear();
  }

  async function timeline(
    lane: string,
    runId: number,
    request: TimelineRequest,
  ): Promise<TimelineWindow | null> {
    const problem = checkTimelineRequest(request);
    if (problem !== null) throw new RangeError(problem);
    const entry = kept.get(lane);
    if (entry === undefined || entry.runId !== runId) return null;
    // The panel's requests supersede each other (latest wins); an export's ('always') goes on its
    // own, so a pan while a trace is being built neither cancels it nor waits for it.
    const tokenKey = request.exact === 'always' ? `${lane}#export` : lane;
    const previous = timelineTokens.get(tokenKey);
    if (previous) previous.cancelled = true;
    const token = { cancelled: false };
    timelineTokens.set(tokenKey, token);
    try {
      let window: TimelineWindow;
      // An export's exact window needs no summary; any other request asks the summary whether
      // it is fine enough, so it waits for it.
      const summary = request.exact === 'always' ? null : await entry.summary;
      if (request.exact !== 'always' && summary === null) return null;
      if (token.cancelled || kept.get(lane) !== entry) return null;
      if (summary !== null && !needsExact(summary, request)) {
        window = timelineWindow(summary, request);
      } else {
        const exact = startExactWindow(entry.scenario, entry.design, request);
        const finished = await inSlices(
          (events) => exact.step(events),
          () => !token.cancelled && kept.get(lane) === entry,
        );
        if (!finished) return null;
        window = exact.window();
      }
      return transfer(window, timelineBuffers(window));
    } finally {
      if (timelineTokens.get(tokenKey) === token) timelineTokens.delete(tokenKey);
    }
  }

  return { run, cancel, timeline };
}

/**
 * Whether the run, going at its pace so far, ends within `withinMs`: then a snapshot would only
 * cost the page a render just before the result's. Progress fractions are close to linear in
 * work for both workloads.
 */
export function finishesWithin(
  progress: RunProgress,
  elapsedMs: number,
  withinMs: number,
): boolean {
  if (progress.fraction <= 0) return false;
  return (elapsedMs * (1 - progress.fraction)) / progress.fraction < withinMs;
}

/** Scales the next slice toward SLICE_TARGET_MS, at most 4x up or down per step. */
export function nextSliceEvents(events: number, sliceMs: number): number {
  const ratio = sliceMs > 0 ? SLICE_TARGET_MS / sliceMs : 4;
  const scaled = Math.round(events * Math.min(4, Math.max(0.25, ratio)));
  return Math.min(MAX_SLICE_EVENTS, Math.max(MIN_SLICE_EVENTS, scaled));
}

/** A macrotask boundary without setTimeout's 4 ms clamp: a message to ourselves. */
export function messageChannelYield(): () => Promise<void> {
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    });
}
