import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO } from '../scenario/scenario.ts';
import { closedQueueThroughput, listQueuePrediction } from './queueModel.ts';

describe('the closed single-server queue', () => {
  it('gives one client 1/(s + Z) and many clients the server rate 1/s', () => {
    expect(closedQueueThroughput(10, 30, 1)).toBeCloseTo(1 / 40, 12);
    expect(closedQueueThroughput(10, 30, 1000)).toBeCloseTo(1 / 10, 9);
    // Two clients, by hand: R1 = 10, X1 = 1/40, Q1 = 0.25; R2 = 12.5, X2 = 2/42.5.
    expect(closedQueueThroughput(10, 30, 2)).toBeCloseTo(2 / 42.5, 12);
  });

  it("predicts list's seed run from s = call + listNodeNs·1.5·C·L, saturated", () => {
    const p = listQueuePrediction(DEFAULT_SCENARIO)!;
    // L = 4·(1 + 64 + 30·64/2) = 4,100 breakpoints; s = 100 + 12·1.5·256·4,100 ns.
    expect(p.listLength).toBe(4100);
    expect(p.serviceNs).toBe(100 + 12 * 1.5 * 256 * 4100);
    expect(p.clients).toBe(30);
    expect(p.utilisation).toBeCloseTo(1, 6);
    // Saturated: 2·4·(64 + 30·64) operations of s each, per R·T = 1,920 threads.
    expect(p.usecsPerOp).toBeCloseTo((8 * 1984 * p.serviceNs) / 1e3 / 1920, 0);
    // Twice the CPUs, twice the walk.
    const doubled = listQueuePrediction({ ...DEFAULT_SCENARIO, cpus: 512 })!;
    expect(doubled.usecsPerOp / p.usecsPerOp).toBeCloseTo(2, 3);
  });

  it('has nothing to say of the mixed workload or of runs without breakpoints', () => {
    expect(listQueuePrediction({ ...DEFAULT_SCENARIO, workload: 'mixed' })).toBeNull();
    const noBps = { ...DEFAULT_SCENARIO.thread, breakpoints: 0 };
    expect(listQueuePrediction({ ...DEFAULT_SCENARIO, thread: noBps })).toBeNull();
  });
});
