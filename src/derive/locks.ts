/**
 * The lock panel's derived data: waiters over time and the distribution of per-acquisition wait
 * times (log-scale bins, p50/p99/max), from the sampled acquisitions. The page derives these once
 * per streamed snapshot, so both are linear in the samples.
 */
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
 * One pass to bin and count, one quickselect per quantile (d3-array's quantile): linear in the
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
 * p50 and p99 as d3-array's quantile() computes them (R-7: linear between order statistics),
 * by selection on one typed copy: d3's own version copies through a generator, which costs more
 * than the selection at 100k+ waits per snapshot.
 */
export function quantiles(values: Float64Array): { p50Ns: number; p99Ns: number } {
  if (values.length === 0) return { p50Ns: 0, p99Ns: 0 };
  const copy = Float64Array.from(values);
  const at = (p: number): number => {
    const i = (copy.length - 1) * p;
    const lo = Math.floor(i);
    const a = select(copy, lo, 0);
    if (lo === i) return a;
    const b = select(copy, lo + 1, lo + 1);
    return a + (b - a) * (i - lo);
  };
  return { p50Ns: at(0.5), p99Ns: at(0.99) };
}

/**
 * Hoare's selection: after it, values[k] holds the k-th smallest and every value in [from, k) is
 * no larger; later calls with from > an earlier k stay correct.
 */
function select(values: Float64Array, k: number, from: number): number {
  let left = from;
  let right = values.length - 1;
  while (right > left) {
    const pivot = values[(left + right) >> 1] ?? 0;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] ?? 0) < pivot) i++;
      while ((values[j] ?? 0) > pivot) j--;
      if (i <= j) {
        const t = values[i] ?? 0;
        values[i] = values[j] ?? 0;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k] ?? 0;
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
