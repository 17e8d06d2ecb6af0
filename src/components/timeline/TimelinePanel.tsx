import { scaleLog } from 'd3-scale';
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import { effectiveCursor, spanNs } from '../../derive/frames.ts';
import {
  axisDomainNs,
  FULL_WINDOW,
  minWindowFraction,
  panWindow,
  windowBetween,
  zoomWindow,
  type TimeWindow,
} from '../../derive/timelineWindow.ts';
import { formatDecade, formatNs } from '../../report/format.ts';
import { STATE_STYLES, cssColor } from '../../render/palette.ts';
import {
  CPU_BLOCK,
  DENSITY_FROM_CPUS,
  shownLockTracks,
  timelineColors,
  timelineLayout,
} from '../../render/timeline.ts';
import { TIME_AXIS_MODES, type TimeAxisMode } from '../../scenario/url.ts';
import { CPU_STATE_TABLE } from '../../sim/types.ts';
import type { TimelineWindow } from '../../sim/timelineTypes.ts';
import type { ColumnId } from '../../worker/protocol.ts';
import { useShownRuns } from '../app/ShownRuns.tsx';
import { useScenarioShallow, useServices } from '../app/services.tsx';
import { useDevicePixelRatio, useElementWidth } from '../shared/useElementSize.ts';
import { useTheme } from '../shared/useTheme.ts';
import { timelineFiles } from '../shared/exportFiles.ts';
import { PanelExport } from '../shared/PanelExport.tsx';
import type { TimelineSource } from './timelineSource.ts';
import { TimelineTrack, type TrackGestures } from './TimelineTrack.tsx';

const COLUMNS = ['A', 'B'] as const;
/** The machine's single-CPU rows open when the window is this share of the run or less. */
const OPEN_ROWS_AT = 0.25;
/** Held W/S: the window halves (or doubles) every this many ms; A/D: a window width per PAN_MS. */
const ZOOM_HALVING_MS = 220;
const PAN_MS = 700;
/** The URL records the window once the view has rested this long (history has a rate limit). */
const URL_SETTLE_MS = 400;

/**
 * The axis choices' labels. On one axis the shorter run is a sliver of the longer: which one that
 * is comes from the runs shown, so the label never names the wrong column.
 */
export function axisLabel(mode: TimeAxisMode, spans: Readonly<Record<ColumnId, number>>): string {
  if (mode === 'own') return 'each run fills the width';
  if (!(spans.A > 0 && spans.B > 0) || spans.A === spans.B) return 'one time axis';
  const [short, long] = spans.A < spans.B ? ['A', 'B'] : ['B', 'A'];
  return `one time axis (${short} is a sliver of ${long})`;
}

/**
 * Held-key zoom and pan, as in Perfetto: W/S zoom, A/D pan, smoothly while the key is down (one
 * step per animation frame, scaled by the frame's time), so the view moves at a steady speed.
 */
function useHeldKeys(apply: (zoom: number, pan: number) => void, settle: () => void) {
  const held = useRef(new Set<string>());
  const frame = useRef<number | null>(null);
  const applyRef = useRef(apply);
  const settleRef = useRef(settle);
  useLayoutEffect(() => {
    applyRef.current = apply;
    settleRef.current = settle;
  });
  const loop = useCallback(() => {
    let last = performance.now();
    const step = (now: number): void => {
      const dt = Math.min(100, now - last);
      last = now;
      const keys = held.current;
      if (keys.size === 0) {
        frame.current = null;
        settleRef.current();
        return;
      }
      const zoomDir = (keys.has('w') ? 1 : 0) - (keys.has('s') ? 1 : 0);
      const panDir = (keys.has('d') ? 1 : 0) - (keys.has('a') ? 1 : 0);
      applyRef.current(2 ** ((zoomDir * dt) / ZOOM_HALVING_MS), (panDir * dt) / PAN_MS);
      frame.current = requestAnimationFrame(step);
    };
    frame.current = requestAnimationFrame(step);
  }, []);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );
  return {
    onKeyDown: (event: KeyboardEvent): void => {
      const key = event.key.toLowerCase();
      if (!['w', 'a', 's', 'd'].includes(key) || event.ctrlKey || event.metaKey || event.altKey)
        return;
      event.preventDefault();
      held.current.add(key);
      if (frame.current === null) loop();
    },
    onKeyUp: (event: KeyboardEvent): void => {
      held.current.delete(event.key.toLowerCase());
    },
    onBlur: (): void => {
      held.current.clear();
    },
  };
}

interface OverviewProps {
  readonly spans: Readonly<Record<ColumnId, number>>;
  readonly designs: Readonly<Record<ColumnId, string>>;
  readonly windowNs: Readonly<Record<ColumnId, readonly [number, number]>>;
  readonly widthCss: number;
  /** A brush on a row: ns of that row's run. */
  readonly onBrush: (column: ColumnId, fromNs: number, toNs: number) => void;
}

/**
 * Both runs on a log time axis, so a run a thousand times shorter still has a bar: each bar is a
 * run from its start to its end; the outlined box is the visible window. Drag to select a window.
 */
function Overview({ spans, designs, windowNs, widthCss, onBrush }: OverviewProps) {
  const rowH = 16;
  const left = 116;
  const right = 8;
  const w = Math.max(120, widthCss - left - right);
  const positive = COLUMNS.map((c) => spans[c]).filter((s) => s > 0);
  const longest = Math.max(1, ...positive);
  const shortest = Math.min(longest, ...positive);
  // Three decades below the shorter run: its bar is then three decades long, whatever the ratio.
  const lo = Math.max(1, shortest / 1000);
  const x = scaleLog().domain([lo, longest]).range([0, w]).clamp(true);
  const ticks = x
    .ticks(6)
    .filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  // As many decade labels as fit about 52 px each ("100 ms"): every other one, or fewer, when
  // narrow (at 390 px seven labels ran into each other).
  const labelStep = Math.max(1, Math.ceil(ticks.length / Math.max(2, Math.floor(w / 52))));
  const shownTicks = ticks.filter((_, i) => i % labelStep === 0);
  const [brush, setBrush] = useState<{ column: ColumnId; a: number; b: number } | null>(null);
  const h = rowH * 2 + 8 + 18;
  const rowOf = (yCss: number): ColumnId => (yCss < rowH + 4 ? 'A' : 'B');
  const toLocal = (event: PointerEvent<SVGSVGElement>): [number, number] => {
    const rect = event.currentTarget.getBoundingClientRect();
    return [event.clientX - rect.left - left, event.clientY - rect.top];
  };
  const ratio = spans.A > 0 && spans.B > 0 ? spans.A / spans.B : null;
  return (
    <svg
      className="timeline-overview"
      width={widthCss}
      height={h}
      role="img"
      aria-label={`Overview on a log time axis: A (${designs.A}) runs ${formatNs(spans.A)}, B (${designs.B}) runs ${formatNs(spans.B)}${ratio ? `; A takes ${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}× as long as B` : ''}. Drag across a bar to select a window.`}
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        const [px, py] = toLocal(event);
        setBrush({ column: rowOf(py), a: px, b: px });
      }}
      onPointerMove={(event) => {
        if (!brush) return;
        setBrush({ ...brush, b: toLocal(event)[0] });
      }}
      onPointerUp={() => {
        if (brush) {
          const a = x.invert(Math.max(0, Math.min(w, Math.min(brush.a, brush.b))));
          const b = x.invert(Math.max(0, Math.min(w, Math.max(brush.a, brush.b))));
          // A click (no width) on a bar shows that whole run.
          if (Math.abs(brush.b - brush.a) < 3) onBrush(brush.column, 0, spans[brush.column]);
          else onBrush(brush.column, a <= lo * 1.0001 ? 0 : a, Math.min(b, spans[brush.column]));
        }
        setBrush(null);
      }}
    >
      <g transform={`translate(${left},4)`}>
        {COLUMNS.map((column, i) => {
          const y = i * (rowH + 4);
          const span = spans[column];
          const [wf, wt] = windowNs[column];
          const wx0 = wf <= lo ? 0 : x(wf);
          const wx1 = x(Math.max(lo, wt));
          return (
            <g key={column} transform={`translate(0,${y})`}>
              <text x={-left + 4} y={rowH - 4} className="overview-label">
                {column}: {designs[column]}
              </text>
              {span > 0 && (
                <rect className={`race-${column}`} x={0} y={2} width={x(span)} height={rowH - 4} />
              )}
              {span > 0 && (
                <text x={Math.min(x(span) + 4, w - 60)} y={rowH - 4} className="overview-value">
                  {formatNs(span)}
                </text>
              )}
              <rect
                className="overview-window"
                x={wx0}
                y={0}
                width={Math.max(2, wx1 - wx0)}
                height={rowH}
              />
            </g>
          );
        })}
        {brush && (
          <rect
            className="overview-brush"
            x={Math.min(brush.a, brush.b)}
            y={brush.column === 'A' ? 0 : rowH + 4}
            width={Math.abs(brush.b - brush.a)}
            height={rowH}
          />
        )}
        <g transform={`translate(0,${2 * rowH + 8})`} className="overview-axis">
          <line x1={0} x2={w} y1={0} y2={0} />
          {shownTicks.map((t) => (
            <g key={t} transform={`translate(${x(t)},0)`}>
              <line y1={0} y2={4} />
              <text y={14} textAnchor="middle">
                {formatDecade(t)}
              </text>
            </g>
          ))}
          <text x={-left + 4} y={14} className="overview-label">
            log time
          </text>
        </g>
      </g>
    </svg>
  );
}

/** A window as words: its ends, or (when three digits cannot tell them apart) start and width. */
function rangeOf(fromNs: number, toNs: number): string {
  return fromNs > 0 && (toNs - fromNs) / toNs < 0.05
    ? `${formatNs(toNs - fromNs)} from ${formatNs(fromNs)}`
    : `${formatNs(fromNs)} – ${formatNs(toNs)}`;
}

/** How a column's drawn window was made, for the resolution indicator. */
function resolutionText(window: TimelineWindow | null): string {
  if (!window) return 'no samples yet';
  const perPixel = `${formatNs(window.binNs)} per pixel`;
  if (window.exact) {
    return `exact events, ${perPixel}${window.truncated > 0 ? ` (${window.truncated} events dropped)` : ''}`;
  }
  // The samples' own frames until the worker's finer summary arrives.
  const from = window.fromSamples ? 'samples' : 'summary';
  const source = `${from} at ${formatNs(window.sourceNs)}`;
  return window.binNs > window.sourceNs
    ? `${source}, ${perPixel}`
    : `${source} (zoomed past the ${from})`;
}

/**
 * The timeline: both runs' CPUs and locks over time, one above the other, on one absolute time
 * axis (B a sliver of A) or each on its own. The window, the axis mode and the cursor live in the
 * scenario store (and the URL); the lock panels read the window too (linked views).
 */
export function TimelinePanel({ source }: { readonly source?: TimelineSource | null }) {
  const shown = useShownRuns();
  const services = useServices();
  const { scenarioStore } = services;
  // The worker's windows unless a caller gives another source (null: the samples alone).
  const workerSource = useCallback<TimelineSource>(
    (column, runId, request) => services.timeline(column, runId, request),
    [services],
  );
  const windowSource = source === undefined ? workerSource : source;
  const view = useScenarioShallow((s) => ({
    cursor: s.view.cursor,
    timeAxis: s.view.timeAxis,
    window: s.view.window,
  }));
  const theme = useTheme();
  const dpr = useDevicePixelRatio();
  const wrapRef = useRef<HTMLDivElement>(null);
  const widthCss = useElementWidth(wrapRef, 800);
  const colors = useMemo(() => timelineColors(theme), [theme]);
  const axisId = useId();
  const hintId = useId();
  const [blockFrom, setBlockFrom] = useState(0);
  const [drawn, setDrawn] = useState<Record<ColumnId, TimelineWindow | null>>({
    A: null,
    B: null,
  });
  const onWindow = useCallback((column: ColumnId, window: TimelineWindow | null) => {
    setDrawn((prev) => (prev[column] === window ? prev : { ...prev, [column]: window }));
  }, []);

  const mode = view.timeAxis;
  const window: TimeWindow = view.window ?? FULL_WINDOW;
  const spans = { A: spanNs(shown.A.run), B: spanNs(shown.B.run) };
  const domain = {
    A: axisDomainNs(mode, spans.A, spans.B),
    B: axisDomainNs(mode, spans.B, spans.A),
  };
  const minWidth = minWindowFraction(Math.max(domain.A, domain.B));
  const windowNs = {
    A: [window[0] * domain.A, window[1] * domain.A] as const,
    B: [window[0] * domain.B, window[1] * domain.B] as const,
  };
  const zoomed = window[1] - window[0] <= OPEN_ROWS_AT;
  const maxCpus = Math.max(shown.A.run.scenario.cpus, shown.B.run.scenario.cpus);

  // The live window, read by gestures between renders (several can come in one frame).
  const windowRef = useRef(window);
  useLayoutEffect(() => {
    windowRef.current = window;
  });
  const pointerAt = useRef<number | null>(null);
  const settleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const setWindow = useCallback(
    (next: TimeWindow) => {
      windowRef.current = next;
      const whole = next[0] <= 0 && next[1] >= 1;
      scenarioStore.getState().updateView({ window: whole ? null : next }, { writeUrl: false });
    },
    [scenarioStore],
  );
  const settle = useCallback(() => {
    if (settleTimer.current !== null) clearTimeout(settleTimer.current);
    settleTimer.current = setTimeout(() => {
      settleTimer.current = null;
      scenarioStore.getState().updateView({});
    }, URL_SETTLE_MS);
  }, [scenarioStore]);
  useEffect(
    () => () => {
      if (settleTimer.current !== null) clearTimeout(settleTimer.current);
    },
    [],
  );

  const gestures: TrackGestures = useMemo(
    () => ({
      zoom: (factor, at) => setWindow(zoomWindow(windowRef.current, factor, at, minWidth)),
      pan: (by) => setWindow(panWindow(windowRef.current, by)),
      brush: (a, b) => {
        const [lo, hi] = windowRef.current;
        if (Math.abs(b - a) * (hi - lo) < minWidth) return;
        setWindow(windowBetween(lo + a * (hi - lo), lo + b * (hi - lo), minWidth));
      },
      click: (column, ns) => {
        const span = column === 'A' ? spans.A : spans.B;
        if (span <= 0) return;
        scenarioStore.getState().updateView({ cursor: Math.min(1, Math.max(0, ns / span)) });
      },
      pointer: (at) => {
        pointerAt.current = at;
      },
      settle,
    }),
    [setWindow, settle, minWidth, spans.A, spans.B, scenarioStore],
  );
  const keys = useHeldKeys((zoom, pan) => {
    let next = windowRef.current;
    if (zoom !== 1) next = zoomWindow(next, zoom, pointerAt.current ?? 0.5, minWidth);
    if (pan !== 0) next = panWindow(next, pan);
    setWindow(next);
  }, settle);

  const layouts = useMemo(() => {
    const out = {} as Record<ColumnId, ReturnType<typeof timelineLayout>>;
    for (const column of COLUMNS) {
      out[column] = timelineLayout(
        shown[column].run.scenario.cpus,
        Math.max(1, shownLockTracks(drawn[column]).length),
        widthCss,
        dpr,
        { showRows: zoomed, blockFrom },
      );
    }
    return out;
  }, [shown, drawn, widthCss, dpr, zoomed, blockFrom]);

  const rangeText = COLUMNS.map((c) => `${c} ${rangeOf(windowNs[c][0], windowNs[c][1])}`).join(
    ' · ',
  );
  const whole = window[0] <= 0 && window[1] >= 1;

  return (
    <section className="panel timeline" aria-label="Timeline">
      <div className="panel-head timeline-head">
        <h2>Timeline</h2>
        <fieldset className="timeline-axis">
          <legend id={axisId}>Time axis</legend>
          {TIME_AXIS_MODES.map((m) => (
            <label key={m} className="radio">
              <input
                type="radio"
                name={`timeline-axis-${axisId}`}
                value={m}
                checked={mode === m}
                onChange={() => scenarioStore.getState().updateView({ timeAxis: m, window: null })}
              />
              {axisLabel(m, spans)}
            </label>
          ))}
        </fieldset>
        <button
          type="button"
          disabled={whole}
          onClick={() => scenarioStore.getState().updateView({ window: null })}
        >
          Whole run
        </button>
        <div className="panel-actions">
          <PanelExport
            column="both"
            panel="timeline"
            title="Timeline"
            when={rangeText}
            images
            files={timelineFiles(
              shown.A.run,
              shown.B.run,
              services.timeline,
              whole ? null : windowNs,
            )}
          />
        </div>
      </div>
      <p className="caption" id={hintId}>
        Each row is one CPU, coloured by what it does; below, the threads waiting on the accounting
        locks. Ctrl+wheel or W/S zoom, drag or A/D pan (wheel alone zooms once a track has focus),
        Shift+drag selects a window, a click sets the time cursor.
      </p>
      <p className="timeline-range" data-window={`${window[0]}~${window[1]}`}>
        <span>Showing {rangeText}</span>
        <span className="timeline-resolution">
          {COLUMNS.map((c) => `${c}: ${resolutionText(drawn[c])}`).join(' · ')}
        </span>
      </p>
      <div className="timeline-body" ref={wrapRef}>
        <Overview
          spans={spans}
          designs={{ A: shown.A.run.design, B: shown.B.run.design }}
          windowNs={windowNs}
          widthCss={widthCss}
          onBrush={(column, fromNs, toNs) => {
            const d = domain[column];
            if (d <= 0) return;
            setWindow(windowBetween(fromNs / d, toNs / d, minWidth));
            settle();
          }}
        />
        {maxCpus > DENSITY_FROM_CPUS && (
          <div className="timeline-block">
            {zoomed ? (
              <>
                <span>
                  Single CPUs {blockFrom}–{Math.min(maxCpus, blockFrom + CPU_BLOCK) - 1} of{' '}
                  {maxCpus}
                </span>
                <button
                  type="button"
                  disabled={blockFrom <= 0}
                  onClick={() => setBlockFrom(Math.max(0, blockFrom - CPU_BLOCK))}
                >
                  Previous {CPU_BLOCK}
                </button>
                <button
                  type="button"
                  disabled={blockFrom + CPU_BLOCK >= maxCpus}
                  onClick={() => setBlockFrom(blockFrom + CPU_BLOCK)}
                >
                  Next {CPU_BLOCK}
                </button>
              </>
            ) : (
              <span>
                {maxCpus} CPUs are too many for a row each at this zoom: the strip stacks the ones
                not idle by state; zoom in to a quarter of the run to open {CPU_BLOCK} of them as
                rows.
              </span>
            )}
          </div>
        )}
        <div
          className="timeline-tracks"
          onKeyDown={keys.onKeyDown}
          onKeyUp={keys.onKeyUp}
          onBlur={keys.onBlur}
          aria-describedby={hintId}
        >
          {COLUMNS.map((column) => {
            const { run, stale } = shown[column];
            const cursor = effectiveCursor(view.cursor, run.status === 'done');
            return (
              <TimelineTrack
                key={column}
                column={column}
                run={run}
                stale={stale}
                layout={layouts[column]}
                fromNs={windowNs[column][0]}
                toNs={Math.max(windowNs[column][0] + 1, windowNs[column][1])}
                dataEndNs={spans[column]}
                cursorNs={cursor === null ? null : cursor * spans[column]}
                colors={colors}
                source={windowSource}
                gestures={gestures}
                onWindow={onWindow}
              />
            );
          })}
        </div>
      </div>
      <ul className="legend" aria-label="Timeline colours">
        {CPU_STATE_TABLE.map(({ name, description }, index) => (
          <li key={name} title={description}>
            <span
              className="swatch"
              style={{ background: cssColor(colors.states[index] ?? [0, 0, 0]) }}
              aria-hidden="true"
            >
              {STATE_STYLES[name].glyph}
            </span>
            {STATE_STYLES[name].label}
          </li>
        ))}
        <li>
          <span className="swatch" style={{ background: colors.owner[0] }} aria-hidden="true" />
          lock held (its owners, labelled, once zoomed in)
        </li>
        <li>
          <span className="swatch swatch-spin" aria-hidden="true" />
          waiters spinning
        </li>
        <li>
          <span className="swatch swatch-sleep" aria-hidden="true" />
          waiters asleep
        </li>
        <li>
          <span className="swatch timeline-swatch-end" aria-hidden="true" />
          after the run&apos;s timed region
        </li>
      </ul>
    </section>
  );
}
