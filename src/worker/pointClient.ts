/**
 * The page's side of one sweep worker: runs one point (a scenario and a design) at a time on the
 * same worker module as the columns (./sim.worker.ts, the same runner), and reports its progress
 * and its result. A sweep is a pool of these (src/state/sweepController.ts); this module knows
 * nothing of sweeps.
 *
 * Samples are not wanted: each snapshot the runner sends is dropped at once (its call settles
 * immediately, so the runner never holds back on the page's account).
 */
import { proxy, releaseProxy, wrap, type Remote } from 'comlink';
import type { DesignSpec } from '../engine/spec.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { RunResult } from '../sim/types.ts';
import type { RunMessage, SimWorkerApi } from './protocol.ts';

export type PointOutcome =
  | { readonly kind: 'done'; readonly result: RunResult }
  | { readonly kind: 'refused' | 'failed'; readonly message: string }
  | { readonly kind: 'cancelled' };

export interface PointClient {
  /** Runs one point; `onProgress` gets the fraction done. Starting another cancels this one. */
  run(
    scenario: Scenario,
    design: DesignSpec,
    onProgress: (fraction: number) => void,
  ): Promise<PointOutcome>;
  /** Cancels the point in flight; its run() resolves to cancelled. */
  cancel(): void;
  dispose(): void;
}

function createSweepWorker(): Worker {
  return new Worker(new URL('./sim.worker.ts', import.meta.url), {
    type: 'module',
    name: 'slotscope-sweep',
  });
}

export function createPointClient(createWorker: () => Worker = createSweepWorker): PointClient {
  let entry: { worker: Worker; api: Remote<SimWorkerApi> } | null = null;
  let runId = 0;
  let settleCurrent: ((outcome: PointOutcome) => void) | null = null;

  const api = (): Remote<SimWorkerApi> => {
    if (entry === null) {
      const worker = createWorker();
      entry = { worker, api: wrap<SimWorkerApi>(worker) };
    }
    return entry.api;
  };

  const cancel = (): void => {
    runId++;
    settleCurrent?.({ kind: 'cancelled' });
    settleCurrent = null;
    if (entry !== null) void entry.api.cancel();
  };

  return {
    run(scenario, design, onProgress) {
      settleCurrent?.({ kind: 'cancelled' });
      const id = ++runId;
      return new Promise<PointOutcome>((resolve) => {
        settleCurrent = resolve;
        const settle = (outcome: PointOutcome): void => {
          if (id !== runId) return;
          settleCurrent = null;
          resolve(outcome);
        };
        const onMessage = proxy((message: RunMessage): undefined => {
          if (id !== runId) return undefined;
          if (message.kind === 'progress') onProgress(message.progress.fraction);
          else if (message.kind === 'done') settle({ kind: 'done', result: message.result });
          else settle({ kind: message.kind, message: message.message });
          return undefined;
        });
        api()
          .run({ runId: id, lane: 'A', scenario, design, keepTimeline: false }, onMessage)
          .then(
            (outcome) => {
              if (outcome === 'cancelled') settle({ kind: 'cancelled' });
            },
            (error: unknown) =>
              settle({
                kind: 'failed',
                message: error instanceof Error ? error.message : String(error),
              }),
          );
      });
    },
    cancel,
    dispose() {
      cancel();
      if (entry !== null) {
        entry.api[releaseProxy]();
        entry.worker.terminate();
        entry = null;
      }
    },
  };
}
