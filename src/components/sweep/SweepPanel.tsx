/**
 * "Scaling sweep": choose a parameter, a range and designs, run every point on a pool of
 * workers, and read usecs/op and the accounting-lock wait against the parameter, with the
 * Universal Scalability Law fitted per design. The sweep lives in the URL (`sw=…`); a sweep link
 * reruns it on load. Nothing starts by itself otherwise: the page's default view runs no sweep.
 */
import { format } from 'd3-format';
import { memo, useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import { parseDesignSpec, specPreset, type DesignSpec } from '../../engine/spec.ts';
import { DESIGN_IDS } from '../../engine/types.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import {
  SWEEP_PARAMS,
  SWEEP_POINTS,
  defaultSweep,
  sweepParamsFor,
  sweepProblem,
  sweepValues,
  type SweepParam,
  type SweepSpec,
} from '../../scenario/sweep.ts';
import { formatNs } from '../../report/format.ts';
import { BAD_FIT_RMS } from '../../report/usl.ts';
import {
  formatParam,
  formatPeak,
  formatSigma,
  pointReferences,
  type SweepDesignFit,
} from '../../report/sweep.ts';
import type { Theme } from '../../render/palette.ts';
import type { SweepPointState, SweepRun } from '../../state/sweepController.ts';
import { useScenario, useServices } from '../app/services.tsx';
import { useTheme } from '../shared/useTheme.ts';
import { SweepPlot, designStyles, sameSweepResults } from './SweepPlot.tsx';
import { symbol, symbolCircle } from 'd3-shape';
import './sweep.css';

const usecsText = format(',.3f');
const percent = format('.1%');

/** A draft that applies to the scenario's workload: another parameter when it does not. */
function draftFor(spec: SweepSpec, scenario: Scenario): SweepSpec {
  const params = sweepParamsFor(scenario.workload);
  return params.includes(spec.param) ? spec : defaultSweep(params[0], spec.designs);
}

function SweepForm({
  draft,
  setDraft,
  problem,
  running,
  onRun,
  onCancel,
}: {
  readonly draft: SweepSpec;
  readonly setDraft: (spec: SweepSpec) => void;
  readonly problem: string | null;
  readonly running: boolean;
  readonly onRun: () => void;
  readonly onCancel: () => void;
}) {
  const workload = useScenario((s) => s.scenario.workload);
  const id = useId();
  const info = SWEEP_PARAMS[draft.param];
  const number = (key: 'from' | 'to' | 'points', label: string, min: number, max: number) => (
    <label className="sweep-field">
      {label}
      <input
        type="number"
        min={min}
        max={max}
        step={1}
        value={draft[key]}
        onChange={(e) => setDraft({ ...draft, [key]: Math.round(Number(e.target.value)) })}
      />
    </label>
  );
  const toggleDesign = (design: DesignSpec, on: boolean) =>
    setDraft({
      ...draft,
      designs: on
        ? [...draft.designs.filter((d) => d !== design), design]
        : draft.designs.filter((d) => d !== design),
    });
  const composed = draft.designs.filter((d) => !(DESIGN_IDS as readonly string[]).includes(d));
  return (
    <form
      className="sweep-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (problem === null) onRun();
      }}
    >
      <label className="sweep-field">
        Parameter
        <select
          value={draft.param}
          onChange={(e) => setDraft(defaultSweep(e.target.value as SweepParam, draft.designs))}
        >
          {sweepParamsFor(workload).map((p) => (
            <option key={p} value={p}>
              {SWEEP_PARAMS[p].label}
            </option>
          ))}
        </select>
      </label>
      {number('from', 'From', info.range.min, info.range.max)}
      {number('to', 'To', info.range.min, info.range.max)}
      {number('points', 'Points', SWEEP_POINTS.min, SWEEP_POINTS.max)}
      <label className="sweep-field">
        Spacing
        <select
          value={draft.spacing}
          onChange={(e) => setDraft({ ...draft, spacing: e.target.value as SweepSpec['spacing'] })}
        >
          <option value="log">log</option>
          <option value="linear">linear</option>
        </select>
      </label>
      <fieldset className="sweep-designs">
        <legend>Designs</legend>
        {DESIGN_IDS.map((d) => (
          <label key={d} className="checkbox">
            <input
              type="checkbox"
              checked={draft.designs.includes(d)}
              onChange={(e) => toggleDesign(d, e.target.checked)}
            />
            {d}
          </label>
        ))}
        {composed.map((d) => (
          <label key={d} className="checkbox">
            <input type="checkbox" checked onChange={() => toggleDesign(d, false)} />
            {d}
          </label>
        ))}
        <ComposedInput onAdd={(spec) => toggleDesign(spec, true)} />
      </fieldset>
      <div className="sweep-actions">
        <button type="submit" disabled={problem !== null}>
          Run sweep
        </button>
        <button type="button" onClick={onCancel} disabled={!running}>
          Cancel sweep
        </button>
        <span id={`${id}-values`} className="sweep-values">
          {problem ?? `${sweepValues(draft).length} values × ${draft.designs.length} designs`}
        </span>
      </div>
    </form>
  );
}

/** Adds a composition `store+lock+max` (docs/design-lab.md) to the sweep. */
function ComposedInput({ onAdd }: { readonly onAdd: (spec: DesignSpec) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const parsed = parseDesignSpec(text.trim());
    if (parsed.ok) {
      onAdd(parsed.spec);
      setText('');
      setError(null);
    } else setError(parsed.error);
  };
  return (
    <span className="sweep-composed">
      <label>
        Composition
        <input
          type="text"
          value={text}
          placeholder="store+lock+max"
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
      </label>
      <button type="button" onClick={add} disabled={text.trim() === ''}>
        Add
      </button>
      {error !== null && <span className="sweep-error">{error}</span>}
    </span>
  );
}

function cellLabel(state: SweepPointState, paramLabel: string): string {
  const what = `${state.design} at ${paramLabel} ${state.value}`;
  if (state.status === 'running') return `${what}: running, ${percent(state.fraction)}`;
  if (state.status === 'refused' || state.status === 'failed') {
    return `${what}: ${state.status}: ${state.point?.message ?? ''}`;
  }
  return `${what}: ${state.status}`;
}

/** One cell per point, filled as it runs: rows are designs, columns values. */
function SweepProgress({ run }: { readonly run: SweepRun }) {
  const paramLabel = SWEEP_PARAMS[run.spec.param].label;
  const values = sweepValues(run.spec);
  const counts = { done: 0, refused: 0, failed: 0, cancelled: 0, running: 0, queued: 0 };
  for (const p of run.points) counts[p.status]++;
  const ended = counts.done + counts.refused + counts.failed;
  const seconds = run.doneAfterMs === null ? '' : ` in ${(run.doneAfterMs / 1000).toFixed(1)} s`;
  const summary =
    run.status === 'running'
      ? `Running: ${ended} of ${run.points.length} points ended (${counts.running} running)`
      : run.status === 'cancelled'
        ? `Cancelled: ${counts.done} of ${run.points.length} points ran${seconds}`
        : `Done: ${counts.done} of ${run.points.length} points ran${seconds}`;
  const extra = [
    counts.refused > 0
      ? `${counts.refused} refused (over the page's budget; sim sweep runs them)`
      : '',
    counts.failed > 0 ? `${counts.failed} failed` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <div className="sweep-progress">
      <p role="status" className="sweep-status">
        {summary}
        {extra ? `; ${extra}` : ''}.
      </p>
      <table className="sweep-cells" aria-label="Progress per point">
        <tbody>
          {run.spec.designs.map((design) => (
            <tr key={design}>
              <th scope="row">{design}</th>
              {values.map((value) => {
                const state = run.points.find((p) => p.design === design && p.value === value);
                if (!state) return <td key={value} />;
                const fill =
                  state.status === 'done' ? 1 : state.status === 'running' ? state.fraction : 0;
                return (
                  <td
                    key={value}
                    className={`sweep-cell sweep-cell-${state.status}`}
                    title={cellLabel(state, paramLabel)}
                    aria-label={cellLabel(state, paramLabel)}
                  >
                    <span style={{ width: `${Math.round(fill * 100)}%` }} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Legend({
  designs,
  theme,
}: {
  readonly designs: readonly DesignSpec[];
  readonly theme: Theme;
}) {
  const styles = designStyles(designs, theme);
  return (
    <ul className="sweep-legend">
      {designs.map((d) => (
        <li key={d}>
          <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
            <path
              d={symbol(styles.get(d)?.shape ?? symbolCircle, 48)() ?? ''}
              fill={styles.get(d)?.colour}
            />
          </svg>
          {d}
        </li>
      ))}
      <li>
        <svg width="24" height="8" aria-hidden="true">
          <line x1="0" x2="24" y1="4" y2="4" className="legend-line" strokeDasharray="6 4" />
        </svg>
        USL fit
      </li>
      {designs.some((d) => specPreset(d) === 'list') && (
        <li>
          <svg width="24" height="8" aria-hidden="true">
            <line
              x1="0"
              x2="24"
              y1="4"
              y2="4"
              className="legend-line"
              strokeDasharray="1.5 3"
              strokeWidth="2"
            />
          </svg>
          single-server queue (list)
        </li>
      )}
      <li>
        <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
          <circle r="5.5" className="legend-line" fill="none" strokeWidth="2" />
        </svg>
        published figure
      </li>
    </ul>
  );
}

function FitTable({
  run,
  fits,
}: {
  readonly run: SweepRun;
  readonly fits: readonly SweepDesignFit[];
}) {
  const meaning = SWEEP_PARAMS[run.spec.param].meaning;
  return (
    <div className="sweep-fits">
      <h4>Universal Scalability Law</h4>
      <p className="sweep-note">
        X(N) = λN / (1 + σ(N−1) + κN(N−1)) fitted to each design&apos;s throughput; {meaning}. σ is
        contention (the serialized share), κ coherency (every unit paying for every other), N* =
        √((1−σ)/κ) the peak. Error: RMS relative error of the fitted throughput; above{' '}
        {percent(BAD_FIT_RMS)} the law is said not to fit.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">design</th>
            <th scope="col">σ</th>
            <th scope="col">κ</th>
            <th scope="col">N*</th>
            <th scope="col">error</th>
          </tr>
        </thead>
        <tbody>
          {fits.map(({ design, fit, warning, note }) => (
            <FitRows key={design} design={design} fit={fit} warning={warning} note={note} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FitRows({ design, fit, warning, note }: SweepDesignFit) {
  return (
    <>
      <tr data-design={design}>
        <th scope="row">{design}</th>
        <td>{fit ? formatSigma(fit.sigma) : '-'}</td>
        <td>{fit ? formatParam(fit.kappa) : '-'}</td>
        <td>{fit ? formatPeak(fit.peakN) : '-'}</td>
        <td>{fit ? percent(fit.rmsRelativeError) : '-'}</td>
      </tr>
      {(warning ?? note) !== null && (
        <tr className={warning ? 'sweep-warning' : 'sweep-fit-note'}>
          <td colSpan={5}>{warning ? `⚠ ${design}: ${warning}` : `${design}: ${note ?? ''}`}</td>
        </tr>
      )}
    </>
  );
}

const PointsTable = memo(PointsTableRows, (a, b) => sameSweepResults(a.run, b.run));

function PointsTableRows({ run }: { readonly run: SweepRun }) {
  const label = SWEEP_PARAMS[run.spec.param].label;
  const ran = run.points.filter((p) => p.point !== null);
  return (
    <details className="sweep-table">
      <summary>Points as a table ({ran.length})</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col">design</th>
            <th scope="col">usecs/op</th>
            <th scope="col">accounting-lock wait p99</th>
            <th scope="col">queue model</th>
            <th scope="col">published</th>
            <th scope="col">status</th>
          </tr>
        </thead>
        <tbody>
          {ran.map(({ point }) => {
            const p = point!;
            const refs = pointReferences(run.scenario, run.spec.param, p);
            return (
              <tr key={`${p.design}-${p.value}`} data-design={p.design} data-value={p.value}>
                <td>{p.value}</td>
                <td>{p.design}</td>
                <td className="num">{p.usecsPerOp === null ? '-' : usecsText(p.usecsPerOp)}</td>
                <td className="num">
                  {p.waitP99Ns === null ? '-' : `${formatNs(p.waitP99Ns)} (${p.waitLock ?? ''})`}
                </td>
                <td className="num">
                  {refs.queueUsecsPerOp === null ? '-' : usecsText(refs.queueUsecsPerOp)}
                </td>
                <td className="num">
                  {refs.publishedUsecsPerOp === null ? '-' : usecsText(refs.publishedUsecsPerOp)}
                </td>
                <td>{p.status === 'done' ? 'ran' : `${p.status}: ${p.message ?? ''}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}

export function SweepPanel() {
  const services = useServices();
  const { sweep, scenarioStore } = services;
  const run = useStore(sweep.store, (s) => s.run);
  const scenario = useScenario((s) => s.scenario);
  const theme = useTheme();
  const [draft, setDraftState] = useState<SweepSpec>(
    () => scenarioStore.getState().sweep ?? defaultSweep('cpus'),
  );
  const shownDraft = draftFor(draft, scenario);
  const problem = sweepProblem(shownDraft, scenario);

  // A sweep link reruns its sweep on load; the default page runs none.
  useEffect(() => {
    const { sweep: fromUrl, scenario: onLoad } = scenarioStore.getState();
    if (fromUrl !== null && sweepProblem(fromUrl, onLoad) === null) sweep.start(fromUrl, onLoad);
    return () => sweep.cancel();
  }, [sweep, scenarioStore]);

  const onRun = () => {
    scenarioStore.getState().setSweep(shownDraft);
    sweep.start(shownDraft, scenarioStore.getState().scenario);
  };

  return (
    <section className="sweep panel" aria-labelledby="sweep-heading">
      <h3 id="sweep-heading">Scaling sweep</h3>
      <p className="sweep-note">
        Runs the scenario above at each value of one parameter, for each design, on{' '}
        {Math.max(
          1,
          (typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2) - 1,
        )}{' '}
        worker(s), and fits the Universal Scalability Law to each design&apos;s throughput.
      </p>
      <SweepForm
        draft={shownDraft}
        setDraft={setDraftState}
        problem={problem}
        running={run?.status === 'running'}
        onRun={onRun}
        onCancel={() => sweep.cancel()}
      />
      {run !== null && (
        <>
          <SweepProgress run={run} />
          <Legend designs={run.spec.designs} theme={theme} />
          <div className="sweep-plots">
            <figure>
              <SweepPlot run={run} metric="usecs" theme={theme} />
              <figcaption>usecs/op against {SWEEP_PARAMS[run.spec.param].label}</figcaption>
            </figure>
            <figure>
              <SweepPlot run={run} metric="wait" theme={theme} />
              <figcaption>
                Accounting-lock wait p99 (the design&apos;s most-waited accounting lock; points with
                no wait are left out)
              </figcaption>
            </figure>
          </div>
          {run.fits !== null && <FitTable run={run} fits={run.fits} />}
          <PointsTable run={run} />
        </>
      )}
    </section>
  );
}
