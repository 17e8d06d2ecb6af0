import { format } from 'd3-format';
import { useEffect, useId, useRef, useState } from 'react';
import { raceSpan } from '../../derive/comparison.ts';
import { effectiveCursor, spanNs } from '../../derive/frames.ts';
import { comparisonSentence } from '../../derive/narrative.ts';
import { formatNs } from '../../report/format.ts';
import { useShownRuns } from '../app/ShownRuns.tsx';
import type { ColumnRun } from '../../state/runStore.ts';
import type { ScenarioStore } from '../../state/scenarioStore.ts';
import type { ColumnId } from '../../worker/protocol.ts';
import { useRuns, useScenario, useServices } from '../app/services.tsx';
import { raceFiles } from '../shared/exportFiles.ts';
import { PanelExport } from '../shared/PanelExport.tsx';

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

const percent = format('.1%');

function ProgressRow({ column, run }: { readonly column: ColumnId; readonly run: ColumnRun }) {
  const fraction = run.progress?.fraction ?? 0;
  const simulated = run.progress ? ` · ${formatNs(run.progress.simulatedNs)} simulated` : '';
  // One decimal: a heavy run spends seconds below 1%, and a bar that never moves looks stuck.
  const text =
    run.status === 'running'
      ? `simulating, ${percent(fraction)}${simulated}`
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

function percentOf(ns: number, domainNs: number): string {
  return `${Math.min(100, (100 * ns) / Math.max(1, domainNs)).toFixed(3)}%`;
}

/**
 * Both runs' timed regions on one axis, from the same Comparison as the speedup and the header
 * (derive/comparison.ts): a solid bar is perf bench's "Total time"; the hatched stretch after it is
 * the run's untimed tail (the main thread's closes, threads exiting), clipped to the axis.
 */
function RaceBar({ cursor }: { readonly cursor: number | null }) {
  const shown = useShownRuns();
  const { timeline } = useServices();
  const { comparison } = shown;
  const sentence = comparisonSentence(shown.narrative);
  const timed = (column: ColumnId): number | null => {
    if (comparison.kind !== 'pending') return comparison.spans[column].timedNs;
    const result = shown[column].run.result;
    return result ? raceSpan(result).timedNs : null;
  };
  const domainNs = Math.max(1, timed('A') ?? 0, timed('B') ?? 0);
  const label =
    comparison.kind === 'openError'
      ? `Race bar: ${sentence}`
      : `Race bar, perf bench's timed regions: ${(['A', 'B'] as const)
          .map((c) => {
            const ns = timed(c);
            return `design ${c} (${shown[c].run.design}) ${ns === null ? 'running' : formatNs(ns)}`;
          })
          .join(', ')}. ${sentence}`;
  return (
    <figure className="race" aria-label="Race">
      <figcaption className={comparison.kind === 'openError' ? 'race-failed' : undefined}>
        {sentence}
      </figcaption>
      <div className="race-rows" role="img" aria-label={label}>
        {(['A', 'B'] as const).map((column) => {
          const { run, stale } = shown[column];
          const result = run.result;
          const span = result ? raceSpan(result) : null;
          return (
            <div key={column} className={`race-row${stale ? ' stale' : ''}`}>
              <span className="race-label">
                {column} <code>{run.design}</code>
              </span>
              <div className="race-track">
                {span && !span.failed && (
                  <>
                    <div
                      className={`race-bar race-${column}`}
                      style={{ width: percentOf(span.timedNs, domainNs) }}
                    />
                    {span.trailingNs > 0 && span.timedNs < domainNs && (
                      <div
                        className="race-trail"
                        style={{
                          left: percentOf(span.timedNs, domainNs),
                          width: percentOf(
                            Math.min(span.trailingNs, domainNs - span.timedNs),
                            domainNs,
                          ),
                        }}
                      />
                    )}
                    {cursor !== null && (
                      <div
                        className="race-cursor"
                        style={{ left: percentOf(cursor * span.timedNs, domainNs) }}
                      />
                    )}
                  </>
                )}
                {span?.failed && <span className="race-note">ENOSPC: nothing timed</span>}
              </div>
              <span className="race-value">
                {span === null
                  ? run.status === 'running'
                    ? 'running…'
                    : run.status
                  : span.failed
                    ? 'failed to open'
                    : formatNs(span.timedNs)}
                {span && !span.failed && span.trailingNs > 0 && (
                  <small> + {formatNs(span.trailingNs)} untimed</small>
                )}
                {stale && <small> (previous run; running…)</small>}
              </span>
            </div>
          );
        })}
      </div>
      <div className="race-foot">
        <p className="race-key">
          <span className="key-swatch race-A" aria-hidden="true" />
          <span className="key-swatch race-B" aria-hidden="true" /> perf bench&apos;s timed region
          (&ldquo;Total time&rdquo;) ·{' '}
          <span className="key-swatch race-trail-key" aria-hidden="true" /> untimed work after the
          last join (closing the breakpoints, threads exiting) · dashed line: the time cursor
        </p>
        <PanelExport
          column="both"
          panel="race"
          title="Race"
          when="perf bench's timed regions"
          images
          files={raceFiles(shown.A.run, shown.B.run, timeline)}
        />
      </div>
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
  // The cursor moves what the panels draw: the shown runs (a previous result while a new one runs).
  const shown = useShownRuns();
  const bothDone = shown.A.run.status === 'done' && shown.B.run.status === 'done';
  const scrub = effectiveCursor(cursor, bothDone) ?? 1;
  const timeText = (column: ColumnId): string => {
    const run = shown[column].run;
    return `${formatNs(scrub * spanNs(run))} of ${formatNs(spanNs(run))}`;
  };

  return (
    <section className="time-control" aria-label="Time control">
      <div className="progress">
        <div className="progress-rows">
          <ProgressRow column="A" run={A} />
          <ProgressRow column="B" run={B} />
        </div>
        {/* The button's place is kept when there is none, so starting a run moves nothing. */}
        <div className="progress-action">
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
            aria-valuetext={`A at ${timeText('A')}, B at ${timeText('B')}`}
            onChange={(e) => {
              setPlaying(false);
              const value = Number(e.target.value) / 1000;
              scenarioStore.getState().updateView({ cursor: value });
            }}
          />
        </label>
        <span className="cursor-readout">
          A {timeText('A')} · B {timeText('B')}
        </span>
      </div>
      <RaceBar cursor={effectiveCursor(cursor, bothDone)} />
    </section>
  );
}
