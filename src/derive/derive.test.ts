import { describe, expect, it } from 'vitest';
import type { RunResult } from '../sim/types.ts';
import { tinySamples } from './fixtures.ts';
import { effectiveCursor, filledFrameCount, frameAtCursor, spanNs } from './frames.ts';
import { cpuAtPoint, gridLayout } from './grid.ts';
import { quantiles, waitDistribution, waiterSeries } from './locks.ts';
import { quantile } from 'd3-array';
import fc from 'fast-check';
import {
  formatNs,
  mixedResultLines,
  resultLines,
  speedupText,
  totalTimeLine,
} from './perfFormat.ts';
import { PUBLISHED_LIST_PROFILE, profileRows, publishedProfile } from './profile.ts';
import { DEFAULT_SCENARIO } from '../scenario/scenario.ts';

describe('frames', () => {
  const samples = tinySamples();
  it('counts the frames the run has reached', () => {
    expect(filledFrameCount(samples, 0)).toBe(1);
    expect(filledFrameCount(samples, 150)).toBe(2);
    expect(filledFrameCount(samples, 10_000)).toBe(3);
  });
  it('puts the cursor on a frame of the column’s own time axis', () => {
    expect(frameAtCursor(samples, 300, null)).toBe(2);
    // While streaming, the latest complete frame, not the one in progress.
    expect(frameAtCursor(samples, 250, null)).toBe(1);
    expect(frameAtCursor(samples, 300, 0)).toBe(0);
    expect(frameAtCursor(samples, 300, 0.5)).toBe(1);
    expect(frameAtCursor(samples, 300, 1)).toBe(2);
    expect(frameAtCursor(samples, 150, 1, 300)).toBe(1);
  });
  it('rests mid-run once done, follows the stream before', () => {
    expect(effectiveCursor(null, false)).toBeNull();
    expect(effectiveCursor(null, true)).toBe(0.5);
    expect(effectiveCursor(0.2, true)).toBe(0.2);
  });
  it('spans a run to its timed region once done, else to the time simulated so far', () => {
    expect(spanNs({ result: null, progress: null })).toBe(0);
    expect(spanNs({ result: null, progress: { simulatedNs: 40 } })).toBe(40);
    expect(spanNs({ result: { endNs: 90, totalTimeNs: 60 }, progress: { simulatedNs: 40 } })).toBe(
      60,
    );
    // Nothing timed (perf bench failed to open): the whole run.
    expect(spanNs({ result: { endNs: 90, totalTimeNs: 0 }, progress: null })).toBe(90);
  });
});

describe('grid layout', () => {
  it('is 16x16 at 256 CPUs and 64x64 at 4096', () => {
    expect(gridLayout(256, 300)).toMatchObject({ columns: 16, rows: 16, pitchPx: 18, gapPx: 1 });
    expect(gridLayout(4096, 300)).toMatchObject({ columns: 64, rows: 64, pitchPx: 4, gapPx: 0 });
    expect(gridLayout(5, 300)).toMatchObject({ columns: 3, rows: 2 });
  });
  it('hit-tests cells and nothing outside or past the last CPU', () => {
    const layout = gridLayout(5, 30);
    expect(layout.pitchPx).toBe(10);
    expect(cpuAtPoint(layout, 0, 0)).toBe(0);
    expect(cpuAtPoint(layout, 25, 5)).toBe(2);
    expect(cpuAtPoint(layout, 15, 15)).toBe(4);
    expect(cpuAtPoint(layout, 25, 15)).toBeNull();
    expect(cpuAtPoint(layout, -1, 0)).toBeNull();
    expect(cpuAtPoint(layout, 0, 20)).toBeNull();
  });
});

describe('locks', () => {
  it('bins waits on a log scale and marks p50, p99 and max', () => {
    const samples = tinySamples();
    const dist = waitDistribution(samples);
    expect(dist.sampled).toBe(4);
    expect(dist.uncontended).toBe(2);
    expect(dist.bins.reduce((n, b) => n + b.count, 0)).toBe(2);
    expect(dist.bins[0]?.x0Ns).toBe(1000);
    expect(dist.maxNs).toBe(1_000_000);
    expect(dist.p50Ns).toBe(500);
    expect(dist.p99Ns).toBeCloseTo(970_030);
    expect(waitDistribution(samples)).toBe(dist);
  });
  it('computes quantiles as d3-array does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e12, noNaN: true }), { minLength: 1 }),
        (xs) => {
          const { p50Ns, p99Ns } = quantiles(Float64Array.from(xs));
          expect(p50Ns).toBeCloseTo(quantile(xs, 0.5) ?? 0, 3);
          expect(p99Ns).toBeCloseTo(quantile(xs, 0.99) ?? 0, 3);
        },
      ),
      { seed: 5 },
    );
  });
  it('handles a run with no acquisitions', () => {
    const dist = waitDistribution(tinySamples({ acquisitionCount: 0 }));
    expect(dist).toMatchObject({ sampled: 0, bins: [], p50Ns: 0, maxNs: 0 });
  });
  it('stacks waiters per filled frame', () => {
    const samples = tinySamples();
    expect(waiterSeries(samples)).toEqual([
      { atNs: 0, spinning: 0, sleeping: 0 },
      { atNs: 100, spinning: 2, sleeping: 1 },
      { atNs: 200, spinning: 1, sleeping: 3 },
    ]);
    expect(waiterSeries(samples)).toBe(waiterSeries(samples));
  });
});

describe('perf bench format', () => {
  it('prints the published seed figures as perf does', () => {
    expect(totalTimeLine(236_418_805_000)).toBe('Total time: 236.418 [sec]');
    expect(totalTimeLine(67_999_999)).toBe('Total time: 0.067 [sec]');
    const result = {
      totalTimeNs: 236_418_805_000,
      usecsPerOp: 123134.794271,
      usecsPerOpPerCpu: 7880626.833333,
    } as RunResult;
    expect(resultLines(result)).toEqual([
      'Total time: 236.418 [sec]',
      '123134.794271 usecs/op',
      '7880626.833333 usecs/op/cpu',
    ]);
  });
  it('states the speedup of B over A', () => {
    expect(speedupText(236.418e9, 0.0677e9)).toBe('3,492× faster');
    expect(speedupText(100, 50)).toBe('2.00× faster');
    expect(speedupText(100, 200)).toBe('2.00× slower');
    expect(speedupText(100, 100.1)).toBe('the same');
  });
  it('formats simulated time with a unit', () => {
    expect(formatNs(236e9)).toBe('236 s');
    expect(formatNs(67.3e6)).toBe('67.3 ms');
    expect(formatNs(1500)).toBe('1.50 µs');
    expect(formatNs(0)).toBe('0 s');
    // Human units past perf's seconds: the 4096-CPU run's 181,799 s.
    expect(formatNs(181_799e9)).toBe('50.5 h');
    expect(formatNs(1200e9)).toBe('20.0 min');
    expect(formatNs(999e9)).toBe('999 s');
  });
});

describe('profile', () => {
  const profileNs = {
    osq_lock: 60,
    mutex_spin_on_owner: 30,
    toggle_bp_slot: 10,
  } as unknown as RunResult['profileNs'];
  const result = { profileNs } as RunResult;
  it('sorts symbols by share and keeps published ones beside', () => {
    const rows = profileRows(result, PUBLISHED_LIST_PROFILE);
    expect(rows.map((r) => [r.symbol, r.percent, r.publishedPercent])).toEqual([
      ['osq_lock', 60, 37.27],
      ['mutex_spin_on_owner', 30, 34.92],
      ['toggle_bp_slot', 10, 12.15],
      ['__reserve_bp_slot', 0, 11.9],
    ]);
  });
  it('shows the published profile only for the seed scenario under list', () => {
    expect(publishedProfile(DEFAULT_SCENARIO, 'list')).toBe(PUBLISHED_LIST_PROFILE);
    expect(publishedProfile(DEFAULT_SCENARIO, 'final')).toBeNull();
    expect(publishedProfile({ ...DEFAULT_SCENARIO, cpus: 512 }, 'list')).toBeNull();
  });
});

describe('mixed workload result lines', () => {
  const lock = (name: string, p99Ns: number) => ({
    lock: name,
    acquisitions: 10,
    contended: 1,
    wait: { p50Ns: 0, p99Ns, maxNs: p99Ns * 2 },
    holdTotalNs: 0,
  });
  it('name the worst accounting lock and ignore the thread lock', () => {
    const result = {
      totalTimeNs: 200e6,
      accountingOps: 4094,
      enospc: 519,
      locks: [
        lock('thread_lifecycle', 5e6),
        lock('bp_cpuinfo_sem', 19_400),
        lock('perf_event_mutex', 0),
      ],
    } as unknown as RunResult;
    expect(mixedResultLines(result)).toEqual([
      'Simulated time: 0.200 [sec]',
      '4,094 accounting operations, 519 ENOSPC',
      'bp_cpuinfo_sem wait: p99 19.4 µs, max 38.8 µs',
    ]);
  });
});
