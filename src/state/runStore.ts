/**
 * The state of the two columns' runs: status, progress, the latest sample snapshot and the
 * result. Messages from the workers are applied in batches (one per animation frame, see
 * ./runController.ts), so a stream of samples never renders once per message.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DesignSpec } from '../engine/spec.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { RunProgress, RunResult, SampleColumns } from '../sim/types.ts';
import type { ColumnId, RunMessage } from '../worker/protocol.ts';

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'refused' | 'failed';

/**
 * One column's run, with the inputs it ran: panels draw from `scenario` and `design`, never from
 * the controls, which may have moved on since the run started.
 */
export interface ColumnRun {
  readonly scenario: Scenario;
  readonly design: DesignSpec;
  readonly runId: number;
  readonly status: RunStatus;
  readonly progress: RunProgress | null;
  /** The latest snapshot; its frames up to `progress.simulatedNs` are filled. */
  readonly samples: SampleColumns | null;
  readonly result: RunResult | null;
  /** The refusal or failure text. */
  readonly message: string | null;
  /** Wall ms from start() to the first snapshot and to the result (for the speed figures). */
  readonly startedAtMs: number;
  readonly firstSamplesAfterMs: number | null;
  readonly doneAfterMs: number | null;
}

export interface RunState {
  readonly columns: Readonly<Record<ColumnId, ColumnRun>>;
}

export interface RunActions {
  started(
    runId: number,
    scenario: Scenario,
    designs: Partial<Record<ColumnId, DesignSpec>>,
    nowMs: number,
  ): void;
  received(batch: ReadonlyArray<readonly [ColumnId, RunMessage]>, nowMs: number): void;
  cancelled(): void;
}

export type RunStore = StoreApi<RunState & RunActions>;

function idleColumn(scenario: Scenario, design: DesignSpec): ColumnRun {
  return {
    scenario,
    design,
    runId: 0,
    status: 'idle',
    progress: null,
    samples: null,
    result: null,
    message: null,
    startedAtMs: 0,
    firstSamplesAfterMs: null,
    doneAfterMs: null,
  };
}

export function applyMessage(run: ColumnRun, message: RunMessage, nowMs: number): ColumnRun {
  if (message.runId !== run.runId || run.status !== 'running') return run;
  const after = nowMs - run.startedAtMs;
  switch (message.kind) {
    case 'progress':
      return {
        ...run,
        progress: message.progress,
        samples: message.samples ?? run.samples,
        firstSamplesAfterMs: run.firstSamplesAfterMs ?? (message.samples !== null ? after : null),
      };
    case 'done':
      return {
        ...run,
        status: 'done',
        progress: message.progress,
        samples: message.samples,
        result: message.result,
        firstSamplesAfterMs: run.firstSamplesAfterMs ?? after,
        doneAfterMs: after,
      };
    case 'refused':
    case 'failed':
      return { ...run, status: message.kind, message: message.message };
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}

/** Idle columns hold the scenario the page opened with, until their first run starts. */
export function createRunStore(
  designs: Record<ColumnId, DesignSpec>,
  scenario: Scenario,
): RunStore {
  return createStore<RunState & RunActions>()((set, get) => ({
    columns: { A: idleColumn(scenario, designs.A), B: idleColumn(scenario, designs.B) },

    started(runId, runScenario, started, nowMs) {
      const columns = { ...get().columns };
      for (const column of ['A', 'B'] as const) {
        const design = started[column];
        if (design === undefined) continue;
        columns[column] = {
          ...idleColumn(runScenario, design),
          runId,
          status: 'running',
          startedAtMs: nowMs,
        };
      }
      set({ columns });
    },
    received(batch, nowMs) {
      const columns = { ...get().columns };
      for (const [column, message] of batch) {
        columns[column] = applyMessage(columns[column], message, nowMs);
      }
      set({ columns });
    },
    cancelled() {
      const columns = { ...get().columns };
      for (const column of ['A', 'B'] as const) {
        if (columns[column].status === 'running') {
          columns[column] = { ...columns[column], status: 'cancelled' };
        }
      }
      set({ columns });
    },
  }));
}
