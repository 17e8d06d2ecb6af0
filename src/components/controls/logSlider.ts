/**
 * The stops of a log-scale slider (CPUs 1..4096, tasks 1..100000): positions spread evenly on a
 * d3 log scale, rounded to integers, and kept only where the value changes, so every step of the
 * slider (an arrow key) changes the value by at least 1. Low values are dense (1, 2, 3, ...), high
 * ones coarse; the exact value of any stop between can still be typed into the number input.
 *
 * Example: 1..64 over 8 steps stops at [1, 2, 3, 5, 8, 13, 23, 38, 64]; 1..4096 over 1000 steps
 * keeps 544 stops, 1, 2, 3, ... up to ..., 4028, 4062, 4096.
 */
import { bisectLeft } from 'd3-array';
import { scaleLog } from 'd3-scale';

/** Positions of a log slider before deduplication. */
export const LOG_SLIDER_STEPS = 1000;

/** The slider's values, ascending and distinct, from `min` to `max` (a min below 1 comes first). */
export function logSliderStops(min: number, max: number, steps = LOG_SLIDER_STEPS): number[] {
  const lo = Math.max(1, min);
  const stops: number[] = min < lo ? [min] : [];
  if (max <= lo) return [...stops, Math.max(min, max)];
  const position = scaleLog().domain([lo, max]).range([0, steps]);
  for (let step = 0; step <= steps; step++) {
    const rounded = Math.min(max, Math.round(position.invert(step)));
    if (stops.length === 0 || rounded > (stops[stops.length - 1] ?? -Infinity)) {
      stops.push(rounded);
    }
  }
  return stops;
}

/** The slider position showing `value`: its stop, or the next one up when it lies between two. */
export function logSliderPosition(stops: readonly number[], value: number): number {
  return Math.min(stops.length - 1, bisectLeft(stops, value));
}
