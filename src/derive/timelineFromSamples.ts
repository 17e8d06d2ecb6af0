/**
 * A timeline window from what the page already holds: a run's sample columns, at frame resolution
 * (`exact: false`, no lock owner slices). The timeline paints it at once while the worker works on
 * a finer window, and it is the whole timeline until the worker can answer.
 */
import { CPU_STATE_COUNT, type SampleColumns } from '../sim/types.ts';
import {
  emptyHandoffs,
  NO_STATE,
  TIMELINE_MAX_BINS,
  type TimelineLockTrack,
  type TimelineRequest,
  type TimelineWindow,
} from '../sim/timelineTypes.ts';
import { filledFrameCount } from './frames.ts';

/** The one lock track the sample columns can give: waiters summed over the accounting locks. */
export const SAMPLED_LOCK_NAME = 'accounting locks';

/**
 * The frames each bin covers, [first, last] inclusive: every frame the bin overlaps, or the frame
 * under its middle when bins are finer than frames. -1 where the bin lies past the data.
 */
function binFrames(
  samples: SampleColumns,
  filled: number,
  fromNs: number,
  binNs: number,
  bins: number,
): Int32Array {
  const out = new Int32Array(bins * 2).fill(-1);
  const frameNs = samples.frameNs;
  for (let b = 0; b < bins; b++) {
    const start = fromNs + b * binNs;
    const end = start + binNs;
    let first = Math.floor(start / frameNs);
    let last = Math.ceil(end / frameNs) - 1;
    if (last < first) last = first;
    if (last - first >= 1) {
      // Keep only frames the bin covers for more than half of the frame, or its middle's frame.
      const mid = Math.floor((start + end) / 2 / frameNs);
      if ((first + 1) * frameNs - start < frameNs / 2) first++;
      if (end - last * frameNs < frameNs / 2) last--;
      if (last < first) first = last = mid;
    }
    if (first < 0 || first >= filled) continue;
    out[b * 2] = first;
    out[b * 2 + 1] = Math.min(last, filled - 1);
  }
  return out;
}

/**
 * The window `request` asks for, from `samples` of a run that has reached `simulatedNs`. Each bin
 * takes, per CPU, the state the CPU was recorded in for the most of the bin's frames (its share:
 * that many of them), and the bin's frames' average CPUs per state and waiters.
 */
export function timelineFromSamples(
  samples: SampleColumns,
  simulatedNs: number,
  request: TimelineRequest,
): TimelineWindow {
  const bins = Math.max(1, Math.min(TIMELINE_MAX_BINS, Math.floor(request.bins)));
  const fromNs = Math.max(0, request.fromNs);
  const toNs = Math.max(fromNs + 1, request.toNs);
  const binNs = (toNs - fromNs) / bins;
  const cpuFrom = Math.max(0, Math.min(samples.cpus, Math.floor(request.cpuFrom)));
  const cpuCount = Math.max(0, Math.min(samples.cpus - cpuFrom, Math.floor(request.cpuCount)));
  const filled = samples.frameNs > 0 ? filledFrameCount(samples, simulatedNs) : 0;
  const frames = binFrames(samples, filled, fromNs, binNs, bins);

  const cpuState = new Uint8Array(cpuCount * bins).fill(NO_STATE);
  const cpuShare = new Uint8Array(cpuCount * bins);
  const stateCpus = new Float32Array(bins * CPU_STATE_COUNT);
  const spinning = new Float32Array(bins);
  const sleeping = new Float32Array(bins);
  const votes = new Uint32Array(CPU_STATE_COUNT);
  const cpus = samples.cpus;

  for (let b = 0; b < bins; b++) {
    const first = frames[b * 2] ?? -1;
    const last = frames[b * 2 + 1] ?? -1;
    if (first < 0) continue;
    const n = last - first + 1;
    for (let f = first; f <= last; f++) {
      for (let s = 0; s < CPU_STATE_COUNT; s++) {
        const at = b * CPU_STATE_COUNT + s;
        stateCpus[at] =
          (stateCpus[at] ?? 0) + (samples.stateCpus[f * CPU_STATE_COUNT + s] ?? 0) / n;
      }
      spinning[b] = (spinning[b] ?? 0) + (samples.spinWaiters[f] ?? 0) / n;
      sleeping[b] = (sleeping[b] ?? 0) + (samples.sleepWaiters[f] ?? 0) / n;
    }
    for (let c = 0; c < cpuCount; c++) {
      const cpu = cpuFrom + c;
      let best = NO_STATE;
      let bestVotes = 0;
      if (n === 1) {
        best = samples.cpuState[first * cpus + cpu] ?? NO_STATE;
        bestVotes = 1;
      } else {
        votes.fill(0);
        for (let f = first; f <= last; f++) {
          const s = samples.cpuState[f * cpus + cpu] ?? NO_STATE;
          if (s >= CPU_STATE_COUNT) continue;
          const v = (votes[s] ?? 0) + 1;
          votes[s] = v;
          // Ties go to the lower state index: the table's order, deterministic.
          if (v > bestVotes || (v === bestVotes && s < best)) {
            best = s;
            bestVotes = v;
          }
        }
      }
      cpuState[c * bins + b] = best;
      cpuShare[c * bins + b] = Math.round((255 * bestVotes) / n);
    }
  }

  const lock: TimelineLockTrack = {
    lock: SAMPLED_LOCK_NAME,
    instance: '',
    slices: {
      count: 0,
      startNs: new Float64Array(0),
      endNs: new Float64Array(0),
      thread: new Int32Array(0),
      cpu: new Int32Array(0),
    },
    slicesOmitted: sampledAcquisitionsIn(samples, fromNs, toNs),
    spinning,
    sleeping,
    handoffs: emptyHandoffs(),
  };

  return {
    fromNs,
    toNs,
    bins,
    binNs,
    sourceNs: samples.frameNs,
    fromSamples: true,
    cpuFrom,
    cpuCount,
    cpuState,
    cpuShare,
    stateCpus,
    locks: [lock],
    exact: false,
    spans: null,
    truncated: 0,
  };
}

/**
 * Acquisitions in [fromNs, toNs), estimated from the kept ones (one in acquisitionStride). They are
 * recorded in time order, so two binary searches find them.
 */
function sampledAcquisitionsIn(samples: SampleColumns, fromNs: number, toNs: number): number {
  const count = Math.min(samples.acquisitionCount, samples.acquisitionAtNs.length);
  const at = samples.acquisitionAtNs;
  const lowerBound = (ns: number): number => {
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((at[mid] ?? Infinity) < ns) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (lowerBound(toNs) - lowerBound(fromNs)) * Math.max(1, samples.acquisitionStride);
}
