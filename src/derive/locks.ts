/**
 * The lock panel's derived data: waiters over time and the distribution of per-acquisition wait
 * times (log-scale bins, p50/p99/max), from the sampled acquisitions.
 */
import { bin, max, quantileSorted } from 'd3-array';
import type { SampleColumns } from '../sim/types.ts';
import { memoizeByObject } from './memo.ts';

export interface WaitBin {
  /** Bin bounds, ns (x0 inclusive). */
  readonly x0Ns: number;
  readonly x1Ns: number;
  readonly count: number;
}

export interface WaitDistribution {
  /** Sampled acquisitions (every acquisitionStride-th). */
  readonly sampled: number;
  /** Sampled acquisitions that did not wait at all. */
  readonly uncontended: number;
  /** Bins of the waits > 0, on a log scale (4 bins per decade). */
  readonly bins: readonly WaitBin[];
  /** Over all sampled acquisitions, uncontended ones included. */
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
}

const BINS_PER_DECADE = 4;

function computeWaitDistribution(samples: SampleColumns): WaitDistribution {
  const count = Math.min(samples.acquisitionCount, samples.acquisitionWaitNs.length);
  const sorted = Float64Array.from(samples.acquisitionWaitNs.subarray(0, count)).sort();
  let uncontended = 0;
  while (uncontended < count && (sorted[uncontended] ?? 0) <= 0) uncontended++;
  const waits = sorted.subarray(uncontended);
  let bins: WaitBin[] = [];
  if (waits.length > 0) {
    const lo = Math.floor(Math.log10(waits[0] ?? 1) * BINS_PER_DECADE);
    const hi = Math.ceil(Math.log10(max(waits) ?? 1) * BINS_PER_DECADE + 1e-9);
    const thresholds: number[] = [];
    for (let k = lo; k <= Math.max(hi, lo + 1); k++) thresholds.push(10 ** (k / BINS_PER_DECADE));
    const first = thresholds[0] ?? 1;
    const last = thresholds[thresholds.length - 1] ?? 10;
    bins = bin<number, number>()
      .domain([first, last])
      .thresholds(thresholds.slice(1, -1))(waits)
      .map((b) => ({ x0Ns: b.x0 ?? first, x1Ns: b.x1 ?? last, count: b.length }));
  }
  return {
    sampled: count,
    uncontended,
    bins,
    p50Ns: quantileSorted(asNumbers(sorted), 0.5) ?? 0,
    p99Ns: quantileSorted(asNumbers(sorted), 0.99) ?? 0,
    maxNs: count > 0 ? (sorted[count - 1] ?? 0) : 0,
  };
}

/** d3-array reads any array-like by index; its typings only name arrays. */
function asNumbers(values: Float64Array): number[] {
  return values as unknown as number[];
}

export const waitDistribution = memoizeByObject(computeWaitDistribution);

export interface WaiterPoint {
  readonly atNs: number;
  readonly spinning: number;
  readonly sleeping: number;
}

function computeWaiterSeries(samples: SampleColumns, filledFrames: number): WaiterPoint[] {
  const points: WaiterPoint[] = [];
  for (let f = 0; f < filledFrames; f++) {
    points.push({
      atNs: f * samples.frameNs,
      spinning: samples.spinWaiters[f] ?? 0,
      sleeping: samples.sleepWaiters[f] ?? 0,
    });
  }
  return points;
}

export const waiterSeries = memoizeByObject(computeWaiterSeries);
