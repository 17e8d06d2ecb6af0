/**
 * The waiters chart as SVG paths: spinning and sleeping waiters stacked over simulated time
 * (d3-shape areas over d3-scale scales). Returns path strings; the component owns the SVG.
 */
import { scaleLinear } from 'd3-scale';
import { area } from 'd3-shape';
import type { WaiterPoint } from '../derive/locks.ts';

export interface WaiterPaths {
  readonly spinning: string;
  readonly sleeping: string;
  readonly maxWaiters: number;
}

export function waiterPaths(
  points: readonly WaiterPoint[],
  spanNs: number,
  widthPx: number,
  heightPx: number,
): WaiterPaths {
  let maxWaiters = 0;
  for (const p of points) maxWaiters = Math.max(maxWaiters, p.spinning + p.sleeping);
  const x = scaleLinear()
    .domain([0, Math.max(spanNs, 1)])
    .range([0, widthPx]);
  const y = scaleLinear()
    .domain([0, Math.max(maxWaiters, 1)])
    .range([heightPx, 0]);
  const spinning = area<WaiterPoint>()
    .x((p) => x(p.atNs))
    .y0(heightPx)
    .y1((p) => y(p.spinning));
  const sleeping = area<WaiterPoint>()
    .x((p) => x(p.atNs))
    .y0((p) => y(p.spinning))
    .y1((p) => y(p.spinning + p.sleeping));
  return {
    spinning: spinning(points as WaiterPoint[]) ?? '',
    sleeping: sleeping(points as WaiterPoint[]) ?? '',
    maxWaiters,
  };
}
