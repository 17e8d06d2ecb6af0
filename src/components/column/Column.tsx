import { useShallow } from 'zustand/shallow';
import { useStore } from 'zustand';
import { CpuGridPanel } from '../cpuGrid/CpuGridPanel.tsx';
import { LockPanel } from '../lockPanel/LockPanel.tsx';
import { ProfilePanel } from '../profile/ProfilePanel.tsx';
import { ResultLine } from '../result/ResultLine.tsx';
import { ErrorBoundary } from '../shared/ErrorBoundary.tsx';
import { spanNs } from '../timeline/TimeControl.tsx';
import { runStore, scenarioStore, useRuns } from '../app/stores.ts';
import { DESIGNS } from '../../report/designs.ts';
import { effectiveCursor } from '../../derive/frames.ts';

/** One design's column: result, CPU grid, locks, profile. */
export function Column({ column }: { readonly column: 'A' | 'B' }) {
  const run = useRuns((s) => s.columns[column]);
  const baseline = useStore(runStore, (s) => s.columns.A.result);
  const { scenario, cursor, grid, design } = useStore(
    scenarioStore,
    useShallow((s) => ({
      scenario: s.scenario,
      cursor: s.view.cursor,
      grid: s.view.grid,
      design: column === 'A' ? s.view.designA : s.view.designB,
    })),
  );
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
          baseline={column === 'B' ? baseline : null}
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
