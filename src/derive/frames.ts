/**
 * Time in the sample columns: which frames hold data, and which frame the time cursor points at.
 * Each column has its own time axis: the cursor is a fraction of that column's run.
 */
import type { RunProgress, RunResult, SampleColumns } from '../sim/types.ts';

/** Frames holding data once the simulation has reached `simulatedNs`. */
export function filledFrameCount(samples: SampleColumns, simulatedNs: number): number {
  if (samples.frameNs <= 0) return 0;
  return Math.min(samples.frameCount, Math.max(1, Math.ceil(simulatedNs / samples.frameNs)));
}

/**
 * Where the cursor rests when the URL sets none: the latest frame while the run streams in, then
 * the middle of the run. The last frame of a finished run is its tail (threads exiting, CPUs
 * going idle), which tells nothing; the middle shows the steady state.
 */
export const RESTING_CURSOR = 0.5;

/** The cursor to draw: the URL's, else the latest frame (null) while running, else the rest. */
export function effectiveCursor(cursor: number | null, done: boolean): number | null {
  return cursor ?? (done ? RESTING_CURSOR : null);
}

/**
 * The frame under the cursor. `cursor` is a fraction 0..1 of `spanNs` (the run's end once done,
 * else the simulated time so far); null means the latest frame.
 */
export function frameAtCursor(
  samples: SampleColumns,
  simulatedNs: number,
  cursor: number | null,
  spanNs: number = simulatedNs,
): number {
  const filled = filledFrameCount(samples, simulatedNs);
  if (filled === 0) return 0;
  if (cursor === null) {
    // The latest complete frame: the one in progress holds only part of its time, so its CPUs
    // would read as idle and its counts as too small.
    const complete = Math.floor(simulatedNs / samples.frameNs);
    return Math.min(filled - 1, Math.max(0, complete - 1));
  }
  const atNs = cursor * spanNs;
  return Math.min(filled - 1, Math.max(0, Math.floor(atNs / samples.frameNs)));
}

/**
 * A column's time axis, which the cursor is a fraction of: once done, perf bench's timed region
 * ("Total time", what the comparison compares), or the whole run when nothing was timed (a failed
 * open; the mixed workload's fixed duration is both); before that, what has been simulated so far.
 * The untimed work after the last join is left out, so the resting cursor (the middle) lies in the
 * timed region of both columns.
 */
export function spanNs(run: {
  readonly result: Pick<RunResult, 'endNs' | 'totalTimeNs'> | null;
  readonly progress: Pick<RunProgress, 'simulatedNs'> | null;
}): number {
  if (run.result) return run.result.totalTimeNs > 0 ? run.result.totalTimeNs : run.result.endNs;
  return run.progress?.simulatedNs ?? 0;
}
