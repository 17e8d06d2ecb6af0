import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import type { RunResult, SampleColumns } from '../sim/types.ts';
import type { ColumnRequest, RunListener, SimClient } from '../worker/client.ts';
import type { RunTiming } from '../worker/protocol.ts';
import { memoryHistory } from './history.ts';
import { PRESETS } from './presets.ts';
import { startRunController } from './runController.ts';
import { createRunStore } from './runStore.ts';
import { createScenarioStore } from './scenarioStore.ts';

const heavier = PRESETS.find((p) => p.id === 'heavier')!;
const samples = { cpus: 256 } as unknown as SampleColumns;
const result = { totalTimeNs: 67_000_000 } as unknown as RunResult;

describe('scenario store', () => {
  it('loads from the URL and lists its corrections until dismissed', () => {
    const store = createScenarioStore(memoryHistory('cpus=0&da=rwsem&v=99'));
    const state = store.getState();
    expect(state.scenario.cpus).toBe(1);
    expect(state.view.designA).toBe('rwsem');
    expect(state.corrections).toEqual(['cpus: 0 → 1 (1..4096)']);
    expect(state.newerVersion).toBe(true);
    state.dismissNotices();
    expect(store.getState().corrections).toEqual([]);
    expect(store.getState().newerVersion).toBe(false);
  });

  it('follows edits with replaceState and presets with pushState', () => {
    const history = memoryHistory('');
    const store = createScenarioStore(history);
    store.getState().updateScenario((s) => ({ ...s, cpus: 512 }));
    store.getState().updateScenario((s) => ({ ...s, cpus: 1024 }));
    expect(history.entries).toEqual(['v=1&cpus=1024']);
    store.getState().applyPreset(heavier);
    expect(history.entries).toEqual(['v=1&cpus=1024', 'v=1&r=100&p=128&t=512']);
    expect(store.getState().scenario.thread).toEqual({
      repeat: 100,
      breakpoints: 4,
      parallelism: 128,
      threads: 512,
    });
  });

  it('keeps the cursor out of the URL while playing, clamps it, and resets it on edits', () => {
    const history = memoryHistory('');
    const store = createScenarioStore(history);
    store.getState().updateView({ cursor: 0.25 }, { writeUrl: false });
    expect(history.entries).toEqual(['']);
    store.getState().updateView({ cursor: 1.7 });
    expect(store.getState().view.cursor).toBe(1);
    expect(history.entries).toEqual(['v=1&at=1']);
    store.getState().updateScenario((s) => ({ ...s, slots: 8 }));
    expect(store.getState().view.cursor).toBeNull();
    expect(store.getState().query()).toBe('v=1&slots=8');
  });

  it('reloads on Back', () => {
    const history = memoryHistory('cpus=64');
    const store = createScenarioStore(history);
    history.push('cpus=128');
    store.getState().loadFromUrl();
    expect(store.getState().scenario.cpus).toBe(128);
  });
});

describe('run store', () => {
  it('applies only the current run’s messages, in order', () => {
    const store = createRunStore({ A: 'list', B: 'final' }, DEFAULT_SCENARIO);
    store.getState().started(5, DEFAULT_SCENARIO, { A: 'list', B: 'final' }, 1000);
    const progress = { fraction: 0.5, simulatedNs: 10, done: false };
    store.getState().received(
      [
        ['A', { kind: 'progress', runId: 4, progress, samples }],
        ['A', { kind: 'progress', runId: 5, progress, samples }],
        ['B', { kind: 'progress', runId: 5, progress, samples: null }],
        [
          'B',
          {
            kind: 'done',
            runId: 5,
            progress: { ...progress, done: true },
            samples,
            result,
            elapsedMs: 3,
            timing: {} as RunTiming,
          },
        ],
      ],
      1040,
    );
    const { A, B } = store.getState().columns;
    expect(A.status).toBe('running');
    expect(A.samples).toBe(samples);
    expect(A.firstSamplesAfterMs).toBe(40);
    expect(B.status).toBe('done');
    expect(B.result).toBe(result);
    expect(B.doneAfterMs).toBe(40);
  });

  it('marks running columns cancelled and ignores later messages', () => {
    const store = createRunStore({ A: 'list', B: 'final' }, DEFAULT_SCENARIO);
    store.getState().started(1, DEFAULT_SCENARIO, { A: 'list' }, 0);
    store.getState().cancelled();
    store.getState().received([['A', { kind: 'refused', runId: 1, message: 'too big' }]], 1);
    expect(store.getState().columns.A.status).toBe('cancelled');
    expect(store.getState().columns.B.status).toBe('idle');
  });
});

describe('run controller', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function fakeClient() {
    const starts: Array<{ scenario: Scenario; columns: readonly ColumnRequest[] }> = [];
    let listener: RunListener = () => undefined;
    let cancels = 0;
    const client: SimClient = {
      start(scenario, columns, l) {
        starts.push({ scenario, columns });
        listener = l;
        return starts.length;
      },
      cancel: () => void cancels++,
      dispose: () => undefined,
    };
    return {
      client,
      starts,
      send: (...args: Parameters<RunListener>) => void listener(...args),
      cancels: () => cancels,
    };
  }

  /** A controller on fresh stores with a 100 ms debounce, fake timers and synchronous flushes. */
  function debounced() {
    vi.useFakeTimers();
    const scenarioStore = createScenarioStore(memoryHistory(''));
    const runStore = createRunStore({ A: 'list', B: 'final' }, DEFAULT_SCENARIO);
    const { client, starts } = fakeClient();
    const controller = startRunController({
      scenarioStore,
      runStore,
      client,
      debounceMs: 100,
      now: () => 0,
      scheduleFlush: (flush) => flush(),
    });
    return { scenarioStore, runStore, starts, controller };
  }

  it('starts both columns at once, then debounces edits so the latest wins', () => {
    const { scenarioStore, starts, controller } = debounced();
    expect(starts.map((s) => s.columns)).toEqual([
      [
        { column: 'A', design: 'list' },
        { column: 'B', design: 'final' },
      ],
    ]);
    for (const cpus of [300, 400, 500]) {
      scenarioStore.getState().updateScenario((s) => ({ ...s, cpus }));
      vi.advanceTimersByTime(50);
    }
    expect(starts).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(starts).toHaveLength(2);
    expect(starts[1]?.scenario.cpus).toBe(500);
    // A design change restarts only its column.
    scenarioStore.getState().updateView({ designB: 'ideal' });
    vi.advanceTimersByTime(100);
    expect(starts[2]?.columns).toEqual([{ column: 'B', design: 'ideal' }]);
    // The cursor is not a reason to run.
    scenarioStore.getState().updateView({ cursor: 0.5 });
    vi.advanceTimersByTime(100);
    expect(starts).toHaveLength(3);
    controller.stop();
  });

  it('gives each run the scenario it ran, whatever the controls say since', () => {
    const { scenarioStore, runStore, controller } = debounced();
    const first = runStore.getState().columns.A;
    expect(first.scenario).toBe(scenarioStore.getState().scenario);
    scenarioStore.getState().updateScenario((s) => ({ ...s, cpus: 64 }));
    // Until the debounced run starts, the columns still show (and describe) the previous run.
    expect(runStore.getState().columns.A.scenario.cpus).toBe(DEFAULT_SCENARIO.cpus);
    vi.advanceTimersByTime(100);
    expect(runStore.getState().columns.A.scenario.cpus).toBe(64);
    expect(runStore.getState().columns.B.scenario.cpus).toBe(64);
    controller.stop();
  });

  it('applies progress at most every flush interval, results and first samples at once', () => {
    vi.useFakeTimers();
    const scenarioStore = createScenarioStore(memoryHistory(''));
    const runStore = createRunStore({ A: 'list', B: 'final' }, DEFAULT_SCENARIO);
    const fake = fakeClient();
    const controller = startRunController({
      scenarioStore,
      runStore,
      client: fake.client,
      now: () => Date.now(),
      scheduleFlush: (flush) => flush(),
      flushIntervalMs: 100,
    });
    const progress = (fraction: number) => ({ fraction, simulatedNs: 5, done: false });
    fake.send('A', { kind: 'progress', runId: 1, progress: progress(0.1), samples });
    expect(runStore.getState().columns.A.samples).toBe(samples);
    vi.advanceTimersByTime(10);
    fake.send('A', { kind: 'progress', runId: 1, progress: progress(0.2), samples: null });
    fake.send('B', { kind: 'progress', runId: 1, progress: progress(0.3), samples: null });
    expect(runStore.getState().columns.A.progress?.fraction).toBe(0.1);
    vi.advanceTimersByTime(90);
    expect(runStore.getState().columns.A.progress?.fraction).toBe(0.2);
    expect(runStore.getState().columns.B.progress?.fraction).toBe(0.3);
    vi.advanceTimersByTime(10);
    fake.send('B', {
      kind: 'done',
      runId: 1,
      progress: { fraction: 1, simulatedNs: 9, done: true },
      samples,
      result,
      elapsedMs: 3,
      timing: {} as RunTiming,
    });
    expect(runStore.getState().columns.B.result).toBe(result);
    controller.stop();
  });

  it('delivers worker messages to the run store and cancels on request', () => {
    const scenarioStore = createScenarioStore(memoryHistory(''));
    const runStore = createRunStore({ A: 'list', B: 'final' }, DEFAULT_SCENARIO);
    const fake = fakeClient();
    const controller = startRunController({
      scenarioStore,
      runStore,
      client: fake.client,
      now: () => 0,
      scheduleFlush: (flush) => flush(),
    });
    fake.send('A', {
      kind: 'progress',
      runId: 1,
      progress: { fraction: 0.1, simulatedNs: 5, done: false },
      samples,
    });
    expect(runStore.getState().columns.A.samples).toBe(samples);
    controller.cancel();
    expect(fake.cancels()).toBe(1);
    expect(runStore.getState().columns.A.status).toBe('cancelled');
    controller.rerun();
    expect(fake.starts).toHaveLength(2);
    expect(DEFAULT_SCENARIO).toEqual(fake.starts[1]?.scenario);
    controller.stop();
  });
});
