import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app/App.tsx';
import { AppServicesProvider } from './components/app/services.tsx';
import { ErrorBoundary } from './components/shared/ErrorBoundary.tsx';
import { createAppServices } from './state/appServices.ts';
import { browserHistory } from './state/history.ts';
import { createSimClient, defaultWorkerCount, prestartWorkers } from './worker/client.ts';
import './components/app/app.css';
// The model's explanation, shown in the page from the same file as the repository's docs.
import modelMarkdown from '../docs/model.md?raw';

// For scripts/bench-frames.ts: the page's script has loaded.
performance.mark('slotscope:main');

// The workers' module loads while React renders the page, not after.
const workerCount = defaultWorkerCount();
const createWorker = prestartWorkers(workerCount);

/** The page's one set of stores, bound to the browser's URL and to the simulation workers. */
const services = createAppServices({
  history: browserHistory,
  createClient: () => createSimClient(createWorker, workerCount),
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary what="the page">
        <AppServicesProvider services={services}>
          <App modelMarkdown={modelMarkdown} />
        </AppServicesProvider>
      </ErrorBoundary>
    </StrictMode>,
  );
}
