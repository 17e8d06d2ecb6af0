/**
 * The page's React tree, a chunk of its own: src/main.tsx imports it once the simulation runs are
 * posted, so React, d3, the panels and the model's text load and render while the workers start.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app/App.tsx';
import { AppServicesProvider } from './components/app/services.tsx';
import { ErrorBoundary } from './components/shared/ErrorBoundary.tsx';
import type { AppServices } from './state/appServices.ts';
// The model's explanation, shown in the page from the same file as the repository's docs.
import modelMarkdown from '../docs/model.md?raw';

export function renderPage(root: HTMLElement, services: AppServices): void {
  // For scripts/bench-frames.ts: React starts rendering (the runs are already posted).
  performance.mark('slotscope:render-start');
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
