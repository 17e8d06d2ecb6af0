import { describe, expect, it } from 'vitest';
import type { DesignSpec } from '../engine/spec.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import type { RunMessage } from './protocol.ts';
import { sampleBuffers } from './protocol.ts';
import type { SampleColumns } from '../sim/types.ts';
import { createRunner, finishesWithin, nextSliceEvents } from './runner.ts';
import { realRunner, scriptedSimulation } from './testSimulation.ts';

function makeRunner(totalEvents: number, refusal: string | null = null) {
  const clock = { ms: 0 };
  const created: Array<{ scenario: Scenario; design: DesignSpec; keepTimeline: boolean }> = [];
  const runner = createRunner({
    createSimulation: (scenario, design, keepTimeline) => {
      created.push({ scenario, design, keepTimeline });
      return scriptedSimulation(totalEvents, clock);
    },
    checkRunSize: () => refusal,
    now: () => clock.ms,
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
  });
  return { runner, created };
}

describe('worker runner', () => {
  it('streams progress with snapshots and ends with the result', async () => {
    const { runner, created } = makeRunner(500_000);
    const messages: RunMessage[] = [];
    const outcome = await runner.run(
      { runId: 7, lane: 'A', scenario: DEFAULT_SCENARIO, design: 'final' },
      (m) => messages.push(m),
    );
    expect(outcome).toBe('done');
    // The run records no timeline summary: that is a second run's, after the result.
    expect(created[0]).toEqual({
      scenario: DEFAULT_SCENARIO,
      design: 'final',
      keepTimeline: false,
    });
    expect(messages.every((m) => m.runId === 7)).toBe(true);
    const last = messages.at(-1);
    expect(last?.kind).toBe('done');
    if (last?.kind === 'done') expect(last.result.totalTimeNs).toBe(5_000_000);
    const first = messages[0];
    expect(first?.kind === 'progress' && first.samples !== null).toBe(true);
    const fractions = messages.flatMap((m) => (m.kind === 'progress' ? [m.progress.fraction] : []));
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('a new run cancels the one in flight, which sends nothing more', async () => {
    const { runner } = makeRunner(50_000_000);
    const firstMessages: RunMessage[] = [];
    const first = runner.run(
      { runId: 1, lane: 'A', scenario: DEFAULT_SCENARIO, design: 'list' },
      (m) => firstMessages.push(m),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    const countAtCancel = firstMessages.length;
    const second = runner.run(
      { runId: 2, lane: 'A', scenario: DEFAULT_SCENARIO, design: 'list' },
      () => undefined,
    );
    expect(await first).toBe('cancelled');
    expect(firstMessages.length).toBeLessThanOrEqual(countAtCancel + 1);
    expect(firstMessages.some((m) => m.kind === 'done')).toBe(false);
    runner.cancel();
    expect(await second).toBe('cancelled');
  });

  it('runs two lanes side by side, slice by slice, and cancels per lane', async () => {
    const { runner } = makeRunner(200_000);
    const order: string[] = [];
    const a = runner.run({ runId: 1, lane: 'A', scenario: DEFAULT_SCENARIO, design: 'list' }, (m) =>
      order.push(`A${m.kind}`),
    );
    const b = runner.run(
      { runId: 1, lane: 'B', scenario: DEFAULT_SCENARIO, design: 'final' },
      (m) => order.push(`B${m.kind}`),
    );
    expect(await Promise.all([a, b])).toEqual(['done', 'done']);
    // Both progressed before either finished: the lanes took turns.
    const firstDone = order.findIndex((m) => m.endsWith('done'));
    expect(order.slice(0, firstDone).some((m) => m.startsWith('A'))).toBe(true);
    expect(order.slice(0, firstDone).some((m) => m.startsWith('B'))).toBe(true);

    const long = makeRunner(50_000_000).runner;
    const keptB = long.run(
      { runId: 2, lane: 'B', scenario: DEFAULT_SCENARIO, design: 'final' },
      () => undefined,
    );
    const replacedA = long.run(
      { runId: 2, lane: 'A', scenario: DEFAULT_SCENARIO, design: 'list' },
      () => undefined,
    );
    const newA = long.run(
      { runId: 3, lane: 'A', scenario: DEFAULT_SCENARIO, design: 'list' },
      () => undefined,
    );
    let keptBSettled = false;
    void keptB.then(() => (keptBSettled = true));
    expect(await replacedA).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(keptBSettled).toBe(false);
    long.cancel();
    expect(await Promise.all([keptB, newA])).toEqual(['cancelled', 'cancelled']);
  });

  it('refuses a run that checkRunSize rejects, without creating it', async () => {
    const { runner, created } = makeRunner(10, 'too big: try 1024 CPUs');
    const messages: RunMessage[] = [];
    expect(
      await runner.run({ runId: 3, lane: 'A', scenario: DEFAULT_SCENARIO, design: 'list' }, (m) =>
        messages.push(m),
      ),
    ).toBe('refused');
    expect(created).toEqual([]);
    expect(messages).toEqual([{ kind: 'refused', runId: 3, message: 'too big: try 1024 CPUs' }]);
  });

  it('reports a simulator exception as a failed run', async () => {
    const runner = createRunner({
      createSimulation: () => {
        throw new Error('invalid cpus: 0 (1..4096)');
      },
      checkRunSize: () => null,
      now: () => 0,
      yieldToEventLoop: () => Promise.resolve(),
    });
    const messages: RunMessage[] = [];
    expect(
      await runner.run({ runId: 4, lane: 'A', scenario: DEFAULT_SCENARIO, design: 'list' }, (m) =>
        messages.push(m),
      ),
    ).toBe('failed');
    expect(messages).toEqual([{ kind: 'failed', runId: 4, message: 'invalid cpus: 0 (1..4096)' }]);
  });

  it('never waits for the page: a page that has not applied a snapshot gets no other', async () => {
    const { runner } = makeRunner(20_000_000);
    const messages: RunMessage[] = [];
    const outcome = await runner.run(
      { runId: 8, lane: 'A', scenario: DEFAULT_SCENARIO, design: 'list' },
      (m) => {
        messages.push(m);
        // A hidden page: snapshots are never applied.
        return m.kind === 'progress' && m.samples !== null
          ? new Promise<void>(() => undefined)
          : undefined;
      },
    );
    expect(outcome).toBe('done');
    const snapshots = messages.filter((m) => m.kind === 'progress' && m.samples !== null);
    expect(snapshots).toHaveLength(1);
    const last = messages.at(-1);
    expect(last?.kind).toBe('done');
    if (last?.kind === 'done') {
      expect(last.timing.snapshots).toBe(2);
      expect(last.timing.snapshotsHeld).toBeGreaterThan(0);
      expect(last.timing.simMs).toBeCloseTo(20_000, 0);
    }
  });

  it('skips a snapshot when the run is about to end', () => {
    const progress = (fraction: number) => ({ fraction, simulatedNs: 0, done: false });
    expect(finishesWithin(progress(0.9), 900, 250)).toBe(true);
    expect(finishesWithin(progress(0.5), 900, 250)).toBe(false);
    expect(finishesWithin(progress(0), 10, 250)).toBe(false);
  });

  it('sizes slices toward the target, within 4x per step', () => {
    expect(nextSliceEvents(1000, 12)).toBe(1000);
    expect(nextSliceEvents(1000, 1)).toBe(4000);
    expect(nextSliceEvents(1000, 240)).toBe(250);
    expect(nextSliceEvents(100, 1000)).toBe(200);
  });

  it('lists each typed array buffer once for transfer', () => {
    const shared = new Uint8Array(8);
    const samples = {
      cpus: 1,
      cpuState: shared,
      cpuPinned: shared.subarray(0, 4),
      spinWaiters: new Float32Array(2),
    } as unknown as SampleColumns;
    expect(sampleBuffers(samples)).toEqual([shared.buffer, samples.spinWaiters.buffer]);
  });
});

describe('worker runner: the timeline of a finished run', () => {
  const scenario: Scenario = {
    ...DEFAULT_SCENARIO,
    cpus: 8,
    thread: { repeat: 1, breakpoints: 4, parallelism: 2, threads: 4 },
  };
  it('answers from the summary, re-simulates for a finer window, and forgets a superseded run', async () => {
    const runner = realRunner();
    let endNs = 0;
    await runner.run({ runId: 1, lane: 'A', scenario, design: 'list' }, (m) => {
      if (m.kind === 'done') endNs = m.result.endNs;
    });
    // 10 bins over the 253 µs run: each wider than the summary's 16 µs frames.
    const request = { fromNs: 0, toNs: endNs, bins: 10, cpuFrom: 0, cpuCount: 8 };
    const coarse = await runner.timeline('A', 1, request);
    expect(coarse?.exact).toBe(false);
    expect(coarse?.cpuState.length).toBe(8 * 10);
    // 50 ns bins are finer than any summary frame: real events.
    const fine = await runner.timeline('A', 1, { ...request, toNs: 50 * 50, fromNs: 0 });
    expect(fine?.exact).toBe(true);
    expect(fine?.spans?.count).toBeGreaterThan(0);
    const summaryOnly = await runner.timeline('A', 1, { ...request, toNs: 2500, exact: false });
    expect(summaryOnly?.exact).toBe(false);
    // The trace export asks for real events whatever the bins.
    const always = await runner.timeline('A', 1, { ...request, exact: 'always' });
    expect(always?.exact).toBe(true);
    expect(always?.locks[0]?.slices.count).toBeGreaterThan(0);
    expect(await runner.timeline('A', 2, request)).toBeNull();
    expect(await runner.timeline('B', 1, request)).toBeNull();
    await expect(runner.timeline('A', 1, { ...request, bins: 0 })).rejects.toThrow(/bins 0/);
    await runner.run({ runId: 3, lane: 'A', scenario, design: 'final' }, () => undefined);
    expect(await runner.timeline('A', 1, request)).toBeNull();
    expect((await runner.timeline('A', 3, request))?.locks[0]?.lock).toBe('bp_cpuinfo_sem');
  });

  it('records the summary after the result, once no run is going; a request waits for it', async () => {
    const made: boolean[] = [];
    let resultAt = -1;
    const runner = realRunner({ made });
    let endNs = 0;
    // B's run goes on while A's has finished: A's summary waits for it.
    const a = runner.run({ runId: 1, lane: 'A', scenario, design: 'final' }, (m) => {
      if (m.kind === 'done') endNs = m.result.endNs;
    });
    const b = runner.run({ runId: 1, lane: 'B', scenario, design: 'list' }, (m) => {
      if (m.kind === 'done') resultAt = made.length;
    });
    await a;
    const request = { fromNs: 0, toNs: endNs, bins: 10, cpuFrom: 0, cpuCount: 8 };
    const window = runner.timeline('A', 1, request);
    await b;
    // Both runs were made without a summary, and no summary run began before B's result.
    expect(made.slice(0, 2)).toEqual([false, false]);
    expect(resultAt).toBe(2);
    expect((await window)?.exact).toBe(false);
    expect(made).toEqual([false, false, true, true]);
    // A superseded run's summary is never made, and its request answers null.
    const c = runner.run({ runId: 2, lane: 'A', scenario, design: 'list' }, () => undefined);
    expect(await runner.timeline('A', 1, request)).toBeNull();
    await c;
  });

  it("records a long run's summary as it goes (summaryAfterRun false): one run, answered at once", async () => {
    const made: boolean[] = [];
    const runner = realRunner({ made, summaryAfterRun: () => false });
    let endNs = 0;
    await runner.run({ runId: 1, lane: 'A', scenario, design: 'final' }, (m) => {
      if (m.kind === 'done') endNs = m.result.endNs;
    });
    const request = { fromNs: 0, toNs: endNs, bins: 10, cpuFrom: 0, cpuCount: 8 };
    expect((await runner.timeline('A', 1, request))?.exact).toBe(false);
    expect(made).toEqual([true]);
  });

  it("lets an export's request finish while the panel's requests supersede each other", async () => {
    const runner = realRunner();
    // Long enough (about 4,500 events) that a re-simulation takes more than its first slice.
    const longer: Scenario = {
      ...scenario,
      cpus: 32,
      thread: { repeat: 4, breakpoints: 4, parallelism: 8, threads: 16 },
    };
    let endNs = 0;
    await runner.run({ runId: 1, lane: 'A', scenario: longer, design: 'list' }, (m) => {
      if (m.kind === 'done') endNs = m.result.endNs;
    });
    // Near the run's end and narrower than a summary frame per bin: both need re-simulations.
    const fine = { fromNs: endNs * 0.9, toNs: endNs * 0.91, bins: 4096, cpuFrom: 0, cpuCount: 32 };
    const exported = runner.timeline('A', 1, { ...fine, bins: 1, exact: 'always' });
    const panelOld = runner.timeline('A', 1, fine);
    const panelNew = runner.timeline('A', 1, { ...fine, toNs: endNs * 0.92 });
    // The newer panel request stops the older one, not the export's.
    expect(await panelOld).toBeNull();
    expect((await panelNew)?.exact).toBe(true);
    expect((await exported)?.exact).toBe(true);
  });

  it('keeps no timeline for a run that asks for none (a sweep point)', async () => {
    const runner = realRunner();
    let endNs = 0;
    const request = { runId: 1, lane: 'A', scenario, design: 'final' } as const;
    await runner.run({ ...request, keepTimeline: false }, (m) => {
      if (m.kind === 'done') endNs = m.result.endNs;
    });
    const window = { fromNs: 0, toNs: endNs, bins: 50, cpuFrom: 0, cpuCount: 8 };
    expect(await runner.timeline('A', 1, window)).toBeNull();
    await runner.run({ ...request, runId: 2 }, () => undefined);
    expect(await runner.timeline('A', 2, window)).not.toBeNull();
  });
});
