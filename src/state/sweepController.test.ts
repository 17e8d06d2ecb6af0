/** The page's sweep: the worker's own runner in process, a pool, the budget, cancel, the fit. */
import { describe, expect, it } from 'vitest';
import type { DesignId } from '../engine/types.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { defaultSweep, sweepScenario } from '../scenario/sweep.ts';
import { checkRunSize, createSimulation } from '../sim/simulation.ts';
import { createRunner } from '../worker/runner.ts';
import type { PointClient, PointOutcome } from '../worker/pointClient.ts';
import { createSweepController, type SweepState } from './sweepController.ts';

/** A point client over the worker's runner, in this process: what the page's workers run. */
function runnerClient(log: string[]): PointClient {
  const runner = createRunner({
    createSimulation: (scenario, design) => createSimulation(scenario, design),
    checkRunSize,
    now: () => performance.now(),
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
  });
  let runId = 0;
  return {
    run: (scenario, design, onProgress) =>
      new Promise<PointOutcome>((resolve) => {
        log.push(`${design}@${scenario.cpus}`);
        void runner
          .run({ runId: ++runId, lane: 'A', scenario, design }, (message) => {
            if (message.kind === 'progress') onProgress(message.progress.fraction);
            else if (message.kind === 'done') resolve({ kind: 'done', result: message.result });
            else resolve({ kind: message.kind, message: message.message });
          })
          .then((outcome) => {
            if (outcome === 'cancelled') resolve({ kind: 'cancelled' });
          });
      }),
    cancel: () => runner.cancel(),
    dispose: () => runner.cancel(),
  };
}

function settled(store: { getState(): SweepState; subscribe(f: () => void): () => void }) {
  return new Promise<void>((resolve) => {
    const check = () => {
      const status = store.getState().run?.status;
      if (status === 'done' || status === 'cancelled') resolve();
    };
    store.subscribe(check);
    check();
  });
}

const SMALL: Scenario = {
  ...DEFAULT_SCENARIO,
  thread: { repeat: 2, breakpoints: 2, parallelism: 4, threads: 4 },
};

describe('the sweep controller', () => {
  it('gives each point the number a direct run gives, on a pool of two, and fits each design', async () => {
    const log: string[] = [];
    const controller = createSweepController({
      createClient: () => runnerClient(log),
      poolSize: 2,
      defer: (task) => task(),
    });
    const spec = {
      ...defaultSweep('cpus', ['list', 'final'] as DesignId[]),
      from: 8,
      to: 64,
      points: 4,
    };
    controller.start(spec, SMALL);
    await settled(controller.store);
    const run = controller.store.getState().run!;
    expect(run.status).toBe('done');
    expect(run.points.map((p) => `${p.design}@${p.value}:${p.status}`)).toEqual([
      'list@8:done',
      'final@8:done',
      'list@16:done',
      'final@16:done',
      'list@32:done',
      'final@32:done',
      'list@64:done',
      'final@64:done',
    ]);
    for (const p of run.points) {
      const sim = createSimulation(sweepScenario(SMALL, 'cpus', p.value), p.design);
      while (!sim.advance(100_000).done) {
        // to the end
      }
      expect(p.point?.usecsPerOp).toBe(sim.result().usecsPerOp);
    }
    expect(log).toHaveLength(8);
    expect(run.fits?.map((f) => f.design)).toEqual(['list', 'final']);
    expect(run.fits?.every((f) => f.fit !== null)).toBe(true);
    controller.dispose();
  }, 60_000);

  it("refuses points over the page's budget without running them", async () => {
    const log: string[] = [];
    const controller = createSweepController({
      createClient: () => runnerClient(log),
      poolSize: 1,
    });
    const big: Scenario = { ...SMALL, thread: { ...SMALL.thread, repeat: 100_000, threads: 4096 } };
    controller.start({ ...defaultSweep('cpus', ['final']), from: 16, to: 32, points: 2 }, big);
    await settled(controller.store);
    const run = controller.store.getState().run!;
    expect(run.points.map((p) => p.status)).toEqual(['refused', 'refused']);
    expect(run.points[0]?.point?.message).toMatch(/the page's budget/);
    expect(log).toEqual([]);
    controller.dispose();
  });

  it('cancels the points in flight and the queue, keeping what ran', async () => {
    let cancels = 0;
    const pending: Array<(o: PointOutcome) => void> = [];
    const client: PointClient = {
      run: () => new Promise((resolve) => pending.push(resolve)),
      cancel: () => {
        cancels++;
        for (const resolve of pending.splice(0)) resolve({ kind: 'cancelled' });
      },
      dispose: () => undefined,
    };
    const controller = createSweepController({ createClient: () => client, poolSize: 1 });
    controller.start({ ...defaultSweep('cpus', ['final']), from: 16, to: 64, points: 3 }, SMALL);
    expect(controller.store.getState().run?.points.map((p) => p.status)).toEqual([
      'running',
      'queued',
      'queued',
    ]);
    controller.cancel();
    const run = controller.store.getState().run!;
    expect(run.status).toBe('cancelled');
    expect(run.points.map((p) => p.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(cancels).toBe(1);
    await Promise.resolve();
    expect(pending).toEqual([]);
  });
});
