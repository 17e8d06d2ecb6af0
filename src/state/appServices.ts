/**
 * The app's wiring, in one place: the scenario store (bound to a history port), the run store,
 * and the run controller with its simulation client. The page calls createAppServices() once
 * (src/main.tsx) and hands the result to the components through a React context; a test calls it
 * with a memory history and a fake client and gets instances of its own. Nothing here is a
 * module-level singleton.
 *
 * The page starts the run controller once, in src/main.tsx before React renders, so the runs are
 * posted while React's chunk loads; it runs as long as the page. Each startRuns() gets a fresh
 * client, since stop() disposes it.
 */
import type { TimelineRequest, TimelineWindow } from '../sim/timelineTypes.ts';
import type { SimClient } from '../worker/client.ts';
import { createPointClient, type PointClient } from '../worker/pointClient.ts';
import type { ColumnId } from '../worker/protocol.ts';
import type { HistoryPort } from './history.ts';
import { startRunController, type RunController } from './runController.ts';
import { createRunStore, type RunStore } from './runStore.ts';
import { createScenarioStore, type ScenarioStore } from './scenarioStore.ts';
import { createSweepController, type SweepController } from './sweepController.ts';

export interface AppServicesOptions {
  readonly history: HistoryPort;
  /** Called on each startRuns(): the page's workers, or a fake in tests. */
  readonly createClient: () => SimClient;
  /** Passed to the run controller (tests flush synchronously). */
  readonly scheduleFlush?: (flush: () => void) => void;
  /** A sweep worker; the page's by default (started on the first point). */
  readonly createPointClient?: () => PointClient;
  /** Sweep workers; max(1, cores − 1) by default. */
  readonly sweepPoolSize?: number;
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
  /** The scaling sweep: its store, start and cancel (src/state/sweepController.ts). */
  readonly sweep: SweepController;
  /**
   * A window of a column's finished run `runId` for the timeline, from the worker; null when the
   * runs are not started, the client has no timeline, or a newer run or request superseded it.
   */
  readonly timeline: (
    column: ColumnId,
    runId: number,
    request: TimelineRequest,
  ) => Promise<TimelineWindow | null>;
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const scenarioStore = createScenarioStore(options.history);
  const { scenario, view } = scenarioStore.getState();
  const runStore = createRunStore({ A: view.designA, B: view.designB }, scenario);
  let controller: RunController | null = null;
  const sweep = createSweepController({
    createClient: options.createPointClient ?? (() => createPointClient()),
    poolSize: options.sweepPoolSize,
  });
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
    sweep,
    timeline: (column, runId, request) =>
      client?.timeline?.(column, runId, request) ?? Promise.resolve(null),
  };
}
