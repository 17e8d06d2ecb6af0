/**
 * The page's entry, kept small: it starts the simulation workers and posts the scenario's runs
 * first, then loads the page's React tree (./page.tsx, a chunk of its own). On two cores the
 * first render takes a few hundred ms of the main thread, and a worker cannot start while the main
 * thread is busy; this way the worker starts and runs while React's chunk loads and renders.
 */
import { createAppServices } from './state/appServices.ts';
import { browserHistory } from './state/history.ts';
import { createSimClient, defaultWorkerCount, prestartWorkers } from './worker/client.ts';
import './components/app/app.css';

// For scripts/bench-frames.ts: the page's script has loaded.
performance.mark('slotscope:main');

const workerCount = defaultWorkerCount();
const createWorker = prestartWorkers(workerCount);

/** The page's one set of stores, bound to the browser's URL and to the simulation workers. */
const services = createAppServices({
  history: browserHistory,
  createClient: () => createSimClient(createWorker, workerCount),
});
// The runs go now, before React renders; they last as long as the page.
services.startRuns();

const root = document.getElementById('root');
if (root) {
  import('./page.tsx').then(
    ({ renderPage }) => renderPage(root, services),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      root.textContent = `The page could not load: ${message}. Reload to try again.`;
    },
  );
}
