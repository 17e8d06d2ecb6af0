import { useEffect, useMemo, useState } from 'react';
import { timelineFromSamples } from '../../derive/timelineFromSamples.ts';
import type { SampleColumns } from '../../sim/types.ts';
import type { TimelineRequest, TimelineWindow } from '../../sim/timelineTypes.ts';
import type { ColumnId } from '../../worker/protocol.ts';

/**
 * Where finer windows come from: the worker's timeline (exact events by re-simulation, or its
 * multi-resolution summary), or nothing. The panel does not care which; it paints the sample
 * columns' window at once and swaps in the source's answer when it arrives.
 */
export type TimelineSource = (
  column: ColumnId,
  runId: number,
  request: TimelineRequest,
) => Promise<TimelineWindow | null>;

/** How long the view must rest before a finer window is asked for (ms). */
const REQUEST_DEBOUNCE_MS = 120;

function sameRequest(a: TimelineRequest, b: TimelineRequest): boolean {
  return (
    a.fromNs === b.fromNs &&
    a.toNs === b.toNs &&
    a.bins === b.bins &&
    a.cpuFrom === b.cpuFrom &&
    a.cpuCount === b.cpuCount
  );
}

/**
 * The window to draw for `request`: the source's answer when it is for this very request (the
 * latest wins; older answers are dropped), else the sample columns' at frame resolution.
 */
export function useTimelineWindow(
  source: TimelineSource | null,
  column: ColumnId,
  runId: number,
  done: boolean,
  samples: SampleColumns | null,
  simulatedNs: number,
  request: TimelineRequest,
): TimelineWindow | null {
  const { fromNs, toNs, bins, cpuFrom, cpuCount } = request;
  const stable = useMemo(
    () => ({ fromNs, toNs, bins, cpuFrom, cpuCount }),
    [fromNs, toNs, bins, cpuFrom, cpuCount],
  );
  const [fine, setFine] = useState<{
    readonly request: TimelineRequest;
    readonly runId: number;
    readonly window: TimelineWindow;
  } | null>(null);
  // While the view moves, the last finer window keeps being drawn (each bin at its own time) as
  // long as it still covers most of the view at about the view's resolution: a pan does not fall
  // back to the coarse samples for the frames until the next answer.
  const reusable =
    fine !== null &&
    fine.runId === runId &&
    fine.request.cpuFrom === cpuFrom &&
    fine.request.cpuCount === cpuCount &&
    (sameRequest(fine.request, stable) || stillCovers(fine.window, stable))
      ? fine.window
      : null;
  const coarse = useMemo(
    () => (samples && reusable === null ? timelineFromSamples(samples, simulatedNs, stable) : null),
    [samples, simulatedNs, stable, reusable],
  );
  useEffect(() => {
    // A running column has no finished run to re-simulate: its samples are all there is.
    if (!source || !done) return;
    let live = true;
    const timer = setTimeout(() => {
      source(column, runId, stable).then(
        (window) => {
          if (live && window) setFine({ request: stable, runId, window });
        },
        () => {
          // The worker could not answer (a newer run replaced it): the coarse window stays.
        },
      );
    }, REQUEST_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [source, column, runId, done, stable]);
  return reusable ?? coarse;
}

/** A window answered for an earlier view still covers 80% of `request`, its bins at most 2× as wide. */
function stillCovers(window: TimelineWindow, request: TimelineRequest): boolean {
  const span = request.toNs - request.fromNs;
  if (!(span > 0)) return false;
  const overlap = Math.min(window.toNs, request.toNs) - Math.max(window.fromNs, request.fromNs);
  return overlap / span >= 0.8 && window.binNs <= (2 * span) / Math.max(1, request.bins);
}
