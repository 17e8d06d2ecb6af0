import { useEffect, useState } from 'react';
import { Column } from '../column/Column.tsx';
import { Controls } from '../controls/Controls.tsx';
import { Presets } from '../controls/Presets.tsx';
import { Header } from '../header/Header.tsx';
import { Notices } from '../notices/Notices.tsx';
import { ModelView } from '../model/ModelView.tsx';
import { ErrorBoundary } from '../shared/ErrorBoundary.tsx';
import { ShownRunsProvider } from './ShownRuns.tsx';
import { TimeControl } from '../timeline/TimeControl.tsx';
import { SweepPanel } from '../sweep/SweepPanel.tsx';
import { TimelinePanel } from '../timeline/TimelinePanel.tsx';
import { useScenario, useServices } from './services.tsx';
import { GRID_MODES } from '../../scenario/url.ts';

/**
 * False for the page's first render, true once it has painted: what lies below the fold (the
 * sweep, the model's text) mounts in a task of its own, so the first render, which the runs'
 * results wait behind, stays one short task.
 */
function usePainted(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setPainted(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);
  return painted;
}

function GridModeSwitch() {
  const grid = useScenario((s) => s.view.grid);
  const { scenarioStore } = useServices();
  return (
    <fieldset className="grid-mode">
      <legend>CPU grid shows</legend>
      {GRID_MODES.map((mode) => (
        <label key={mode} className="radio">
          <input
            type="radio"
            name="grid-mode"
            value={mode}
            checked={grid === mode}
            onChange={() => scenarioStore.getState().updateView({ grid: mode })}
          />
          {mode === 'states' ? 'CPU states' : 'Slot occupancy'}
        </label>
      ))}
    </fieldset>
  );
}

/** `modelMarkdown`: docs/model.md's text, for the "About the model" view. */
export function App({ modelMarkdown }: { readonly modelMarkdown: string }) {
  const services = useServices();
  const painted = usePainted();
  useEffect(() => {
    const onPop = (): void => services.scenarioStore.getState().loadFromUrl();
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [services]);
  return (
    <ShownRunsProvider>
      <div className="page">
        <a className="skip-link" href="#charts">
          Skip to the charts
        </a>
        <Header />
        <ErrorBoundary what="the notices">
          <Notices />
        </ErrorBoundary>
        <div className="layout">
          <ErrorBoundary what="the controls">
            <Controls />
          </ErrorBoundary>
          <main className="main">
            <ErrorBoundary what="the presets">
              <Presets />
            </ErrorBoundary>
            <ErrorBoundary what="the time control">
              <TimeControl />
            </ErrorBoundary>
            <ErrorBoundary what="the timeline">
              <TimelinePanel />
            </ErrorBoundary>
            <GridModeSwitch />
            <div className="columns" id="charts" tabIndex={-1}>
              <Column column="A" />
              <Column column="B" />
            </div>
            {painted && (
              <ErrorBoundary what="the scaling sweep">
                <SweepPanel />
              </ErrorBoundary>
            )}
          </main>
        </div>
        {painted && (
          <ErrorBoundary what="the model">
            <ModelView markdown={modelMarkdown} />
          </ErrorBoundary>
        )}
      </div>
    </ShownRunsProvider>
  );
}
