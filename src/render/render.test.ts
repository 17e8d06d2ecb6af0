import { describe, expect, it } from 'vitest';
import { tinySamples } from '../derive/fixtures.ts';
import { gridLayout } from '../derive/grid.ts';
import { waiterSeries } from '../derive/locks.ts';
import { cpuDetails, paintCpuGrid, slotsUsed, type GridPaint } from './cpuGrid.ts';
import { occupancyLut, stateLut } from './palette.ts';
import { decimate, niceSpanNs, waiterPaths } from './timeSeries.ts';
import { timelineHit, timelineLayout, timeTicks } from './timeline.ts';

function paintOf(overrides: Partial<GridPaint> = {}): GridPaint {
  return {
    layout: gridLayout(2, 20),
    samples: tinySamples(),
    frame: 1,
    mode: 'states',
    slots: 4,
    stateColors: stateLut('light'),
    occupancyColors: occupancyLut(4),
    background: [255, 255, 255],
    mark: [0, 0, 0],
    ...overrides,
  };
}

function pixel(pixels: Uint8ClampedArray, widthPx: number, x: number, y: number): number[] {
  const at = (y * widthPx + x) * 4;
  return Array.from(pixels.subarray(at, at + 4));
}

describe('cpu grid painter', () => {
  it('colours each cell by its CPU’s dominant state, hatching spin states', () => {
    const paint = paintOf();
    const { widthPx, heightPx, pitchPx } = paint.layout;
    expect([widthPx, heightPx, pitchPx]).toEqual([20, 10, 10]);
    const pixels = new Uint8ClampedArray(widthPx * heightPx * 4);
    paintCpuGrid(pixels, paint);
    // Frame 1: CPU 0 is osqSpin (3, hatched), CPU 1 is ownerSpin (4, hatched).
    const osq = stateLut('light')[3]!;
    expect(pixel(pixels, widthPx, 1, 0)).toEqual([...osq, 255]);
    expect(pixel(pixels, widthPx, 0, 0)).toEqual([...osq.map((c) => Math.round(c * 0.55)), 255]);
    // The gap column between cells keeps the background.
    expect(pixel(pixels, widthPx, 9, 3)).toEqual([255, 255, 255, 255]);
    const owner = stateLut('light')[4]!;
    expect(pixel(pixels, widthPx, 11, 0)).toEqual([...owner, 255]);
  });

  it('in slot mode colours by slots used and marks ENOSPC CPUs', () => {
    const paint = paintOf({ mode: 'slots', frame: 2 });
    const pixels = new Uint8ClampedArray(paint.layout.widthPx * paint.layout.heightPx * 4);
    paintCpuGrid(pixels, paint);
    expect(slotsUsed(paint.samples, 2, 0)).toBe(4);
    expect(slotsUsed(paint.samples, 2, 1)).toBe(3);
    // CPU 0 had an ENOSPC: its top-left corner is the mark colour.
    expect(pixel(pixels, 20, 0, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(pixels, 20, 8, 8)).toEqual([...occupancyLut(4)[4]!, 255]);
    // CPU 1 holds 2 CPU-bound slots of 4: the bottom half of its cell is the darker band.
    const three = occupancyLut(4)[3]!;
    expect(pixel(pixels, 20, 18, 1)).toEqual([...three, 255]);
    expect(pixel(pixels, 20, 18, 8)).toEqual([...three.map((c) => Math.round(c * 0.55)), 255]);
  });

  it('tells a CPU’s numbers for the tooltip', () => {
    expect(cpuDetails(tinySamples(), 2, 0)).toEqual({
      cpu: 0,
      state: 'lockSleep',
      pools: [{ cpuBound: 0, taskMax: 4 }],
      enospc: 1,
    });
  });
});

describe('palette', () => {
  it('spreads cividis over 0..slots slots used, as RGB triples', () => {
    expect(occupancyLut(4)).toEqual([
      [0, 32, 81],
      [60, 77, 110],
      [127, 124, 117],
      [187, 175, 113],
      [253, 234, 69],
    ]);
  });
});

describe('waiters chart', () => {
  it('stacks sleeping on spinning on one scale', () => {
    const points = waiterSeries(tinySamples());
    const paths = waiterPaths(points, 200, 100, 40);
    expect(paths.maxWaiters).toBe(4);
    expect(paths.spinning).toBe('M0,40L50,20L100,30L100,40L50,40L0,40Z');
    expect(paths.sleeping).toBe('M0,40L50,10L100,0L100,30L50,20L0,40Z');
  });
});

describe('waiters chart data', () => {
  it('keeps one point per pixel column, the peak', () => {
    const points = [0, 1, 2, 3, 4, 5].map((i) => ({ atNs: i * 10, spinning: i % 3, sleeping: 0 }));
    expect(decimate(points, 60, 3).map((p) => p.atNs)).toEqual([10, 20, 50]);
    expect(decimate(points, 60, 10)).toBe(points);
  });
  it('rounds the time axis up to a nice bound', () => {
    expect(niceSpanNs(236e9)).toBe(250e9);
    expect(niceSpanNs(67.3e6)).toBe(80e6);
  });
});

describe('timeline layout', () => {
  it('keeps the same height whatever the number of lock tracks, so nothing below moves', () => {
    const heights = [1, 2, 3].map(
      (n) => timelineLayout(256, n, 800, 1, { showRows: false, blockFrom: 0 }).heightPx,
    );
    expect(new Set(heights).size).toBe(1);
    const one = timelineLayout(256, 1, 800, 2, { showRows: false, blockFrom: 0 });
    // 256 CPUs: a row each, a device pixel per CPU at least.
    expect(one.rows?.cpuCount).toBe(256);
    expect(one.rows?.h).toBeGreaterThanOrEqual(256);
    const big = timelineLayout(4096, 1, 800, 1, { showRows: true, blockFrom: 512 });
    expect(big.density).not.toBeNull();
    expect(big.rows).toMatchObject({ cpuFrom: 512, cpuCount: 256 });
  });
});

describe('timeline axis and hit test', () => {
  it('labels absolute times, and offsets from the start once zoomed far in', () => {
    const whole = timeTicks(0, 244e9, 5);
    expect(whole.origin).toBeNull();
    expect(whole.ticks.map((t) => t.label)).toContain('100 s');
    const zoomed = timeTicks(122e9, 122e9 + 120e6, 5);
    expect(zoomed.origin).toBe(122e9);
    // Every offset in one unit (ms here), at round values of it.
    expect(zoomed.ticks.map((t) => t.label)).toEqual([
      '+0 ms',
      '+20 ms',
      '+40 ms',
      '+60 ms',
      '+80 ms',
      '+100 ms',
      '+120 ms',
    ]);
  });

  it('finds the CPU and the bin under a point', () => {
    const layout = timelineLayout(4, 1, 400, 1, { showRows: false, blockFrom: 0 });
    const rows = layout.rows;
    if (!rows) throw new Error('no rows');
    const hit = timelineHit(
      layout,
      100,
      layout.plotX + layout.plotWidthPx / 2,
      rows.y + rows.h - 1,
    );
    expect(hit).toEqual({ kind: 'cpu', cpu: 3, bin: 50 });
    const lock = layout.locks[0];
    expect(timelineHit(layout, 100, layout.plotX, (lock?.waitersY ?? 0) + 1)).toMatchObject({
      kind: 'lock',
      part: 'waiters',
      bin: 0,
    });
    expect(timelineHit(layout, 100, 0, rows.y)).toBeNull();
  });
});
