/**
 * The page's scaling sweep: runs every point of a sweep (src/scenario/sweep.ts) on a pool of
 * workers, one point per worker at a time, and keeps the state the sweep panel draws: each
 * point's status and progress, its figures (src/report/sweep.ts) and, once every point has
 * ended, the fit per design.
 *
 * - Pool: max(1, hardwareConcurrency − 1) workers, leaving a core to the page. The workers are
 *   the columns' own module (src/worker/pointClient.ts), so a point's numbers are a column's.
 * - Budget: a point over the page's budget is refused before anything runs, by the check the
 *   worker itself applies (checkRunSize, every design), and shown with the reason.
 * - Cancel: stops every point in flight and drops the queue; what ran stays shown.
 * - The fit runs after the last point, one design per macrotask, so no task is long.
 * - A sweep carries the scenario and spec it ran: the panel never pairs points with later edits.
 *
 * Progress reaches the store at most every PROGRESS_INTERVAL_MS, so a pool of workers posting
 * progress does not render the panel once per message.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DesignSpec } from '../engine/spec.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { SweepSpec } from '../scenario/sweep.ts';
import { checkRunCost } from '../sim/budget.ts';
import {
  pointFromResult,
  pointNotRun,
  sweepJobs,
  type SweepDesignFit,
  type SweepPoint,
} from '../report/sweep.ts';
import type { PointClient } from '../worker/pointClient.ts';
import type * as SweepFit from '../report/sweepFit.ts';

export type SweepPointStatus = 'queued' | 'running' | 'done' | 'refused' | 'failed' | 'cancelled';

export interface SweepPointState {
  readonly value: number;
  readonly design: DesignSpec;
  readonly status: SweepPointStatus;
  /** 0..1 while running; 1 once done. */
  readonly fraction: number;
  /** The point's figures once it ran (or was refused: then the reason is in it). */
  readonly point: SweepPoint | null;
}

export interface SweepRun {
  readonly id: number;
  readonly spec: SweepSpec;
  readonly scenario: Scenario;
  readonly status: 'running' | 'done' | 'cancelled';
  readonly points: readonly SweepPointState[];
  /** One per design once every point has ended (not for a cancelled sweep's missing points). */
  readonly fits: readonly SweepDesignFit[] | null;
  readonly startedAtMs: number;
  readonly doneAfterMs: number | null;
}

export interface SweepState {
  readonly run: SweepRun | null;
}

export type SweepStore = StoreApi<SweepState>;

export interface SweepController {
  readonly store: SweepStore;
  /** Starts a sweep of `spec` on `scenario`, cancelling the one in flight. */
  start(spec: SweepSpec, scenario: Scenario): void;
  cancel(): void;
  dispose(): void;
}

export interface SweepControllerOptions {
  readonly createClient: () => PointClient;
  /** Workers in the pool; max(1, hardwareConcurrency − 1) by default. */
  readonly poolSize?: number;
  readonly now?: () => number;
  /** Runs `task` in a later macrotask (the fit of each design). */
  readonly defer?: (task: () => void) => void;
}

type FitDesign = typeof SweepFit.fitDesign;

/** The fit's code (its solver is most of a sweep's code), loaded when a sweep first ends. */
const loadFit = (): Promise<FitDesign> =>
  import('../report/sweepFit.ts').then((module) => module.fitDesign);

export const PROGRESS_INTERVAL_MS = 100;

export function defaultPoolSize(): number {
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  return Math.max(1, cores - 1);
}

export function createSweepController(options: SweepControllerOptions): SweepController {
  const store = createStore<SweepState>()(() => ({ run: null }));
  const now = options.now ?? (() => performance.now());
  const defer = options.defer ?? ((task) => void setTimeout(task, 0));
  const poolSize = options.poolSize ?? defaultPoolSize();
  const clients: PointClient[] = [];
  let sweepId = 0;

  /** Replaces point `index` of sweep `id` (if it is still the current sweep). */
  const updatePoint = (id: number, index: number, change: Partial<SweepPointState>): void => {
    const run = store.getState().run;
    if (run === null || run.id !== id) return;
    const points = run.points.slice();
    points[index] = { ...(points[index] as SweepPointState), ...change };
    store.setState({ run: { ...run, points } });
  };

  const finish = (id: number): void => {
    const run = store.getState().run;
    if (run === null || run.id !== id || run.status !== 'running') return;
    const ran = run.points.flatMap((p) => (p.point ? [p.point] : []));
    store.setState({ run: { ...run, doneAfterMs: now() - run.startedAtMs } });
    const fits: SweepDesignFit[] = [];
    const fitNext = (fitDesign: FitDesign, i: number): void => {
      const current = store.getState().run;
      if (current === null || current.id !== id) return;
      const design = run.spec.designs[i];
      if (design === undefined) {
        store.setState({ run: { ...current, status: 'done', fits } });
        return;
      }
      fits.push(fitDesign(ran, design, run.spec.param));
      defer(() => fitNext(fitDesign, i + 1));
    };
    void loadFit().then((fitDesign) => fitNext(fitDesign, 0));
  };

  function start(spec: SweepSpec, scenario: Scenario): void {
    cancel();
    const id = ++sweepId;
    const jobs = sweepJobs(spec, scenario);
    const points: SweepPointState[] = jobs.map((job) => {
      const refusal = checkRunCost(job.scenario);
      return refusal === null
        ? { value: job.value, design: job.design, status: 'queued', fraction: 0, point: null }
        : {
            value: job.value,
            design: job.design,
            status: 'refused',
            fraction: 0,
            point: pointNotRun(job.value, job.design, 'refused', refusal),
          };
    });
    store.setState({
      run: {
        id,
        spec,
        scenario,
        status: 'running',
        points,
        fits: null,
        startedAtMs: now(),
        doneAfterMs: null,
      },
    });
    const queue = points.flatMap((p, index) => (p.status === 'queued' ? [index] : []));
    let active = 0;
    const pump = (client: PointClient): void => {
      if (id !== sweepId) return;
      const index = queue.shift();
      if (index === undefined) {
        if (active === 0) finish(id);
        return;
      }
      const job = jobs[index]!;
      active++;
      updatePoint(id, index, { status: 'running' });
      let lastProgressMs = -Infinity;
      void client
        .run(job.scenario, job.design, (fraction) => {
          const t = now();
          if (t - lastProgressMs < PROGRESS_INTERVAL_MS) return;
          lastProgressMs = t;
          updatePoint(id, index, { fraction });
        })
        .then((outcome) => {
          active--;
          if (id !== sweepId) return;
          if (outcome.kind === 'done') {
            const point = pointFromResult(job.scenario, job.value, job.design, outcome.result);
            updatePoint(id, index, { status: 'done', fraction: 1, point });
          } else if (outcome.kind === 'cancelled') {
            updatePoint(id, index, { status: 'cancelled' });
          } else {
            const point = pointNotRun(job.value, job.design, outcome.kind, outcome.message);
            updatePoint(id, index, { status: outcome.kind, point });
          }
          pump(client);
        });
    };
    if (queue.length === 0) {
      finish(id);
      return;
    }
    while (clients.length < Math.min(poolSize, queue.length)) clients.push(options.createClient());
    for (const client of clients.slice(0, Math.min(poolSize, queue.length))) pump(client);
  }

  function cancel(): void {
    const run = store.getState().run;
    sweepId++;
    for (const client of clients) client.cancel();
    if (run !== null && run.status === 'running') {
      const points = run.points.map((p) =>
        p.status === 'queued' || p.status === 'running'
          ? { ...p, status: 'cancelled' as const }
          : p,
      );
      store.setState({
        run: { ...run, points, status: 'cancelled', doneAfterMs: now() - run.startedAtMs },
      });
    }
  }

  function dispose(): void {
    cancel();
    for (const client of clients) client.dispose();
    clients.length = 0;
  }

  return { store, start, cancel, dispose };
}
