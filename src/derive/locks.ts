/**
 * The lock panel's derived data: waiters over time and the distribution of per-acquisition wait
 * times (log-scale bins, p50/p99/max), from the sampled acquisitions. The page derives these once
 * per streamed snapshot, so both are linear in the samples.
 */
import { min, quickselect } from 'd3-array';
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

/**
 * One pass to bin and count, one quickselect per quantile (d3-array's): linear in the
 * sampled acquisitions, which matters because a streaming run re-derives this per snapshot.
 */
function computeWaitDistribution(samples: SampleColumns): WaitDistribution {
  const count = Math.min(samples.acquisitionCount, samples.acquisitionWaitNs.length);
  const waits = samples.acquisitionWaitNs.subarray(0, count);
  let uncontended = 0;
  let maxNs = 0;
  let minPositiveNs = Infinity;
  for (let i = 0; i < count; i++) {
    const w = waits[i] ?? 0;
    if (w <= 0) uncontended++;
    else if (w < minPositiveNs) minPositiveNs = w;
    if (w > maxNs) maxNs = w;
  }
  const bins: WaitBin[] = [];
  if (uncontended < count) {
    const lo = Math.floor(Math.log10(minPositiveNs) * BINS_PER_DECADE);
    const hi = Math.max(lo, Math.floor(Math.log10(maxNs) * BINS_PER_DECADE));
    const counts = new Uint32Array(hi - lo + 1);
    for (let i = 0; i < count; i++) {
      const w = waits[i] ?? 0;
      if (w <= 0) continue;
      const k = Math.floor(Math.log10(w) * BINS_PER_DECADE) - lo;
      const at = Math.min(counts.length - 1, Math.max(0, k));
      counts[at] = (counts[at] ?? 0) + 1;
    }
    counts.forEach((n, i) => {
      bins.push({
        x0Ns: 10 ** ((lo + i) / BINS_PER_DECADE),
        x1Ns: 10 ** ((lo + i + 1) / BINS_PER_DECADE),
        count: n,
      });
    });
  }
  return {
    sampled: count,
    uncontended,
    bins,
    ...quantiles(waits),
    maxNs,
  };
}

/**
 * p50 and p99 as d3-array's quantile() computes them (R-7: linear between order statistics), with
 * its quickselect on one typed copy: quantile() itself copies through a generator, which costs
 * more than the selection at 100k+ waits per snapshot.
 */
export function quantiles(values: Float64Array): { p50Ns: number; p99Ns: number } {
  if (values.length === 0) return { p50Ns: 0, p99Ns: 0 };
  const copy = Float64Array.from(values);
  const at = (p: number): number => {
    const i = (copy.length - 1) * p;
    const lo = Math.floor(i);
    // After quickselect, copy[lo] is the lo-th smallest and everything right of it is no smaller.
    quickselect(copy, lo);
    const a = copy[lo] ?? 0;
    if (lo === i) return a;
    const b = min(copy.subarray(lo + 1)) ?? a;
    return a + (b - a) * (i - lo);
  };
  return { p50Ns: at(0.5), p99Ns: at(0.99) };
}

export const waitDistribution = memoizeByObject(computeWaitDistribution);

export interface WaiterPoint {
  readonly atNs: number;
  readonly spinning: number;
  readonly sleeping: number;
}

/** One point per frame the snapshot holds (frameCount grows as the run streams in). */
function computeWaiterSeries(samples: SampleColumns): WaiterPoint[] {
  const points: WaiterPoint[] = [];
  for (let f = 0; f < samples.frameCount; f++) {
    points.push({
      atNs: f * samples.frameNs,
      spinning: samples.spinWaiters[f] ?? 0,
      sleeping: samples.sleepWaiters[f] ?? 0,
    });
  }
  return points;
}

export const waiterSeries = memoizeByObject(computeWaiterSeries);
