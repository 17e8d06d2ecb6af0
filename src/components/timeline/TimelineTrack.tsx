import { useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import { formatNs } from '../../report/format.ts';
import {
  busyCpusMax,
  drawTimeline,
  shownLockTracks,
  timelineHit,
  type TimelineColors,
  type TimelineHit,
  type TimelineLayout,
  type TimelineScene,
} from '../../render/timeline.ts';
import { STATE_STYLES } from '../../render/palette.ts';
import { CPU_STATE_COUNT, CPU_STATES } from '../../sim/types.ts';
import {
  NO_STATE,
  TIMELINE_MAX_BINS,
  type TimelineLockTrack,
  type TimelineWindow,
} from '../../sim/timelineTypes.ts';
import type { ColumnRun } from '../../state/runStore.ts';
import type { ColumnId } from '../../worker/protocol.ts';
import { useTimelineWindow, type TimelineSource } from './timelineSource.ts';

/** What the panel does with a gesture on a track; fractions are across the visible window. */
export interface TrackGestures {
  zoom(factor: number, at: number): void;
  pan(byWidths: number): void;
  brush(from: number, to: number): void;
  /** A click at a fraction across the window; `ns`: that time in this column's run. */
  click(column: ColumnId, ns: number): void;
  /** The pointer's fraction across the window (keyboard zoom centres on it), or null. */
  pointer(at: number | null): void;
  /** The end of a gesture: the URL may record the window now. */
  settle(): void;
}

interface Props {
  readonly column: ColumnId;
  readonly run: ColumnRun;
  readonly stale: boolean;
  readonly layout: TimelineLayout;
  readonly fromNs: number;
  readonly toNs: number;
  readonly dataEndNs: number;
  readonly cursorNs: number | null;
  readonly colors: TimelineColors;
  readonly source: TimelineSource | null;
  readonly gestures: TrackGestures;
  /** Reports the window drawn (the panel's resolution indicator reads it). */
  readonly onWindow: (column: ColumnId, window: TimelineWindow | null) => void;
}

/** Pixels a pointer must travel before a press becomes a drag rather than a click. */
const DRAG_PX = 4;

interface Drag {
  readonly startX: number;
  readonly lastX: number;
  readonly brush: boolean;
  readonly moved: boolean;
}

/** The exact span of `cpu` at `atNs` (the last one starting at or before it), or null. */
function spanAt(
  win: TimelineWindow,
  cpu: number,
  atNs: number,
): { state: number; thread: number; startNs: number; endNs: number } | null {
  const spans = win.spans;
  if (spans === null) return null;
  for (let i = 0; i < spans.count; i++) {
    if (spans.cpu[i] !== cpu) continue;
    const startNs = spans.startNs[i] as number;
    const endNs = spans.endNs[i] as number;
    if (startNs <= atNs && atNs < endNs) {
      return { state: spans.state[i] as number, thread: spans.thread[i] as number, startNs, endNs };
    }
  }
  return null;
}

/** An exact window's waiters on `track` at `atNs` (its step changes), or null without them. */
function waitersAt(
  track: TimelineLockTrack,
  atNs: number,
): { spinning: number; sleeping: number } | null {
  const changes = track.waiterChanges;
  if (changes === undefined || changes.count === 0 || (changes.atNs[0] as number) > atNs)
    return null;
  let i = 0;
  while (i + 1 < changes.count && (changes.atNs[i + 1] as number) <= atNs) i++;
  return { spinning: changes.spinning[i] as number, sleeping: changes.sleeping[i] as number };
}

function describeHit(
  hit: Exclude<TimelineHit, null>,
  win: TimelineWindow,
  cpus: number,
): { readonly title: string; readonly lines: readonly string[] } {
  const atNs = win.fromNs + (hit.bin + 0.5) * win.binNs;
  const when = `${formatNs(atNs)} (bin of ${formatNs(win.binNs)}${
    win.exact ? '' : `, samples every ${formatNs(win.sourceNs)}`
  })`;
  if (hit.kind === 'cpu') {
    const span = win.exact ? spanAt(win, hit.cpu, atNs) : null;
    if (span !== null) {
      const style = STATE_STYLES[CPU_STATES[span.state] as keyof typeof STATE_STYLES];
      return {
        title: `CPU ${hit.cpu}`,
        lines: [
          `${style.glyph} ${style.label}${span.thread >= 0 ? `, thread ${span.thread}` : ''}`,
          `${formatNs(span.startNs)} to ${formatNs(span.endNs)} (${formatNs(span.endNs - span.startNs)})`,
          when,
        ],
      };
    }
    const track = hit.cpu - win.cpuFrom;
    const s =
      track >= 0 && track < win.cpuCount ? win.cpuState[track * win.bins + hit.bin] : NO_STATE;
    const name = s !== undefined && s < CPU_STATE_COUNT ? CPU_STATES[s] : undefined;
    const share = track >= 0 ? (win.cpuShare[track * win.bins + hit.bin] ?? 0) : 0;
    return {
      title: `CPU ${hit.cpu}`,
      lines: [
        name
          ? `${STATE_STYLES[name].glyph} ${STATE_STYLES[name].label} (${Math.round((share / 255) * 100)}% of the bin)`
          : 'no data (past the run)',
        when,
      ],
    };
  }
  if (hit.kind === 'density') {
    const counts = CPU_STATES.map((state, s) => ({
      state,
      n: win.stateCpus[hit.bin * CPU_STATE_COUNT + s] ?? 0,
    }))
      .filter((c) => c.n >= 0.05)
      .sort((a, b) => b.n - a.n)
      .slice(0, 4);
    return {
      title: `${cpus} CPUs`,
      lines: [
        ...counts.map(
          (c) =>
            `${STATE_STYLES[c.state].glyph} ${STATE_STYLES[c.state].label}: ${c.n.toFixed(1)} CPUs`,
        ),
        when,
      ],
    };
  }
  const track = shownLockTracks(win)[hit.track];
  if (!track) return { title: 'lock', lines: [when] };
  const name = track.instance ? `${track.lock} ${track.instance}` : track.lock;
  const spin = track.spinning[hit.bin] ?? 0;
  const sleep = track.sleeping[hit.bin] ?? 0;
  const now = waitersAt(track, atNs);
  const held = win.exact ? undefined : track.held?.[hit.bin];
  let owner = win.exact
    ? 'no owner'
    : held !== undefined
      ? `held ${Math.round(Math.min(1, held) * 100)}% of the bin (zoom in for its owners)`
      : 'owner: zoom in for exact events';
  for (let i = 0; i < track.slices.count; i++) {
    if ((track.slices.startNs[i] ?? 0) <= atNs && atNs < (track.slices.endNs[i] ?? 0)) {
      owner = `owner: thread ${track.slices.thread[i]} on CPU ${track.slices.cpu[i]}`;
      break;
    }
  }
  return {
    title: name,
    lines: [
      owner,
      now !== null
        ? `waiters: ${now.spinning} spinning + ${now.sleeping} asleep (at this instant)`
        : `waiters: ${spin.toFixed(1)} spinning + ${sleep.toFixed(1)} asleep (threads, averaged over the bin)`,
      when,
    ],
  };
}

/** Whether two scenes draw the same picture (the canvas keeps what was drawn for `a`). */
function sameScene(a: TimelineScene, b: TimelineScene): boolean {
  return (
    a.layout === b.layout &&
    a.window === b.window &&
    a.cpus === b.cpus &&
    a.dataEndNs === b.dataEndNs &&
    a.dataEndLabel === b.dataEndLabel &&
    a.fromNs === b.fromNs &&
    a.toNs === b.toNs &&
    a.densityMax === b.densityMax &&
    a.waitersMax === b.waitersMax &&
    a.cursorNs === b.cursorNs &&
    a.brush?.[0] === b.brush?.[0] &&
    a.brush?.[1] === b.brush?.[1] &&
    a.colors === b.colors &&
    a.title === b.title
  );
}

/** One column's tracks on a canvas: draws, and turns pointer gestures into the panel's. */
export function TimelineTrack(props: Props) {
  const { column, run, stale, layout, fromNs, toNs, dataEndNs, cursorNs, colors, source } = props;
  const { gestures, onWindow } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const bins = Math.max(1, Math.min(TIMELINE_MAX_BINS, Math.round(layout.plotWidthPx)));
  const rows = layout.rows;
  const request = useMemo(
    () => ({
      fromNs,
      toNs,
      bins,
      cpuFrom: rows?.cpuFrom ?? 0,
      cpuCount: rows?.cpuCount ?? 0,
    }),
    [fromNs, toNs, bins, rows?.cpuFrom, rows?.cpuCount],
  );
  const win = useTimelineWindow(
    source,
    column,
    run.runId,
    run.status === 'done',
    run.samples,
    run.progress?.simulatedNs ?? 0,
    request,
  );
  useEffect(() => onWindow(column, win), [onWindow, column, win]);

  const [drag, setDrag] = useState<Drag | null>(null);
  const [hover, setHover] = useState<{ x: number; y: number } | null>(null);

  const waitersMax = useMemo(() => {
    let most = 0;
    for (const track of shownLockTracks(win)) {
      for (let b = 0; b < track.spinning.length; b++) {
        most = Math.max(most, (track.spinning[b] ?? 0) + (track.sleeping[b] ?? 0));
      }
    }
    return most;
  }, [win]);
  const hasDensity = layout.density !== null;
  const densityMax = useMemo(
    () => Math.max(1, busyCpusMax(hasDensity ? win : null)),
    [hasDensity, win],
  );
  const spanNs = Math.max(1e-9, toNs - fromNs);
  const nsAt = (xPx: number): number =>
    fromNs + ((xPx - layout.plotX) / layout.plotWidthPx) * spanNs;
  const brushNs =
    drag?.brush && drag.moved ? ([nsAt(drag.startX), nsAt(drag.lastX)] as const) : null;

  const scene: TimelineScene = {
    layout,
    window: win,
    cpus: run.scenario.cpus,
    densityMax,
    dataEndNs,
    dataEndLabel:
      run.status === 'done'
        ? run.result && run.result.totalTimeNs > 0
          ? 'end of perf bench’s Total time,'
          : 'run ends'
        : 'simulated so far',
    fromNs,
    toNs,
    waitersMax,
    cursorNs,
    brush: brushNs,
    colors,
    title: `${column}: ${run.design}`,
  };
  const sceneRef = useRef(scene);
  const drawnRef = useRef<TimelineScene | null>(null);
  const frameRef = useRef<number | null>(null);
  useEffect(() => {
    sceneRef.current = scene;
    if (frameRef.current !== null) return;
    frameRef.current = requestAnimationFrame(() => {
      frameRef.current = null;
      const ctx = canvasRef.current?.getContext('2d');
      if (!ctx) return;
      // A render that changed nothing drawn (a hover, the other track's new window): no redraw.
      const next = sceneRef.current;
      if (drawnRef.current && sameScene(drawnRef.current, next)) return;
      drawnRef.current = next;
      const start = performance.now();
      drawTimeline(ctx, next);
      if (document.documentElement.dataset.bench === 'frames') {
        performance.measure(`slotscope:timeline-draw:${column}`, { start });
      }
    });
  });
  useEffect(
    () => () => {
      if (frameRef.current !== null) cancelAnimationFrame(frameRef.current);
    },
    [],
  );

  // Wheel: a native listener, because React's is passive and could not keep the page still.
  const gesturesRef = useRef(gestures);
  useLayoutEffect(() => {
    gesturesRef.current = gestures;
  });
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (event: WheelEvent): void => {
      const focused = document.activeElement === canvas;
      const horizontal = Math.abs(event.deltaX) > Math.abs(event.deltaY);
      // Plain vertical wheel scrolls the page until the track is focused (clicked or tabbed to).
      if (!focused && !event.ctrlKey && !event.metaKey && !event.shiftKey && !horizontal) return;
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const plotLeft = layout.plotX / layout.dpr;
      const at = Math.min(
        1,
        Math.max(0, (event.clientX - rect.left - plotLeft) / (layout.plotWidthPx / layout.dpr)),
      );
      const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
      if (horizontal || event.shiftKey) {
        const delta = (horizontal ? event.deltaX : event.deltaY) * unit;
        gesturesRef.current.pan(delta / (layout.plotWidthPx / layout.dpr));
      } else {
        gesturesRef.current.zoom(Math.exp((-event.deltaY * unit) / 300), at);
      }
      gesturesRef.current.settle();
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [layout]);

  const devX = (event: PointerEvent<HTMLCanvasElement>): [number, number] => {
    const rect = event.currentTarget.getBoundingClientRect();
    return [(event.clientX - rect.left) * layout.dpr, (event.clientY - rect.top) * layout.dpr];
  };
  const fractionAt = (xPx: number): number =>
    Math.min(1, Math.max(0, (xPx - layout.plotX) / layout.plotWidthPx));

  // The bin under the pointer by time: a window answered for an earlier view may be drawn a little
  // shifted (see useTimelineWindow), so the plot's x is not always its bin.
  const rawHit = hover && win ? timelineHit(layout, win.bins, hover.x, hover.y) : null;
  const hitBin = rawHit && win && hover ? Math.floor((nsAt(hover.x) - win.fromNs) / win.binNs) : -1;
  const hit = rawHit && win && hitBin >= 0 && hitBin < win.bins ? { ...rawHit, bin: hitBin } : null;
  const details = hit && win ? describeHit(hit, win, run.scenario.cpus) : null;

  const label =
    `Timeline of design ${column} (${run.design}), ${formatNs(fromNs)} to ${formatNs(toNs)}` +
    `${stale ? ', previous run' : ''}: ${
      layout.density
        ? `the CPUs not idle of ${run.scenario.cpus}, stacked by state`
        : 'one row per CPU'
    }${layout.rows && layout.density ? `, and CPUs ${layout.rows.cpuFrom}–${layout.rows.cpuFrom + layout.rows.cpuCount - 1} one row each` : ''}, then waiters on the accounting locks.`;

  return (
    <div className={`timeline-track${stale ? ' stale' : ''}`}>
      <canvas
        ref={canvasRef}
        width={layout.widthPx}
        height={layout.heightPx}
        style={{ width: layout.widthPx / layout.dpr, height: layout.heightPx / layout.dpr }}
        role="img"
        aria-label={label}
        tabIndex={0}
        onPointerDown={(event) => {
          if (event.button !== 0) return;
          event.currentTarget.setPointerCapture(event.pointerId);
          const [x] = devX(event);
          setDrag({ startX: x, lastX: x, brush: event.shiftKey, moved: false });
        }}
        onPointerMove={(event) => {
          const [x, y] = devX(event);
          setHover({ x, y });
          gestures.pointer(fractionAt(x));
          if (!drag) return;
          const moved = drag.moved || Math.abs(x - drag.startX) >= DRAG_PX * layout.dpr;
          if (moved && !drag.brush) gestures.pan(-(x - drag.lastX) / layout.plotWidthPx);
          setDrag({ ...drag, lastX: x, moved });
        }}
        onPointerUp={(event) => {
          const [x] = devX(event);
          if (drag && !drag.moved) {
            if (x >= layout.plotX) gestures.click(column, nsAt(x));
          } else if (drag?.brush) {
            gestures.brush(fractionAt(drag.startX), fractionAt(x));
          }
          setDrag(null);
          gestures.settle();
        }}
        onPointerCancel={() => setDrag(null)}
        onPointerLeave={() => {
          setHover(null);
          gestures.pointer(null);
        }}
        onBlur={() => setHover(null)}
      />
      {details && hover && (
        <div
          className="tooltip timeline-tooltip"
          role="tooltip"
          style={{
            left: Math.min(hover.x / layout.dpr + 12, layout.widthPx / layout.dpr - 260),
            top: hover.y / layout.dpr + 12,
          }}
        >
          <strong>{details.title}</strong>
          {details.lines.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      )}
    </div>
  );
}
