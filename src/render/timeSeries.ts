/**
 * The waiters chart as SVG paths: spinning and sleeping waiters stacked over simulated time
 * (d3-shape areas over d3-scale scales). Returns path strings; the component owns the SVG.
 */
import { scaleLinear } from 'd3-scale';
import { area } from 'd3-shape';
import type { WaiterPoint } from '../derive/locks.ts';
import { memoizeByObject } from '../derive/memo.ts';

export interface WaiterPaths {
  readonly spinning: string;
  readonly sleeping: string;
  readonly maxWaiters: number;
}

/**
 * At most one point per pixel column: the one with the most waiters, so peaks survive. A run has
 * up to a thousand frames; the chart is a few hundred pixels wide.
 */
export function decimate(
  points: readonly WaiterPoint[],
  spanNs: number,
  widthPx: number,
  fromNs = 0,
): readonly WaiterPoint[] {
  if (points.length <= widthPx || spanNs <= fromNs) return points;
  const kept: WaiterPoint[] = [];
  let column = -1;
  for (const p of points) {
    const at = Math.floor(((p.atNs - fromNs) / (spanNs - fromNs)) * widthPx);
    const last = kept[kept.length - 1];
    if (at !== column || !last) {
      kept.push(p);
      column = at;
    } else if (p.spinning + p.sleeping > last.spinning + last.sleeping) {
      kept[kept.length - 1] = p;
    }
  }
  return kept;
}

/** A time axis bound that changes rarely while a run streams in: the span rounded up nicely. */
export function niceSpanNs(spanNs: number): number {
  const domain = scaleLinear()
    .domain([0, Math.max(spanNs, 1)])
    .nice(4)
    .domain();
  return domain[1] ?? Math.max(spanNs, 1);
}

/**
 * `spanNs` is the time axis's end; `fromNs` its start (a window the timeline selected): points
 * outside it are left out but for one on each side, so the areas reach the chart's edges.
 */
function computeWaiterPaths(
  points: readonly WaiterPoint[],
  spanNs: number,
  widthPx: number,
  heightPx: number,
  fromNs = 0,
): WaiterPaths {
  if (fromNs > 0 || (points.length > 0 && (points[points.length - 1]?.atNs ?? 0) > spanNs)) {
    const first = Math.max(0, points.findIndex((p) => p.atNs >= fromNs) - 1);
    const after = points.findIndex((p) => p.atNs > spanNs);
    points = points.slice(first, after < 0 ? points.length : after + 1);
  }
  let maxWaiters = 0;
  for (const p of points) maxWaiters = Math.max(maxWaiters, p.spinning + p.sleeping);
  points = decimate(points, spanNs, widthPx, fromNs);
  const x = scaleLinear()
    .domain([fromNs, Math.max(spanNs, fromNs + 1)])
    .range([0, widthPx]);
  const y = scaleLinear()
    .domain([0, Math.max(maxWaiters, 1)])
    .range([heightPx, 0]);
  const spinning = area<WaiterPoint>()
    .digits(1)
    .x((p) => x(p.atNs))
    .y0(heightPx)
    .y1((p) => y(p.spinning));
  const sleeping = area<WaiterPoint>()
    .digits(1)
    .x((p) => x(p.atNs))
    .y0((p) => y(p.spinning))
    .y1((p) => y(p.spinning + p.sleeping));
  return {
    spinning: spinning(points as WaiterPoint[]) ?? '',
    sleeping: sleeping(points as WaiterPoint[]) ?? '',
    maxWaiters,
  };
}

/** Memoized on the points array (itself memoized per snapshot) and the chart's size. */
export const waiterPaths = memoizeByObject(computeWaiterPaths);
