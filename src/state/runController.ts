/**
 * Keeps the runs in step with the scenario: when the scenario or a column's design changes, it
 * starts that column's run again after a short debounce (the latest change wins; a drag never
 * queues runs, and starting a run cancels the one in flight). Worker messages are collected and
 * applied to the run store in an animation frame: results and first samples at the next one,
 * progress at most every FLUSH_INTERVAL_MS.
 */
import type { DesignSpec } from '../engine/spec.ts';
import { queryFromScenario } from '../scenario/url.ts';
import type { ColumnRequest, SimClient } from '../worker/client.ts';
import type { ColumnId, RunMessage } from '../worker/protocol.ts';
import type { RunStore } from './runStore.ts';
import type { ScenarioStore } from './scenarioStore.ts';

export interface RunControllerOptions {
  readonly scenarioStore: ScenarioStore;
  readonly runStore: RunStore;
  readonly client: SimClient;
  /** Delay between the last change and the run it starts. */
  readonly debounceMs?: number;
  readonly now?: () => number;
  /** Schedules the batch flush; requestAnimationFrame in the page. */
  readonly scheduleFlush?: (flush: () => void) => void;
  /** Least time between flushes of progress alone (results and first samples go at once). */
  readonly flushIntervalMs?: number;
}

export interface RunController {
  cancel(): void;
  /** Runs both columns again, even if nothing changed (after a cancel). */
  rerun(): void;
  stop(): void;
}

export const RUN_DEBOUNCE_MS = 120;
/**
 * Progress, and snapshots after a column's first, are applied at most this often: each flush
 * renders the page, and on two cores that render takes CPU from the simulation. Both columns'
 * messages share a flush.
 */
export const FLUSH_INTERVAL_MS = 100;

export function startRunController(options: RunControllerOptions): RunController {
  const { scenarioStore, runStore, client } = options;
  const debounceMs = options.debounceMs ?? RUN_DEBOUNCE_MS;
  const now = options.now ?? (() => performance.now());
  const scheduleFlush =
    options.scheduleFlush ?? ((flush: () => void) => void requestAnimationFrame(flush));
  const flushIntervalMs = options.flushIntervalMs ?? FLUSH_INTERVAL_MS;

  /** What each column last started: the scenario query and the design. */
  const startedKey: Record<ColumnId, string | null> = { A: null, B: null };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: Array<readonly [ColumnId, RunMessage]> = [];
  let flushScheduled = false;
  let lastFlushMs = -Infinity;
  /** Waits out FLUSH_INTERVAL_MS before asking for a frame. */
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Settles at the next flush: a snapshot's sender waits for it before sending the next one. */
  let applied: { promise: Promise<void>; resolve: () => void } | null = null;

  const flush = (): void => {
    flushScheduled = false;
    lastFlushMs = now();
    const batch = pending;
    pending = [];
    const taken = applied;
    applied = null;
    if (batch.length > 0) runStore.getState().received(batch, now());
    taken?.resolve();
    for (const [column, message] of batch) {
      // For scripts/bench-frames.ts: when the store took each column's result.
      if (message.kind === 'done') performance.mark(`slotscope:done-applied:${column}`);
    }
  };
  const clearFlushTimer = (): void => {
    if (flushTimer !== null) clearTimeout(flushTimer);
    flushTimer = null;
  };
  /** A flush at the next frame if `urgent` or the last was long enough ago, else after that. */
  const requestFlush = (urgent: boolean): void => {
    if (flushScheduled) return;
    const waitMs = urgent ? 0 : lastFlushMs + flushIntervalMs - now();
    if (waitMs <= 0) {
      clearFlushTimer();
      flushScheduled = true;
      scheduleFlush(flush);
    } else if (flushTimer === null) {
      flushTimer = setTimeout(() => {
        flushTimer = null;
        requestFlush(true);
      }, waitMs);
    }
  };
  /** The result, a refusal, or the column's first samples: the user is waiting for these. */
  const isUrgent = (column: ColumnId, message: RunMessage): boolean =>
    message.kind !== 'progress' ||
    (message.samples !== null && runStore.getState().columns[column].samples === null);

  const listener = (column: ColumnId, message: RunMessage): Promise<void> | undefined => {
    pending.push([column, message]);
    requestFlush(isUrgent(column, message));
    if (message.kind !== 'progress' || message.samples === null) return undefined;
    if (!applied) {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      applied = { promise, resolve };
    }
    return applied.promise;
  };

  const wanted = (): Record<ColumnId, { key: string; design: DesignSpec }> => {
    const { scenario, view } = scenarioStore.getState();
    const query = queryFromScenario(scenario);
    return {
      A: { key: `${query}|${view.designA}`, design: view.designA },
      B: { key: `${query}|${view.designB}`, design: view.designB },
    };
  };

  const startChanged = (): void => {
    timer = null;
    const want = wanted();
    const columns: ColumnRequest[] = [];
    for (const column of ['A', 'B'] as const) {
      if (startedKey[column] !== want[column].key) {
        startedKey[column] = want[column].key;
        columns.push({ column, design: want[column].design });
      }
    }
    if (columns.length === 0) return;
    // Drop messages of the runs being replaced that are still waiting for a frame.
    pending = pending.filter(([column]) => !columns.some((c) => c.column === column));
    const { scenario } = scenarioStore.getState();
    const runId = client.start(scenario, columns, listener);
    runStore
      .getState()
      .started(
        runId,
        scenario,
        Object.fromEntries(columns.map(({ column, design }) => [column, design])),
        now(),
      );
  };

  const schedule = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(startChanged, debounceMs);
  };

  startChanged();
  const unsubscribe = scenarioStore.subscribe((state, previous) => {
    const { scenario, view } = state;
    if (
      scenario !== previous.scenario ||
      view.designA !== previous.view.designA ||
      view.designB !== previous.view.designB
    ) {
      schedule();
    }
  });

  return {
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      clearFlushTimer();
      client.cancel();
      pending = [];
      runStore.getState().cancelled();
    },
    rerun() {
      startedKey.A = null;
      startedKey.B = null;
      if (timer !== null) clearTimeout(timer);
      startChanged();
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      clearFlushTimer();
      unsubscribe();
      client.dispose();
    },
  };
}
