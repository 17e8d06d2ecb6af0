import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { createSimulation } from '../sim/simulation.ts';
import { CPU_STATE_COUNT, CpuState } from '../sim/cpuStates.ts';
import { NO_STATE } from '../sim/timelineTypes.ts';
import { tinySamples } from './fixtures.ts';
import { SAMPLED_LOCK_NAME, timelineFromSamples } from './timelineFromSamples.ts';
import {
  axisDomainNs,
  clampWindow,
  columnWindowNs,
  FULL_WINDOW,
  panWindow,
  windowBetween,
  windowFromNs,
  windowNs,
  zoomWindow,
} from './timelineWindow.ts';

const windowArb = fc
  .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .filter(([a, b]) => Math.abs(a - b) > 1e-6)
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

describe('timeline window maths', () => {
  it('zooming around a point keeps that point fixed when the window stays inside the run', () => {
    fc.assert(
      fc.property(
        windowArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1.01, max: 8, noNaN: true }),
        (window, at, factor) => {
          const next = zoomWindow(window, factor, at);
          const before = window[0] + at * (window[1] - window[0]);
          const after = next[0] + at * (next[1] - next[0]);
          // Zooming in never needs the clamp: the new window lies inside the old one.
          expect(after).toBeCloseTo(before, 9);
          expect(next[1] - next[0]).toBeCloseTo((window[1] - window[0]) / factor, 9);
        },
      ),
      { seed: 3 },
    );
  });

  it('zooming out past the run shows the whole run, and stays within 0..1', () => {
    expect(zoomWindow([0.4, 0.6], 0.1, 0.5)).toEqual(FULL_WINDOW);
    fc.assert(
      fc.property(windowArb, fc.double({ min: 0.05, max: 1, noNaN: true }), (window, factor) => {
        const [lo, hi] = zoomWindow(window, factor, 0.3);
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        expect(hi).toBeGreaterThan(lo);
      }),
      { seed: 4 },
    );
  });

  it('stops zooming in at the narrowest window', () => {
    const [lo, hi] = zoomWindow([0.5, 0.5 + 2e-6], 100, 0.5, 1e-6);
    expect(hi - lo).toBeCloseTo(1e-6, 12);
  });

  it('pans by a share of the window and clamps to the run', () => {
    const [lo, hi] = panWindow([0.2, 0.4], 0.5);
    expect(lo).toBeCloseTo(0.3, 12);
    expect(hi).toBeCloseTo(0.5, 12);
    expect(panWindow([0.8, 0.9], 5)).toEqual([0.9, 1]);
    const [l2, h2] = panWindow([0.05, 0.25], -1);
    expect(l2).toBe(0);
    expect(h2).toBeCloseTo(0.2, 12);
  });

  it('a brush gives the window between its ends, in either direction', () => {
    expect(windowBetween(0.7, 0.2)).toEqual([0.2, 0.7]);
    expect(clampWindow([-0.1, 0.3])).toEqual([0, 0.4]);
  });

  it('the shared axis is the longer run; own axes are each run', () => {
    expect(axisDomainNs('shared', 5, 500)).toBe(500);
    expect(axisDomainNs('own', 5, 500)).toBe(5);
    expect(windowNs([0.25, 0.5], 400)).toEqual([100, 200]);
  });
});

describe('timelineFromSamples', () => {
  it('gives each bin its frame when bins and frames line up', () => {
    const samples = tinySamples();
    const w = timelineFromSamples(samples, 300, {
      fromNs: 0,
      toNs: 300,
      bins: 3,
      cpuFrom: 0,
      cpuCount: 2,
    });
    expect(w.exact).toBe(false);
    expect(w.binNs).toBe(100);
    // cpuState of the window is per CPU track; the samples' is per frame.
    expect([...w.cpuState]).toEqual([
      CpuState.idle,
      CpuState.osqSpin,
      CpuState.lockSleep,
      CpuState.work,
      CpuState.ownerSpin,
      CpuState.idle,
    ]);
    expect([...w.cpuShare]).toEqual([255, 255, 255, 255, 255, 255]);
    expect([...(w.locks[0]?.spinning ?? [])]).toEqual([0, 2, 1]);
    expect([...(w.locks[0]?.sleeping ?? [])]).toEqual([0, 1, 3]);
    expect(w.locks[0]?.lock).toBe(SAMPLED_LOCK_NAME);
    expect(w.locks[0]?.slicesOmitted).toBe(4);
  });

  it('marks bins past the simulated time as NO_STATE', () => {
    const w = timelineFromSamples(tinySamples(), 150, {
      fromNs: 0,
      toNs: 600,
      bins: 6,
      cpuFrom: 1,
      cpuCount: 1,
    });
    // 150 ns simulated: frames 0 and 1 hold data.
    expect([...w.cpuState]).toEqual([
      CpuState.work,
      CpuState.ownerSpin,
      NO_STATE,
      NO_STATE,
      NO_STATE,
      NO_STATE,
    ]);
  });

  it('takes the majority state over the frames a bin covers, with its share', () => {
    const samples = tinySamples({
      cpuState: Uint8Array.from([
        CpuState.work,
        CpuState.idle,
        CpuState.osqSpin,
        CpuState.idle,
        CpuState.osqSpin,
        CpuState.idle,
      ]),
    });
    const w = timelineFromSamples(samples, 300, {
      fromNs: 0,
      toNs: 300,
      bins: 1,
      cpuFrom: 0,
      cpuCount: 2,
    });
    expect([...w.cpuState]).toEqual([CpuState.osqSpin, CpuState.idle]);
    expect([...w.cpuShare]).toEqual([170, 255]);
    expect(w.locks[0]?.spinning[0]).toBeCloseTo(1, 6);
  });

  it('agrees with a real run: one bin per frame reproduces cpuState and stateCpus', () => {
    const scenario: Scenario = {
      ...DEFAULT_SCENARIO,
      cpus: 8,
      thread: { ...DEFAULT_SCENARIO.thread, repeat: 2, parallelism: 4, threads: 4 },
    };
    const sim = createSimulation(scenario, 'list');
    let progress = sim.advance(1e9);
    while (!progress.done) progress = sim.advance(1e9);
    const samples = sim.samples();
    const filled = Math.ceil(progress.simulatedNs / samples.frameNs);
    const w = timelineFromSamples(samples, progress.simulatedNs, {
      fromNs: 0,
      toNs: filled * samples.frameNs,
      bins: filled,
      cpuFrom: 0,
      cpuCount: samples.cpus,
    });
    let busy = 0;
    for (let f = 0; f < filled; f++) {
      for (let c = 0; c < samples.cpus; c++) {
        const state = samples.cpuState[f * samples.cpus + c];
        expect(w.cpuState[c * filled + f]).toBe(state);
        if (state !== CpuState.idle) busy++;
      }
      for (let s = 0; s < CPU_STATE_COUNT; s++) {
        expect(w.stateCpus[f * CPU_STATE_COUNT + s]).toBeCloseTo(
          samples.stateCpus[f * CPU_STATE_COUNT + s] ?? NaN,
          5,
        );
      }
    }
    // The run did something: a test over an all-idle run would prove little.
    expect(busy).toBeGreaterThan(0);
  });
});

describe('linked windows', () => {
  it('gives each column its window in ns, and back', () => {
    const view = { timeAxis: 'shared' as const, window: [0.1, 0.2] as const };
    expect(columnWindowNs(view, { own: 50, other: 1000 })).toEqual([100, 200]);
    expect(columnWindowNs({ ...view, timeAxis: 'own' }, { own: 50, other: 1000 })).toEqual([5, 10]);
    expect(columnWindowNs({ ...view, window: null }, { own: 50, other: 1000 })).toBeNull();
    const back = windowFromNs('shared', { own: 50, other: 1000 }, 100, 200);
    expect(back?.[0]).toBeCloseTo(0.1, 12);
    expect(back?.[1]).toBeCloseTo(0.2, 12);
    expect(windowFromNs('own', { own: 50, other: 1000 }, 0, 50)).toBeNull();
  });
});
