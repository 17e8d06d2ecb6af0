/**
 * The typed protocol between the page and a simulation worker (./sim.worker.ts). A worker runs
 * one run per lane (column); the page uses one worker per column, or one for both on a machine
 * with two cores or fewer (see ./client.ts).
 *
 * What crosses the thread boundary, and how:
 * - RunRequest (page → worker): structured-cloned. A Scenario is plain data (numbers, strings).
 * - The `onMessage` callback: passed as a Comlink.proxy, so the worker calls back into the page;
 *   each call posts one RunMessage. For a snapshot, the call settles when the page has applied
 *   it; the worker sends that column no other snapshot until then, and never waits for it.
 * - RunMessage (worker → page): structured-cloned, except the typed arrays of `samples`, whose
 *   ArrayBuffers are transferred (Comlink.transfer): the worker hands over each snapshot (a fresh
 *   copy from Simulation.samples()) and keeps no reference to it. RunResult is cloned.
 * - cancel(): a plain call with no payload.
 * - timeline(): the request is cloned; the TimelineWindow's typed arrays are transferred.
 */
import type { DesignSpec } from '../engine/spec.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { ColumnId } from '../scenario/url.ts';
import type { RunProgress, RunResult, SampleColumns } from '../sim/types.ts';
import type { TimelineRequest, TimelineWindow } from '../sim/timelineTypes.ts';

export type { ColumnId };

export interface RunRequest {
  /** Chosen by the page, increasing; every message of the run carries it back. */
  readonly runId: number;
  /**
   * Runs in different lanes share a worker by taking turns slice by slice; a new run cancels only
   * the run in flight in its own lane. The page uses one lane per column.
   */
  readonly lane: ColumnId;
  readonly scenario: Scenario;
  readonly design: DesignSpec;
  /**
   * Keep the run's timeline summary for timeline() (default true). A sweep's point never shows a
   * timeline, so it does not pay for recording one.
   */
  readonly keepTimeline?: boolean;
}

export type RunMessage =
  | {
      readonly kind: 'progress';
      readonly runId: number;
      readonly progress: RunProgress;
      /** A snapshot of the columns so far, or null when this message carries progress only. */
      readonly samples: SampleColumns | null;
    }
  | {
      readonly kind: 'done';
      readonly runId: number;
      readonly progress: RunProgress;
      readonly samples: SampleColumns;
      readonly result: RunResult;
      /** Wall time the worker spent on the run, ms. */
      readonly elapsedMs: number;
      /** Where that time went, for the page's performance marks (bench:frames reads them). */
      readonly timing: RunTiming;
    }
  | { readonly kind: 'refused'; readonly runId: number; readonly message: string }
  | { readonly kind: 'failed'; readonly runId: number; readonly message: string };

/**
 * A run's wall time in the worker, split by what it was doing. Epoch times are
 * performance.timeOrigin + performance.now() in the worker, so the page can place them on its own
 * timeline (subtract its own timeOrigin).
 */
export interface RunTiming {
  /** When the worker's module had loaded. */
  readonly workerBootEpochMs: number;
  /** When run() was called, and when the done message was handed to the page. */
  readonly receivedEpochMs: number;
  readonly doneEpochMs: number;
  /** In Simulation.advance(). */
  readonly simMs: number;
  /** In Simulation.samples() (copying the columns). */
  readonly snapshotMs: number;
  /** Between slices: the event loop, and the other lane's slices when lanes share the worker. */
  readonly yieldMs: number;
  readonly slices: number;
  readonly snapshots: number;
  /** Snapshots due but not taken: the page had not applied the previous one yet. */
  readonly snapshotsHeld: number;
  /** Snapshots not taken because the run was about to end. */
  readonly snapshotsSkipped: number;
  readonly progressMessages: number;
}

export type RunOutcome = 'done' | 'cancelled' | 'refused' | 'failed';

export interface SimWorkerApi {
  /**
   * Runs the design on the scenario, streaming RunMessages to `onMessage`. Starting a run cancels
   * the one in flight in the same lane; the cancelled run's promise resolves to 'cancelled' and
   * sends nothing more. What `onMessage` returns for a snapshot (a promise, or a value) settles
   * when the page has applied it.
   */
  run(request: RunRequest, onMessage: (message: RunMessage) => unknown): Promise<RunOutcome>;
  /** Cancels every run in flight. */
  cancel(): void;
  /**
   * A window of the lane's finished run `runId` for the timeline (src/sim/timelineTypes.ts):
   * from the run's summary, or, when the summary's frames are coarser than the window's bins
   * and `request.exact !== false` (or whatever the bins with `exact: 'always'`, as the trace
   * export needs), by re-simulating the run up to the window's end with every
   * event recorded (that costs the run's time up to `toNs`). null when the lane no longer keeps
   * that run (a newer run started) or a newer timeline request of the lane superseded this one.
   * The window's typed arrays are transferred. A bad request rejects with a one-line message.
   */
  timeline(lane: ColumnId, runId: number, request: TimelineRequest): Promise<TimelineWindow | null>;
}

/** The typed arrays of a SampleColumns, whose buffers a message transfers. */
export function sampleBuffers(samples: SampleColumns): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const value of Object.values(samples)) {
    if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) {
      if (!buffers.includes(value.buffer)) buffers.push(value.buffer);
    }
  }
  return buffers;
}
