import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app/App.tsx';
import { ErrorBoundary } from './components/shared/ErrorBoundary.tsx';
import './components/app/app.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary what="the page">
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}
