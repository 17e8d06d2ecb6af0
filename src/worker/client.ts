/**
 * The page's side of the simulation workers. With more than two cores, one worker per column: A
 * and B run in parallel, so B's short run shows up without waiting for A's. With two cores or
 * fewer, one worker takes both columns slice by slice, leaving a core to the page so the panels
 * keep animating. start() cancels what is in flight in the columns it starts; messages from a
 * superseded run are dropped here, so listeners only ever see the latest run.
 */
import { proxy, releaseProxy, wrap, type Remote } from 'comlink';
import type { DesignId } from '../engine/types.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { ColumnId, RunMessage, RunOutcome, RunTiming, SimWorkerApi } from './protocol.ts';
import type { TimelineRequest, TimelineWindow } from '../sim/timelineTypes.ts';

/**
 * Takes each message of the latest run. For a snapshot it may return a promise that settles once
 * the page has applied it: the worker sends no other snapshot of that column until then.
 */
export type RunListener = (column: ColumnId, message: RunMessage) => void | Promise<void>;

export interface ColumnRequest {
  readonly column: ColumnId;
  readonly design: DesignId;
}

export interface SimClient {
  /** Starts the columns' runs (cancelling the previous run of each); returns the run id. */
  start(scenario: Scenario, columns: readonly ColumnRequest[], listener: RunListener): number;
  /** Cancels every run in flight; their messages stop arriving. */
  cancel(): void;
  /**
   * A window of the column's finished run `runId` (the id start() returned) for the timeline:
   * null once the column has started another run, or when a newer request of the column
   * superseded it. See SimWorkerApi.timeline(). createSimClient() always has it; it is optional
   * so that fakes of the client in tests need not.
   */
  timeline?(
    column: ColumnId,
    runId: number,
    request: TimelineRequest,
  ): Promise<TimelineWindow | null>;
  dispose(): void;
}

function createModuleWorker(): Worker {
  return new Worker(new URL('./sim.worker.ts', import.meta.url), {
    type: 'module',
    name: 'slotscope-sim',
  });
}

/**
 * Starts `count` workers now, so their module loads while the page renders; the returned factory
 * hands them out first (createSimClient's `createWorker`), then starts new ones.
 */
export function prestartWorkers(
  count: number,
  createWorker: () => Worker = createModuleWorker,
): () => Worker {
  const started = Array.from({ length: count }, createWorker);
  return () => started.shift() ?? createWorker();
}

/** Workers to use: one per column when the machine has cores to spare for the page. */
export function defaultWorkerCount(): 1 | 2 {
  const cores = typeof navigator === 'undefined' ? 4 : navigator.hardwareConcurrency || 4;
  return cores > 2 ? 2 : 1;
}

/**
 * Performance marks on the page's timeline (scripts/bench-frames.ts reads them): the run's start,
 * each column's first and done messages, and the worker's own times from RunTiming.
 */
function mark(name: string, startTime?: number, detail?: unknown): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  try {
    performance.mark(name, startTime === undefined ? { detail } : { startTime, detail });
  } catch {
    // a start time before the page's origin: not worth a mark
  }
}

function markWorkerTiming(column: ColumnId, timing: RunTiming): void {
  const origin = performance.timeOrigin;
  mark(`slotscope:worker-boot`, timing.workerBootEpochMs - origin);
  mark(`slotscope:worker-received:${column}`, timing.receivedEpochMs - origin);
  mark(`slotscope:worker-done:${column}`, timing.doneEpochMs - origin, timing);
}

export function createSimClient(
  createWorker: () => Worker = createModuleWorker,
  workerCount: 1 | 2 = defaultWorkerCount(),
): SimClient & Required<Pick<SimClient, 'timeline'>> {
  /** Keyed by the column whose worker it is; with one worker, 'A' serves both. */
  const workers = new Map<ColumnId, { worker: Worker; api: Remote<SimWorkerApi> }>();
  /** The run each column currently listens to; 0 = none. */
  const activeRun = new Map<ColumnId, number>();
  let lastRunId = 0;

  function workerFor(column: ColumnId): Remote<SimWorkerApi> {
    const key: ColumnId = workerCount === 1 ? 'A' : column;
    let entry = workers.get(key);
    if (!entry) {
      const worker = createWorker();
      entry = { worker, api: wrap<SimWorkerApi>(worker) };
      workers.set(key, entry);
    }
    return entry.api;
  }

  function start(
    scenario: Scenario,
    columns: readonly ColumnRequest[],
    listener: RunListener,
  ): number {
    const runId = ++lastRunId;
    mark('slotscope:run-start');
    for (const { column, design } of columns) {
      activeRun.set(column, runId);
      const api = workerFor(column);
      let first = true;
      const onMessage = proxy((message: RunMessage) => {
        if (activeRun.get(column) !== message.runId) return undefined;
        if (first) mark(`slotscope:first-message:${column}`);
        first = false;
        if (message.kind === 'done') {
          mark(`slotscope:done-message:${column}`);
          markWorkerTiming(column, message.timing);
        }
        return listener(column, message);
      });
      api
        .run({ runId, lane: column, scenario, design }, onMessage)
        .catch((error: unknown): RunOutcome => {
          if (activeRun.get(column) === runId) {
            const text = error instanceof Error ? error.message : String(error);
            void listener(column, { kind: 'failed', runId, message: text });
          }
          return 'failed';
        });
    }
    return runId;
  }

  function cancel(): void {
    activeRun.set('A', 0);
    activeRun.set('B', 0);
    for (const entry of workers.values()) void entry.api.cancel();
  }

  function dispose(): void {
    cancel();
    for (const { worker, api } of workers.values()) {
      api[releaseProxy]();
      worker.terminate();
    }
    workers.clear();
  }

  function timeline(
    column: ColumnId,
    runId: number,
    request: TimelineRequest,
  ): Promise<TimelineWindow | null> {
    return workerFor(column).timeline(column, runId, request);
  }

  return { start, cancel, dispose, timeline };
}
