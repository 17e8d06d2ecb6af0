import { describe, expect, it } from 'vitest';
import { AcquisitionLog, FrameRecorder, WaitHistogram } from './recorder.ts';
import { CPU_STATES } from './types.ts';

const state = (name: (typeof CPU_STATES)[number]) => CPU_STATES.indexOf(name);

describe('FrameRecorder', () => {
  it('shows a CPU busy for a quarter of a frame or more by its busy state, else as idle', () => {
    const r = new FrameRecorder(2, 1);
    const frameNs = r.frameNs;
    // CPU 0 spins 30% of frame 0, CPU 1 only 20%; both idle for the rest.
    r.cpuInterval(0, state('osqSpin'), 0, 0.3 * frameNs);
    r.cpuInterval(0, state('idle'), 0.3 * frameNs, 2 * frameNs);
    r.cpuInterval(1, state('osqSpin'), 0, 0.2 * frameNs);
    r.cpuInterval(1, state('idle'), 0.2 * frameNs, 2 * frameNs);
    const s = r.snapshot(2 * frameNs, new AcquisitionLog());
    expect([s.cpuState[0], s.cpuState[1]]).toEqual([state('osqSpin'), state('idle')]);
    // The time-averaged counts stay exact: 0.5 CPUs spinning in frame 0.
    expect(s.stateCpus[state('osqSpin')]).toBeCloseTo(0.5, 5);
  });

  it('merges frames instead of growing when the run outlasts them', () => {
    const r = new FrameRecorder(4, 1);
    const endNs = r.frames * r.frameNs * 8;
    for (let c = 0; c < 4; c++) r.cpuInterval(c, state('work'), 0, endNs);
    const s = r.snapshot(endNs, new AcquisitionLog());
    expect(s.frameCount).toBeLessThanOrEqual(r.frames);
    expect(s.frameCount * s.frameNs).toBeGreaterThanOrEqual(endNs);
    expect(s.stateCpus[state('work')]).toBeCloseTo(4, 5);
  });
});

describe('WaitHistogram', () => {
  it('gives quantiles within 1.1% and the exact maximum', () => {
    const h = new WaitHistogram();
    for (let i = 1; i <= 1000; i++) h.add(i * 1000);
    const q = h.quantiles();
    expect(q.p50Ns / 500_000).toBeGreaterThan(0.989);
    expect(q.p50Ns / 500_000).toBeLessThan(1.011);
    expect(q.p99Ns / 990_000).toBeGreaterThan(0.989);
    expect(q.p99Ns / 990_000).toBeLessThan(1.011);
    expect(q.maxNs).toBe(1_000_000);
  });

  it('counts zero waits as zero', () => {
    const h = new WaitHistogram();
    for (let i = 0; i < 10; i++) h.add(0);
    h.add(5000);
    expect(h.quantile(0.5)).toBe(0);
    expect(h.maxNs).toBe(5000);
  });
});

describe('AcquisitionLog', () => {
  it('keeps every k-th acquisition within its capacity', () => {
    const log = new AcquisitionLog();
    for (let i = 0; i < 100_000; i++) log.add(i, i, 1);
    expect(log.count).toBe(100_000);
    expect(log.kept).toBeLessThanOrEqual(32_768);
    expect(log.stride).toBe(4);
    expect(log.atNs[1]).toBe(4);
  });
});
