import { useMemo } from 'react';
import { CpuGridPanel } from '../cpuGrid/CpuGridPanel.tsx';
import { LockPanel } from '../lockPanel/LockPanel.tsx';
import { ProfilePanel } from '../profile/ProfilePanel.tsx';
import { ResultLine } from '../result/ResultLine.tsx';
import { ErrorBoundary } from '../shared/ErrorBoundary.tsx';
import { useRuns, useScenarioShallow } from '../app/services.tsx';
import { DESIGNS } from '../../report/designs.ts';
import { effectiveCursor, spanNs } from '../../derive/frames.ts';
import { sameScenario } from '../../scenario/url.ts';
import type { ColumnId } from '../../worker/protocol.ts';

/**
 * One design's column: result, CPU grid, locks, profile. Every panel draws from the column's run
 * and the scenario and design it ran, never from the controls, which may have changed since; only
 * the view (time cursor, grid mode) comes from the live state.
 */
export function Column({ column }: { readonly column: ColumnId }) {
  const run = useRuns((s) => s.columns[column]);
  const baselineRun = useRuns((s) => s.columns.A);
  const { cursor, grid } = useScenarioShallow((s) => ({
    cursor: s.view.cursor,
    grid: s.view.grid,
  }));
  const { scenario, design } = run;
  // B's speedup over A only holds when both ran the same scenario.
  const sameAsBaseline = useMemo(
    () => sameScenario(baselineRun.scenario, scenario),
    [baselineRun.scenario, scenario],
  );
  const baseline = column === 'B' && sameAsBaseline ? baselineRun.result : null;
  const simulatedNs = run.progress?.simulatedNs ?? 0;
  const span = spanNs(run);
  const shownCursor = effectiveCursor(cursor, run.status === 'done');
  return (
    <article className="column" aria-labelledby={`column-${column}`}>
      <h2 id={`column-${column}`}>
        Design {column}: <code>{design}</code>
        <span className="design-note"> ({DESIGNS[design].description})</span>
      </h2>
      {(run.status === 'refused' || run.status === 'failed') && (
        <p role="alert" className="refusal">
          {run.status === 'refused' ? 'Too large for the browser: ' : 'The simulation failed: '}
          {run.message}
        </p>
      )}
      <ErrorBoundary what={`the result of design ${column}`}>
        <ResultLine
          column={column}
          scenario={scenario}
          design={design}
          result={run.result}
          baseline={baseline}
        />
      </ErrorBoundary>
      <ErrorBoundary what={`the CPU grid of design ${column}`}>
        <CpuGridPanel
          column={column}
          design={design}
          samples={run.samples}
          simulatedNs={simulatedNs}
          spanNs={span}
          cursor={shownCursor}
          mode={grid}
          slots={scenario.slots}
          cpus={scenario.cpus}
        />
      </ErrorBoundary>
      <ErrorBoundary what={`the lock panel of design ${column}`}>
        <LockPanel
          column={column}
          samples={run.samples}
          spanNs={span}
          cursor={shownCursor}
          locks={run.result?.locks ?? null}
        />
      </ErrorBoundary>
      <ErrorBoundary what={`the profile of design ${column}`}>
        <ProfilePanel column={column} scenario={scenario} design={design} result={run.result} />
      </ErrorBoundary>
    </article>
  );
}
