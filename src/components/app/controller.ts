/**
 * The page's one run controller: started by <App> on mount (and stopped on unmount, which React's
 * StrictMode does once in development), reachable by the cancel button.
 */
import { startRunController, type RunController } from '../../state/runController.ts';
import { createSimClient } from '../../worker/client.ts';
import { runStore, scenarioStore } from './stores.ts';

let current: RunController | null = null;

export function runController(): RunController | null {
  return current;
}

export function mountRunController(): () => void {
  const controller = startRunController({ scenarioStore, runStore, client: createSimClient() });
  current = controller;
  return () => {
    controller.stop();
    if (current === controller) current = null;
  };
}
