import { useDeferredValue, type ComponentProps } from 'react';
import { CpuGridPanel } from '../cpuGrid/CpuGridPanel.tsx';
import { LockPanel } from '../lockPanel/LockPanel.tsx';
import { ProfilePanel } from '../profile/ProfilePanel.tsx';
import { ResultLine } from '../result/ResultLine.tsx';
import { ErrorBoundary } from '../shared/ErrorBoundary.tsx';
import { useShownRuns } from '../app/ShownRuns.tsx';
import { useScenarioShallow, useServices } from '../app/services.tsx';
import { columnWindowNs, windowFromNs } from '../../derive/timelineWindow.ts';
import { designNaming, memoryText } from '../../report/designs.ts';
import { isComposed, specPreset } from '../../engine/spec.ts';
import { effectiveCursor, spanNs } from '../../derive/frames.ts';
import { panelCaptions } from '../../derive/narrative.ts';
import type { ColumnId } from '../../worker/protocol.ts';

/**
 * The lock panel, linked to the timeline: the timeline's window narrows its time series, and a
 * brush there sets the window. It follows the window at a lower priority (useDeferredValue), so a
 * pan's frames go to the timeline first; and only it re-renders, not the whole column.
 */
function LinkedLockPanel(
  props: Omit<ComponentProps<typeof LockPanel>, 'windowNs' | 'onBrush'> & {
    readonly otherSpanNs: number;
  },
) {
  const { otherSpanNs, ...rest } = props;
  const { timeAxis, window } = useScenarioShallow((s) => ({
    timeAxis: s.view.timeAxis,
    window: s.view.window,
  }));
  const { scenarioStore } = useServices();
  const deferred = useDeferredValue(window);
  const spans = { own: props.spanNs, other: otherSpanNs };
  return (
    <LockPanel
      {...rest}
      windowNs={columnWindowNs({ timeAxis, window: deferred }, spans)}
      onBrush={(fromNs, toNs) =>
        scenarioStore.getState().updateView({ window: windowFromNs(timeAxis, spans, fromNs, toNs) })
      }
    />
  );
}

/**
 * One design's column: result, CPU grid, locks, profile. Every panel draws from the column's shown
 * run (the latest finished one, ghosted while a newer one runs; see app/shownRuns.ts) and the
 * scenario and design it ran, never from the controls; only the view (time cursor, grid mode)
 * comes from the live state.
 */
export function Column({ column }: { readonly column: ColumnId }) {
  const shown = useShownRuns();
  const { run, stale, live, before } = shown[column];
  const { cursor, grid } = useScenarioShallow((s) => ({
    cursor: s.view.cursor,
    grid: s.view.grid,
  }));
  const { scenario, design } = run;
  const simulatedNs = run.progress?.simulatedNs ?? 0;
  const span = spanNs(run);
  const shownCursor = effectiveCursor(cursor, run.status === 'done');
  const captions = panelCaptions(shown.narrative, column);
  const otherSpan = spanNs(shown[column === 'A' ? 'B' : 'A'].run);
  return (
    <article
      className={`column${stale ? ' stale' : ''}`}
      aria-labelledby={`column-${column}`}
      aria-busy={stale}
    >
      <h2 id={`column-${column}`}>
        Design {column}: <code>{design}</code>
        {isComposed(design) && specPreset(design) !== null && <> = {specPreset(design)}</>}
        {/* A composition's parts are described in its picker; here, what it costs per task. */}
        {isComposed(design) ? (
          <span className="design-note" data-testid={`column-memory-${column}`}>
            {' '}
            (memory: {memoryText(design)})
          </span>
        ) : (
          <span className="design-note"> ({designNaming(design).description})</span>
        )}
      </h2>
      <p className="stale-marker" role="status">
        {!stale
          ? ''
          : live.status === 'cancelled'
            ? `Cancelled: still showing the previous run (${run.design}); Run again to simulate ${live.design}.`
            : live.status === 'done'
              ? `running… ${live.design} is done; showing the previous run until the other design finishes too`
              : `running ${live.design}… showing the previous run until it finishes`}
      </p>
      {(live.status === 'refused' || live.status === 'failed') && (
        <p role="alert" className="refusal">
          {live.status === 'refused' ? 'Too large for the browser: ' : 'The simulation failed: '}
          {live.message}
        </p>
      )}
      <div className="column-body">
        <ErrorBoundary what={`the result of design ${column}`}>
          <ResultLine
            column={column}
            scenario={scenario}
            design={design}
            result={run.result}
            status={run.status}
            comparison={shown.comparison}
            before={before?.result ?? null}
            baselineDesign={shown.A.run.design}
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
            caption={captions.grid}
          />
        </ErrorBoundary>
        <ErrorBoundary what={`the lock panel of design ${column}`}>
          <LinkedLockPanel
            otherSpanNs={otherSpan}
            column={column}
            samples={run.samples}
            spanNs={span}
            cursor={shownCursor}
            locks={run.result?.locks ?? null}
            caption={captions.locks}
          />
        </ErrorBoundary>
        <ErrorBoundary what={`the profile of design ${column}`}>
          <ProfilePanel
            column={column}
            scenario={scenario}
            design={design}
            result={run.result}
            status={run.status}
            caption={captions.profile}
          />
        </ErrorBoundary>
      </div>
    </article>
  );
}
