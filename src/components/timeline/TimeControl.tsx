import { scaleLinear } from 'd3-scale';
import { useEffect, useId, useRef, useState } from 'react';
import { effectiveCursor, spanNs } from '../../derive/frames.ts';
import { formatNs } from '../../report/format.ts';
import type { ColumnRun } from '../../state/runStore.ts';
import type { ScenarioStore } from '../../state/scenarioStore.ts';
import type { ColumnId } from '../../worker/protocol.ts';
import { useRuns, useScenario, useServices } from '../app/services.tsx';

const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
/** Seconds a full run takes to play at 1x, whatever its simulated length. */
const PLAY_SECONDS = 10;

function usePlayback(
  scenarioStore: ScenarioStore,
  playing: boolean,
  speed: number,
  onEnd: () => void,
): void {
  const onEndRef = useRef(onEnd);
  useEffect(() => {
    onEndRef.current = onEnd;
  }, [onEnd]);
  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let frame = requestAnimationFrame(function step(now) {
      const store = scenarioStore.getState();
      const next = (store.view.cursor ?? 0) + ((now - last) / 1000 / PLAY_SECONDS) * speed;
      last = now;
      if (next >= 1) {
        store.updateView({ cursor: 1 });
        onEndRef.current();
        return;
      }
      store.updateView({ cursor: next }, { writeUrl: false });
      frame = requestAnimationFrame(step);
    });
    return () => cancelAnimationFrame(frame);
  }, [scenarioStore, playing, speed]);
}

function ProgressRow({ column, run }: { readonly column: ColumnId; readonly run: ColumnRun }) {
  const fraction = run.progress?.fraction ?? 0;
  const text =
    run.status === 'running'
      ? `simulating, ${Math.round(fraction * 100)}%`
      : run.status === 'done'
        ? `done in ${Math.round(run.doneAfterMs ?? 0)} ms`
        : run.status;
  return (
    <div className="progress-row">
      <span>
        {column}: {run.design}
      </span>
      <progress
        max={1}
        value={fraction}
        aria-label={`Simulation progress of design ${column} (${run.design})`}
      />
      <span className="progress-text">{text}</span>
    </div>
  );
}

/** Both runs on one absolute time axis: the gap between the designs at a glance. */
function RaceBar({ a, b, cursor }: { a: ColumnRun; b: ColumnRun; cursor: number | null }) {
  const width = 600;
  const labelPx = 80;
  const spanA = spanNs(a);
  const spanB = spanNs(b);
  const x = scaleLinear()
    .domain([0, Math.max(spanA, spanB, 1)])
    .range([0, width]);
  const rows: ReadonlyArray<readonly [ColumnId, ColumnRun, number]> = [
    ['A', a, spanA],
    ['B', b, spanB],
  ];
  return (
    <figure className="race">
      <figcaption>
        Race: both runs on one absolute time axis (A {formatNs(spanA)}, B {formatNs(spanB)}).
      </figcaption>
      <svg
        viewBox={`0 0 ${width + 40} 56`}
        role="img"
        aria-label={`Race bar: design A (${a.design}) ${formatNs(spanA)}, design B (${b.design}) ${formatNs(spanB)}`}
      >
        {rows.map(([column, run, span], row) => {
          const y = 4 + row * 24;
          const w = Math.max(2, x(span));
          return (
            <g key={column}>
              <text x={0} y={y + 14} className="race-label">
                {column} {formatNs(span)}
              </text>
              <rect x={labelPx} y={y} width={width} height={18} className="race-track" />
              <rect x={labelPx} y={y} width={w} height={18} className={`race-bar race-${column}`} />
              {cursor !== null && (
                <line
                  x1={labelPx + x(cursor * span)}
                  x2={labelPx + x(cursor * span)}
                  y1={y - 2}
                  y2={y + 20}
                  className="cursor-line"
                />
              )}
              {run.status === 'running' && (
                <text x={labelPx + 4 + w} y={y + 13} className="race-note">
                  running…
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** Play/pause, speed, the time scrubber, progress and cancel, and the race bar. */
export function TimeControl() {
  const services = useServices();
  const { scenarioStore } = services;
  const { A, B } = useRuns((s) => s.columns);
  const cursor = useScenario((s) => s.view.cursor);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const speedId = useId();
  usePlayback(scenarioStore, playing, speed, () => setPlaying(false));
  const running = A.status === 'running' || B.status === 'running';
  const cancelled = A.status === 'cancelled' || B.status === 'cancelled';
  const bothDone = A.status === 'done' && B.status === 'done';
  const scrub = effectiveCursor(cursor, bothDone) ?? 1;
  const timeText = (run: ColumnRun): string =>
    `${formatNs(scrub * spanNs(run))} of ${formatNs(spanNs(run))}`;

  return (
    <section className="time-control" aria-label="Time control">
      <div className="progress">
        <ProgressRow column="A" run={A} />
        <ProgressRow column="B" run={B} />
        {running && (
          <button type="button" onClick={() => services.cancelRuns()}>
            Cancel simulation
          </button>
        )}
        {cancelled && !running && (
          <button type="button" onClick={() => services.rerun()}>
            Run again
          </button>
        )}
      </div>
      <div className="transport">
        <button
          type="button"
          aria-pressed={playing}
          onClick={() => {
            if (!playing && (cursor === null || cursor >= 1 - 1e-3)) {
              scenarioStore.getState().updateView({ cursor: 0 }, { writeUrl: false });
            }
            if (playing) {
              // Playing kept the cursor out of the URL; pausing records where it stopped.
              const store = scenarioStore.getState();
              store.updateView({ cursor: store.view.cursor });
            }
            setPlaying(!playing);
          }}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <label htmlFor={speedId}>Speed</label>
        <select id={speedId} value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
        <label className="scrubber">
          Time cursor
          <input
            type="range"
            min={0}
            max={1000}
            value={Math.round(scrub * 1000)}
            aria-valuetext={`A at ${timeText(A)}, B at ${timeText(B)}`}
            onChange={(e) => {
              setPlaying(false);
              const value = Number(e.target.value) / 1000;
              scenarioStore.getState().updateView({ cursor: value });
            }}
          />
        </label>
        <span className="cursor-readout">
          A {timeText(A)} · B {timeText(B)}
        </span>
      </div>
      <RaceBar a={A} b={B} cursor={effectiveCursor(cursor, bothDone)} />
    </section>
  );
}
