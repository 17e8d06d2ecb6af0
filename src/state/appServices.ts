/**
 * The app's wiring, in one place: the scenario store (bound to a history port), the run store,
 * and the run controller with its simulation client. The page calls createAppServices() once
 * (src/main.tsx) and hands the result to the components through a React context; a test calls it
 * with a memory history and a fake client and gets instances of its own. Nothing here is a
 * module-level singleton.
 *
 * The run controller starts and stops with the page (startRuns() in an effect): React's StrictMode
 * mounts twice in development, and each start gets a fresh client, since stop() disposes it.
 */
import type { TimelineRequest, TimelineWindow } from '../sim/timelineTypes.ts';
import type { SimClient } from '../worker/client.ts';
import type { ColumnId } from '../worker/protocol.ts';
import type { HistoryPort } from './history.ts';
import { startRunController, type RunController } from './runController.ts';
import { createRunStore, type RunStore } from './runStore.ts';
import { createScenarioStore, type ScenarioStore } from './scenarioStore.ts';

export interface AppServicesOptions {
  readonly history: HistoryPort;
  /** Called on each startRuns(): the page's workers, or a fake in tests. */
  readonly createClient: () => SimClient;
  /** Passed to the run controller (tests flush synchronously). */
  readonly scheduleFlush?: (flush: () => void) => void;
}

export interface AppServices {
  readonly scenarioStore: ScenarioStore;
  readonly runStore: RunStore;
  /** Starts running the scenario in the workers; returns the function that stops it. */
  startRuns(): () => void;
  /** Cancels the runs in flight (the Cancel button); nothing if runs are not started. */
  cancelRuns(): void;
  /** Runs both columns again (the Run again button); nothing if runs are not started. */
  rerun(): void;
  /**
   * A window of a column's finished run `runId` for the timeline, from the worker; null when the
   * runs are not started, the client has no timeline, or a newer run or request superseded it.
   */
  timeline(
    column: ColumnId,
    runId: number,
    request: TimelineRequest,
  ): Promise<TimelineWindow | null>;
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const scenarioStore = createScenarioStore(options.history);
  const { scenario, view } = scenarioStore.getState();
  const runStore = createRunStore({ A: view.designA, B: view.designB }, scenario);
  let controller: RunController | null = null;
  let client: SimClient | null = null;

  return {
    scenarioStore,
    runStore,
    startRuns() {
      const startedClient = options.createClient();
      const started = startRunController({
        scenarioStore,
        runStore,
        client: startedClient,
        scheduleFlush: options.scheduleFlush,
      });
      controller = started;
      client = startedClient;
      return () => {
        started.stop();
        if (controller === started) controller = null;
        if (client === startedClient) client = null;
      };
    },
    cancelRuns() {
      controller?.cancel();
    },
    rerun() {
      controller?.rerun();
    },
    timeline(column, runId, request) {
      return client?.timeline?.(column, runId, request) ?? Promise.resolve(null);
    },
  };
}
