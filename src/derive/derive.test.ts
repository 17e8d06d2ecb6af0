import { describe, expect, it } from 'vitest';
import { tinySamples } from './fixtures.ts';
import { effectiveCursor, filledFrameCount, frameAtCursor, spanNs } from './frames.ts';
import { cpuAtPoint, gridLayout } from './grid.ts';
import { quantiles, waitDistribution, waiterSeries } from './locks.ts';
import { quantile } from 'd3-array';
import fc from 'fast-check';

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
