import { describe, expect, it } from 'vitest';
import { logSliderPosition, logSliderStops } from './logSlider.ts';

describe('log slider', () => {
  it('spreads its stops on a log scale from min to max', () => {
    expect(logSliderStops(1, 64, 8)).toEqual([1, 2, 3, 5, 8, 13, 23, 38, 64]);
    const cpus = logSliderStops(1, 4096);
    expect(cpus.slice(0, 4)).toEqual([1, 2, 3, 4]);
    expect(cpus[cpus.length - 1]).toBe(4096);
  });

  it('changes the value by at least 1 at every step, from every stop', () => {
    for (const [min, max] of [
      [1, 4096],
      [1, 100_000],
      [0, 65_536],
      [1, 600_000],
    ] as const) {
      const stops = logSliderStops(min, max);
      expect(stops[0]).toBe(min);
      expect(stops[stops.length - 1]).toBe(max);
      stops
        .slice(1)
        .forEach((value, i) => expect(value - (stops[i] ?? value)).toBeGreaterThanOrEqual(1));
    }
  });

  it('shows a typed value between two stops at the next one up, so both arrows move it', () => {
    const stops = logSliderStops(1, 4096);
    const at = logSliderPosition(stops, 1000);
    expect(stops[at - 1]).toBeLessThan(1000);
    expect(stops[at]).toBeGreaterThanOrEqual(1000);
    expect(logSliderPosition(stops, 1)).toBe(0);
    expect(logSliderPosition(stops, 1)).not.toBe(logSliderPosition(stops, 2));
    expect(logSliderPosition(stops, 4096)).toBe(stops.length - 1);
  });

  it('keeps a range that is a single value', () => {
    expect(logSliderStops(8, 8)).toEqual([8]);
  });
});
