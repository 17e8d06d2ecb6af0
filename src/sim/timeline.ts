/**
 * The timeline's recorder (contract: ./timelineTypes.ts), fed by the kernel's hooks.
 *
 * Two parts, either or both armed for a run:
 * - TimelineSummary, kept for the whole run in fixed memory: the per-CPU state frames of a
 *   FrameRecorder at the finest width the budget allows (frames merge in pairs and the width
 *   doubles as the run grows, as the sample columns do), and for the busiest accounting lock
 *   instances (at most TIMELINE_MAX_LOCK_TRACKS) their waiters per frame, their acquisitions per
 *   frame, and their owner slices at least a frame long (at most SUMMARY_SLICES_PER_LOCK per lock:
 *   past it, the shortest kept length doubles). Coarser levels are merged from the finest on
 *   demand (timelineWindow()), which costs one pass over the frames in the window.
 * - ExactRecorder, armed for one window [fromNs, toNs): every CPU span, owner slice, waiter change
 *   and hand-off that intersects it, up to TIMELINE_EXACT_EVENT_CAP events (the per-CPU states and
 *   the density are binned as they arrive, so they stay exact past the cap). A run is
 *   deterministic, so a window finer than the summary is a re-simulation of the same scenario and
 *   design with the exact recorder armed (./timelineRun.ts).
 *
 * Disarmed (the CLI's runs, the budget's benchmarks), none of this runs: the simulation passes
 * no lockWaiters hook and its other hooks call the sample recorders only.
 */
import type { SimNanos } from './eventQueue.ts';
import type { SimThread } from './kernel.ts';
import type { SimLock } from './locks/lock.ts';
import { CPU_STATE_COUNT, CpuState, isBusyState } from './cpuStates.ts';
import { FrameRecorder, type FrameLevel } from './recorder.ts';
import {
  emptyHandoffs,
  NO_STATE,
  TIMELINE_EXACT_EVENT_CAP,
  TIMELINE_MAX_BINS,
  TIMELINE_MAX_LOCK_TRACKS,
  type TimelineLockTrack,
  type TimelineRequest,
  type TimelineSpans,
  type TimelineWindow,
} from './timelineTypes.ts';

/** Bytes a run's summary may hold, whatever its length and CPU count (see summaryBinsFor()). */
export const TIMELINE_SUMMARY_BUDGET_BYTES = 8 * 1024 * 1024;
export const SUMMARY_MIN_BINS = 256;
export const SUMMARY_MAX_BINS = 16_384;
/**
 * The summary's first frame width. Each time a run outgrows its frames, all of them merge in
 * pairs (frames × CPUs cells, two million at 256 CPUs): from 1 µs the seed's final run merged 3
 * times and its list run 15. From 16 µs they merge 0 and 11 times (the seed's runs with their
 * summaries: final 125 → 101 ms, list 219 → 203 ms in Node) and list ends with the same 32.8 ms
 * frames. A run shorter than 8,192 × 16 µs (131 ms) keeps 16 µs frames: its whole-run view fits
 * them down to 21 ms at 1,340 device pixels, and the timeline asks for exact events past them.
 */
export const SUMMARY_INITIAL_FRAME_NS = 16_000;
/** Owner slices a summary keeps per lock track. */
export const SUMMARY_SLICES_PER_LOCK = 4_096;
const SLICE_BYTES = 8 + 8 + 4 + 4;
/**
 * Per frame and lock track: spinning and sleeping waiter-ns (Float64), releases (Float64) and
 * held-ns (Float32: a share of the frame for the owner row, where 7 digits are plenty).
 */
const TRACK_BYTES_PER_BIN = 3 * 8 + 4;

/**
 * The summary's frames for a machine of `cpus` CPUs: the largest power of two whose bytes fit
 * TIMELINE_SUMMARY_BUDGET_BYTES. Per frame: each CPU's dominant state and share (2 bytes), the
 * CPU-ns of each state machine-wide (8 bytes each), and each lock track's waiters and releases;
 * plus the lock tracks' slices, a fixed amount.
 */
export function summaryBinsFor(cpus: number): number {
  const perBin = cpus * 2 + CPU_STATE_COUNT * 8 + TIMELINE_MAX_LOCK_TRACKS * TRACK_BYTES_PER_BIN;
  const fixed = TIMELINE_MAX_LOCK_TRACKS * SUMMARY_SLICES_PER_LOCK * SLICE_BYTES;
  let bins = SUMMARY_MAX_BINS;
  while (bins > SUMMARY_MIN_BINS && bins * perBin + fixed > TIMELINE_SUMMARY_BUDGET_BYTES)
    bins >>= 1;
  return bins;
}

/** The summary's bytes at `cpus` CPUs (docs/model.md quotes them). */
export function summaryBytesFor(cpus: number): number {
  const bins = summaryBinsFor(cpus);
  const perBin = cpus * 2 + CPU_STATE_COUNT * 8 + TIMELINE_MAX_LOCK_TRACKS * TRACK_BYTES_PER_BIN;
  return bins * perBin + TIMELINE_MAX_LOCK_TRACKS * SUMMARY_SLICES_PER_LOCK * SLICE_BYTES;
}

function addAt(column: Float64Array | Float32Array, index: number, value: number): void {
  column[index] = (column[index] as number) + value;
}

/** Adds `value * overlap` to `target[bin]` for each bin of width `binNs` that [fromNs, toNs) overlaps. */
function spread(
  target: Float64Array | Float32Array,
  bins: number,
  binNs: number,
  fromNs: number,
  toNs: number,
  value: number,
): void {
  if (toNs <= fromNs || value === 0) return;
  let b = Math.max(0, Math.floor(fromNs / binNs));
  const last = Math.min(bins - 1, Math.floor(toNs / binNs));
  for (; b <= last; b++) {
    const overlap = Math.min(toNs, (b + 1) * binNs) - Math.max(fromNs, b * binNs);
    if (overlap > 0) addAt(target, b, value * overlap);
  }
}

/** A growable column of numbers, kept as a plain array until the window is built. */
type Column = number[];

/** What the exact recorder keeps of one lock instance inside its window. */
class ExactLockEvents {
  readonly sliceStart: Column = [];
  readonly sliceEnd: Column = [];
  readonly sliceThread: Column = [];
  readonly sliceCpu: Column = [];
  /** Waiters from each change on (the first entry: at the window's start). */
  readonly waitAt: Column = [];
  readonly waitSpin: Column = [];
  readonly waitSleep: Column = [];
  readonly handoffRelease: Column = [];
  readonly handoffGrant: Column = [];
  readonly handoffFrom: Column = [];
  readonly handoffTo: Column = [];
  readonly handoffFromCpu: Column = [];
  readonly handoffToCpu: Column = [];
  /** Hold time and waiter-ns inside the window: which locks get a track. */
  busyNs = 0;
}

/** What the recorder keeps on each accounting lock instance (SimLock.timelineRecord). */
class LockRecord {
  readonly owner: TimelineRecorder;
  /**
   * The instance's class and label, as they were when recorded: a per-task mutex serves another
   * task once its own is gone (DesignLocks), under a new label and a new record.
   */
  readonly lock: string;
  readonly instance: string;
  /** Hold and wait time since the run's start: the busiest instances get the tracks. */
  busyNs = 0;
  /** Summary track index, -1 when it has none. */
  slot = -1;
  /**
   * Open holds in the order taken, as triples (thread id, start, CPU it took the lock on): the
   * first openLength entries, one triple for an exclusive lock, a few for readers. A flat array,
   * not maps: a run makes a record per task's perf_event_mutex, so two Maps each were most of the
   * recorder's garbage. Room for one triple from the start, holding a double (an empty array's
   * first push grew it to 17 slots, and a fractional start turned its small integers into
   * doubles); a release closes the gap in place (splice() returned a new array for every one).
   */
  readonly open: number[] = [0.5, 0.5, 0.5];
  openLength = 0;
  spinning = 0;
  sleeping = 0;
  waitersSinceNs = 0;
  lastReleaseNs = -1;
  lastReleaseThread = -1;
  lastReleaseCpu = -1;
  exact: ExactLockEvents | null = null;

  constructor(owner: TimelineRecorder, lock: SimLock) {
    this.owner = owner;
    this.lock = lock.name;
    this.instance = lock.instance;
  }

  active(): boolean {
    return this.openLength > 0 || this.spinning > 0 || this.sleeping > 0;
  }
}

/** A lock track of the summary, as the finished run keeps it. */
export interface SummaryLockTrack {
  readonly lock: string;
  readonly instance: string;
  /** Hold + wait time over the run, ns (tracks are ordered by it, busiest first). */
  readonly busyNs: number;
  /** The track holds data from here on (a track taken over from a quieter lock starts late). */
  readonly sinceNs: number;
  /** Per frame: waiter-ns spinning and sleeping, and releases. */
  readonly spinNs: Float64Array;
  readonly sleepNs: Float64Array;
  readonly releases: Float64Array;
  /**
   * Per frame: owner-ns, the hold time of every slice, kept or not (readers' holds add up, so it
   * may pass the frame's width). The owner row draws it where slices are below a frame.
   */
  readonly heldNs: Float32Array;
  readonly sliceCount: number;
  readonly sliceStart: Float64Array;
  readonly sliceEnd: Float64Array;
  readonly sliceThread: Int32Array;
  readonly sliceCpu: Int32Array;
  /** Slices shorter than this were not kept. */
  readonly minSliceNs: number;
}

/** A finished run's summary: what the worker keeps per lane and timelineWindow() reads. */
export interface TimelineSummaryData {
  readonly cpus: number;
  /** The run's end, ns. */
  readonly endNs: number;
  readonly level: FrameLevel;
  readonly locks: readonly SummaryLockTrack[];
  /** Bytes the summary's arrays take (its fixed budget, TIMELINE_SUMMARY_BUDGET_BYTES). */
  readonly bytes: number;
}

class SummaryTrack {
  record: LockRecord;
  sinceNs: number;
  readonly spinNs: Float64Array;
  readonly sleepNs: Float64Array;
  readonly releases: Float64Array;
  readonly heldNs: Float32Array;
  readonly sliceStart = new Float64Array(SUMMARY_SLICES_PER_LOCK);
  readonly sliceEnd = new Float64Array(SUMMARY_SLICES_PER_LOCK);
  readonly sliceThread = new Int32Array(SUMMARY_SLICES_PER_LOCK);
  readonly sliceCpu = new Int32Array(SUMMARY_SLICES_PER_LOCK);
  sliceCount = 0;
  minSliceNs: number;

  constructor(record: LockRecord, sinceNs: number, bins: number, binNs: number) {
    this.record = record;
    this.sinceNs = sinceNs;
    this.spinNs = new Float64Array(bins);
    this.sleepNs = new Float64Array(bins);
    this.releases = new Float64Array(bins);
    this.heldNs = new Float32Array(bins);
    this.minSliceNs = binNs;
  }

  /** Starts over for another lock (the quietest track gives way to a busier lock). */
  reset(record: LockRecord, sinceNs: number, binNs: number): void {
    this.record = record;
    this.sinceNs = sinceNs;
    this.spinNs.fill(0);
    this.sleepNs.fill(0);
    this.releases.fill(0);
    this.heldNs.fill(0);
    this.sliceCount = 0;
    this.minSliceNs = binNs;
  }

  /** Keeps only slices at least `minNs` long. */
  filterSlices(minNs: number): void {
    this.minSliceNs = minNs;
    let kept = 0;
    for (let i = 0; i < this.sliceCount; i++) {
      const start = this.sliceStart[i] as number;
      const end = this.sliceEnd[i] as number;
      if (end - start < minNs) continue;
      this.sliceStart[kept] = start;
      this.sliceEnd[kept] = end;
      this.sliceThread[kept] = this.sliceThread[i] as number;
      this.sliceCpu[kept] = this.sliceCpu[i] as number;
      kept++;
    }
    this.sliceCount = kept;
  }

  addSlice(startNs: number, endNs: number, thread: number, cpu: number): void {
    if (endNs - startNs < this.minSliceNs) return;
    while (this.sliceCount === SUMMARY_SLICES_PER_LOCK) {
      this.filterSlices(this.minSliceNs * 2);
      if (endNs - startNs < this.minSliceNs) return;
    }
    const i = this.sliceCount++;
    this.sliceStart[i] = startNs;
    this.sliceEnd[i] = endNs;
    this.sliceThread[i] = thread;
    this.sliceCpu[i] = cpu;
  }

  /** Pairs of frames merge (the frame width doubled). */
  halve(): void {
    for (const column of [this.spinNs, this.sleepNs, this.releases, this.heldNs]) {
      const half = column.length >> 1;
      for (let f = 0; f < half; f++) {
        column[f] = (column[2 * f] as number) + (column[2 * f + 1] as number);
      }
      column.fill(0, half);
    }
  }
}

export class TimelineSummary {
  readonly cpus: number;
  readonly bins: number;
  private readonly frames: FrameRecorder;
  /** The frame width the lock tracks are binned at (follows the frames' width). */
  private binNs: number;
  private readonly tracks: SummaryTrack[] = [];
  /** The quietest track's busyNs when claimTrack() last looked (a lower bound of it now). */
  private quietestBusyNs = 0;

  constructor(cpus: number) {
    this.cpus = cpus;
    this.bins = summaryBinsFor(cpus);
    this.frames = new FrameRecorder(cpus, 0, {
      frames: this.bins,
      frameNs: SUMMARY_INITIAL_FRAME_NS,
    });
    this.binNs = this.frames.frameNs;
  }

  /** Makes room for `atNs` in the frames and the lock tracks alike. */
  private reach(atNs: number): void {
    this.frames.reach(atNs);
    while (this.binNs < this.frames.frameNs) {
      for (const track of this.tracks) track.halve();
      this.binNs *= 2;
      for (const track of this.tracks) {
        if (track.minSliceNs < this.binNs) track.filterSlices(this.binNs);
      }
    }
  }

  cpuInterval(cpu: number, state: number, fromNs: number, toNs: number): void {
    // The frames reach toNs themselves (for an interval of some length); the lock tracks follow
    // when that widened the frames.
    this.frames.cpuInterval(cpu, state, fromNs, toNs);
    if (toNs <= fromNs || this.binNs < this.frames.frameNs) this.reach(toNs);
  }

  /** The lock's waiters were (spinning, sleeping) over [fromNs, toNs). */
  lockWaiters(
    record: LockRecord,
    spinning: number,
    sleeping: number,
    fromNs: number,
    toNs: number,
  ): void {
    const track = record.slot >= 0 ? this.tracks[record.slot] : undefined;
    if (track === undefined || toNs <= fromNs) return;
    this.reach(toNs);
    spread(track.spinNs, this.bins, this.binNs, fromNs, toNs, spinning);
    spread(track.sleepNs, this.bins, this.binNs, fromNs, toNs, sleeping);
  }

  released(record: LockRecord, startNs: number, endNs: number, thread: number, cpu: number): void {
    if (record.slot < 0) this.claimTrack(record, endNs);
    const track = record.slot >= 0 ? this.tracks[record.slot] : undefined;
    if (track === undefined) return;
    this.reach(endNs);
    addAt(track.releases, Math.min(this.bins - 1, Math.floor(endNs / this.binNs)), 1);
    // The whole hold is known at its release, even one that began before the track did.
    spread(track.heldNs, this.bins, this.binNs, startNs, endNs, 1);
    if (startNs >= track.sinceNs) track.addSlice(startNs, endNs, thread, cpu);
  }

  /**
   * A lock without a track gets a free one, or the quietest one's when it is busier than twice
   * that (so two locks of like weight do not take turns).
   */
  private claimTrack(record: LockRecord, atNs: number): void {
    if (this.tracks.length < TIMELINE_MAX_LOCK_TRACKS) {
      record.slot = this.tracks.length;
      this.tracks.push(new SummaryTrack(record, atNs, this.bins, this.binNs));
      return;
    }
    // Every record's busyNs only grows, and a track changes hands only to a busier record, so the
    // quietest track's busyNs never falls: below twice its last value, no track is taken (a
    // per-task mutex at each of its releases), without a scan of the tracks.
    if (record.busyNs <= 2 * this.quietestBusyNs) return;
    let quietest = 0;
    for (let i = 1; i < this.tracks.length; i++) {
      if (
        (this.tracks[i] as SummaryTrack).record.busyNs <
        (this.tracks[quietest] as SummaryTrack).record.busyNs
      ) {
        quietest = i;
      }
    }
    const track = this.tracks[quietest] as SummaryTrack;
    this.quietestBusyNs = track.record.busyNs;
    if (record.busyNs <= 2 * track.record.busyNs) return;
    track.record.slot = -1;
    record.slot = quietest;
    track.reset(record, atNs, this.binNs);
  }

  /** The finished run's summary (copies; the recorder may be dropped). */
  data(endNs: number): TimelineSummaryData {
    this.reach(endNs);
    const level = this.frames.level(endNs);
    const frameCount = level.frameCount;
    const locks = this.tracks
      .map((t): SummaryLockTrack => ({
        lock: t.record.lock,
        instance: t.record.instance,
        busyNs: t.record.busyNs,
        sinceNs: t.sinceNs,
        spinNs: t.spinNs.slice(0, frameCount),
        sleepNs: t.sleepNs.slice(0, frameCount),
        releases: t.releases.slice(0, frameCount),
        heldNs: t.heldNs.slice(0, frameCount),
        sliceCount: t.sliceCount,
        sliceStart: t.sliceStart.slice(0, t.sliceCount),
        sliceEnd: t.sliceEnd.slice(0, t.sliceCount),
        sliceThread: t.sliceThread.slice(0, t.sliceCount),
        sliceCpu: t.sliceCpu.slice(0, t.sliceCount),
        minSliceNs: t.minSliceNs,
      }))
      .sort((a, b) => b.busyNs - a.busyNs);
    return { cpus: this.cpus, endNs, level, locks, bytes: summaryBytesFor(this.cpus) };
  }
}

/** Growable columns of the exact recorder's CPU spans. */
class SpanColumns {
  readonly cpu: Column = [];
  readonly state: Column = [];
  readonly startNs: Column = [];
  readonly endNs: Column = [];
  readonly thread: Column = [];
}

/** Every event inside one window, up to TIMELINE_EXACT_EVENT_CAP. */
export class ExactRecorder {
  readonly request: TimelineRequest;
  readonly fromNs: number;
  readonly toNs: number;
  readonly bins: number;
  readonly binNs: number;
  readonly cpuFrom: number;
  readonly cpuCount: number;
  private readonly frames: FrameRecorder;
  private readonly stateNs: Float64Array;
  private readonly spans = new SpanColumns();
  private events = 0;
  dropped = 0;
  /** Lock records with events in the window, in the order they entered it. */
  readonly touched: LockRecord[] = [];
  /** Lock records holding or waited on now (their state at the window's start is needed). */
  readonly live = new Set<LockRecord>();
  entered = false;

  constructor(request: TimelineRequest, cpus: number) {
    this.request = request;
    this.fromNs = request.fromNs;
    this.toNs = request.toNs;
    this.bins = clampBins(request.bins);
    this.binNs = (this.toNs - this.fromNs) / this.bins;
    this.cpuFrom = Math.max(0, Math.min(cpus, Math.floor(request.cpuFrom)));
    this.cpuCount = Math.max(0, Math.min(cpus - this.cpuFrom, Math.floor(request.cpuCount)));
    // One frame more than the bins: the window's end never makes the frames merge.
    this.frames = new FrameRecorder(this.cpuCount, 0, {
      frames: this.bins + 1,
      frameNs: this.binNs,
    });
    this.stateNs = new Float64Array(this.bins * CPU_STATE_COUNT);
  }

  /** Counts an event against the cap: false when it must be dropped. */
  private take(): boolean {
    if (this.events < TIMELINE_EXACT_EVENT_CAP) {
      this.events++;
      return true;
    }
    this.dropped++;
    return false;
  }

  cpuInterval(cpu: number, state: number, fromNs: number, toNs: number, thread: number): void {
    if (toNs <= this.fromNs || fromNs >= this.toNs) return;
    const from = Math.max(fromNs, this.fromNs) - this.fromNs;
    const to = Math.min(toNs, this.toNs) - this.fromNs;
    for (let b = Math.floor(from / this.binNs); b < this.bins && b * this.binNs < to; b++) {
      const overlap = Math.min(to, (b + 1) * this.binNs) - Math.max(from, b * this.binNs);
      if (overlap > 0) addAt(this.stateNs, b * CPU_STATE_COUNT + state, overlap);
    }
    const local = cpu - this.cpuFrom;
    if (local < 0 || local >= this.cpuCount) return;
    this.frames.cpuInterval(local, state, from, to);
    if (!this.take()) return;
    const s = this.spans;
    s.cpu.push(cpu);
    s.state.push(state);
    s.startNs.push(fromNs);
    s.endNs.push(toNs);
    s.thread.push(thread);
  }

  private eventsOf(record: LockRecord): ExactLockEvents {
    let events = record.exact;
    if (events === null) {
      events = record.exact = new ExactLockEvents();
      this.touched.push(record);
      events.waitAt.push(this.fromNs);
      events.waitSpin.push(record.spinning);
      events.waitSleep.push(record.sleeping);
    }
    return events;
  }

  /** The run reached the window: every lock held or waited on now gets its starting state. */
  enter(): void {
    this.entered = true;
    for (const record of this.live) this.eventsOf(record);
  }

  inWindow(fromNs: number, toNs: number): boolean {
    return toNs >= this.fromNs && fromNs < this.toNs;
  }

  lockWaiters(record: LockRecord, spinning: number, sleeping: number, atNs: number): void {
    if (!this.entered && atNs >= this.fromNs) this.enter();
    // The waiters so far, over [since, atNs): what the track's busyness counts.
    const from = Math.max(record.waitersSinceNs, this.fromNs);
    const to = Math.min(atNs, this.toNs);
    if (to > from && this.entered) {
      this.eventsOf(record).busyNs += (record.spinning + record.sleeping) * (to - from);
    }
    if (atNs < this.fromNs || atNs >= this.toNs) return;
    const events = this.eventsOf(record);
    if (!this.take()) return;
    events.waitAt.push(atNs);
    events.waitSpin.push(spinning);
    events.waitSleep.push(sleeping);
  }

  slice(record: LockRecord, startNs: number, endNs: number, thread: number, cpu: number): void {
    if (!this.entered && endNs >= this.fromNs) this.enter();
    if (!this.inWindow(startNs, endNs)) return;
    const events = this.eventsOf(record);
    events.busyNs += Math.min(endNs, this.toNs) - Math.max(startNs, this.fromNs);
    if (!this.take()) return;
    events.sliceStart.push(startNs);
    events.sliceEnd.push(endNs);
    events.sliceThread.push(thread);
    events.sliceCpu.push(cpu);
  }

  handoff(record: LockRecord, releaseNs: number, grantNs: number, to: SimThread): void {
    if (!this.entered && grantNs >= this.fromNs) this.enter();
    if (!this.inWindow(releaseNs, grantNs)) return;
    const events = this.eventsOf(record);
    if (!this.take()) return;
    events.handoffRelease.push(releaseNs);
    events.handoffGrant.push(grantNs);
    events.handoffFrom.push(record.lastReleaseThread);
    events.handoffTo.push(to.id);
    events.handoffFromCpu.push(record.lastReleaseCpu);
    events.handoffToCpu.push(to.cpu);
  }

  /**
   * The window, once the run has passed toNs (or ended at `endNs`): the CPUs' intervals must
   * have been closed (Kernel.flushActivity()), and holds still open are shown up to `endNs`.
   */
  window(endNs: number): TimelineWindow {
    if (!this.entered) this.enter();
    for (const record of this.live) {
      const open = record.open;
      for (let i = 0; i < record.openLength; i += 3) {
        this.slice(record, open[i + 1] as number, endNs, open[i] as number, open[i + 2] as number);
      }
      // The waiters still there run to the end of the window.
      this.lockWaiters(record, record.spinning, record.sleeping, Math.max(endNs, this.toNs));
    }
    const { bins, binNs, cpuCount } = this;
    const level = this.frames.level(Math.min(endNs, this.toNs) - this.fromNs);
    const cpuState = new Uint8Array(cpuCount * bins).fill(NO_STATE);
    const cpuShare = new Uint8Array(cpuCount * bins);
    // Bins the run reached (it may have ended inside the window).
    const reached = Math.min(bins, Math.ceil((endNs - this.fromNs) / binNs));
    for (let c = 0; c < cpuCount; c++) {
      for (let b = 0; b < Math.min(reached, level.frameCount); b++) {
        cpuState[c * bins + b] = level.cpuState[b * cpuCount + c] as number;
        cpuShare[c * bins + b] = level.cpuShare[b * cpuCount + c] as number;
      }
    }
    const stateCpus = new Float32Array(bins * CPU_STATE_COUNT);
    for (let i = 0; i < stateCpus.length; i++) stateCpus[i] = (this.stateNs[i] as number) / binNs;
    const s = this.spans;
    const spans: TimelineSpans = {
      count: s.cpu.length,
      cpu: Uint16Array.from(s.cpu),
      state: Uint8Array.from(s.state),
      startNs: Float64Array.from(s.startNs),
      endNs: Float64Array.from(s.endNs),
      thread: Int32Array.from(s.thread),
    };
    const locks = [...this.touched]
      .filter(
        (r) =>
          (r.exact as ExactLockEvents).busyNs > 0 ||
          (r.exact as ExactLockEvents).sliceStart.length > 0,
      )
      .sort((a, b) => (b.exact as ExactLockEvents).busyNs - (a.exact as ExactLockEvents).busyNs)
      .slice(0, TIMELINE_MAX_LOCK_TRACKS)
      .map((r) => this.lockTrack(r, endNs));
    return {
      fromNs: this.fromNs,
      toNs: this.toNs,
      bins,
      binNs,
      sourceNs: binNs,
      cpuFrom: this.cpuFrom,
      cpuCount,
      cpuState,
      cpuShare,
      stateCpus,
      locks,
      exact: true,
      spans,
      truncated: this.dropped,
    };
  }

  private lockTrack(record: LockRecord, endNs: number): TimelineLockTrack {
    const e = record.exact as ExactLockEvents;
    const spinning = new Float64Array(this.bins);
    const sleeping = new Float64Array(this.bins);
    const windowEnd = Math.min(this.toNs, Math.max(endNs, this.fromNs));
    for (let i = 0; i < e.waitAt.length; i++) {
      const from = (e.waitAt[i] as number) - this.fromNs;
      const to = (i + 1 < e.waitAt.length ? (e.waitAt[i + 1] as number) : windowEnd) - this.fromNs;
      spread(spinning, this.bins, this.binNs, from, to, e.waitSpin[i] as number);
      spread(sleeping, this.bins, this.binNs, from, to, e.waitSleep[i] as number);
    }
    const perBin = (ns: Float64Array): Float32Array => Float32Array.from(ns, (v) => v / this.binNs);
    return {
      lock: record.lock,
      instance: record.instance,
      slices: {
        count: e.sliceStart.length,
        startNs: Float64Array.from(e.sliceStart),
        endNs: Float64Array.from(e.sliceEnd),
        thread: Int32Array.from(e.sliceThread),
        cpu: Int32Array.from(e.sliceCpu),
      },
      slicesOmitted: 0,
      spinning: perBin(spinning),
      sleeping: perBin(sleeping),
      waiterChanges: {
        count: e.waitAt.length,
        atNs: Float64Array.from(e.waitAt),
        spinning: Float32Array.from(e.waitSpin),
        sleeping: Float32Array.from(e.waitSleep),
      },
      handoffs: {
        count: e.handoffRelease.length,
        atNs: Float64Array.from(e.handoffRelease),
        grantNs: Float64Array.from(e.handoffGrant),
        fromThread: Int32Array.from(e.handoffFrom),
        toThread: Int32Array.from(e.handoffTo),
        fromCpu: Int32Array.from(e.handoffFromCpu),
        toCpu: Int32Array.from(e.handoffToCpu),
      },
    };
  }
}

function clampBins(bins: number): number {
  return Math.max(1, Math.min(TIMELINE_MAX_BINS, Math.floor(bins) || 1));
}

/**
 * The kernel hooks' timeline side: keeps each accounting lock instance's state (holders,
 * waiters, last release) and feeds the summary and the exact recorder, whichever is armed.
 */
export class TimelineRecorder {
  readonly summary: TimelineSummary | null;
  readonly exact: ExactRecorder | null;

  constructor(cpus: number, arm: { summary: boolean; exact: TimelineRequest | null }) {
    this.summary = arm.summary ? new TimelineSummary(cpus) : null;
    this.exact = arm.exact !== null ? new ExactRecorder(arm.exact, cpus) : null;
  }

  private recordOf(lock: SimLock): LockRecord | null {
    if (!lock.accounting) return null;
    const recorded = lock.timelineRecord;
    if (recorded instanceof LockRecord && recorded.owner === this) return recorded;
    const record = new LockRecord(this, lock);
    lock.timelineRecord = record;
    return record;
  }

  private noteLive(record: LockRecord): void {
    const exact = this.exact;
    if (exact === null) return;
    if (record.active()) exact.live.add(record);
    else exact.live.delete(record);
  }

  cpuInterval(cpu: number, state: number, fromNs: SimNanos, toNs: SimNanos, thread: number): void {
    this.summary?.cpuInterval(cpu, state, fromNs, toNs);
    this.exact?.cpuInterval(cpu, state, fromNs, toNs, thread);
  }

  lockWaiters(lock: SimLock, spinning: number, sleeping: number, atNs: SimNanos): void {
    const record = this.recordOf(lock);
    if (record === null) return;
    const since = record.waitersSinceNs;
    record.busyNs += (record.spinning + record.sleeping) * (atNs - since);
    this.summary?.lockWaiters(record, record.spinning, record.sleeping, since, atNs);
    this.exact?.lockWaiters(record, spinning, sleeping, atNs);
    record.spinning = spinning;
    record.sleeping = sleeping;
    record.waitersSinceNs = atNs;
    this.noteLive(record);
  }

  acquired(lock: SimLock, waitNs: number, atNs: SimNanos, thread: SimThread): void {
    const record = this.recordOf(lock);
    if (record === null) return;
    // One owner handing the lock to a thread that waited for it.
    if (waitNs > 0 && record.lastReleaseNs >= 0 && this.exact !== null) {
      this.exact.handoff(record, record.lastReleaseNs, atNs, thread);
    }
    // In place from openLength on; a store at the array's end grows it as push() would.
    const open = record.open;
    const i = record.openLength;
    record.openLength = i + 3;
    open[i] = thread.id;
    open[i + 1] = atNs;
    open[i + 2] = thread.cpu;
    this.noteLive(record);
  }

  released(lock: SimLock, holdNs: number, atNs: SimNanos, thread: SimThread): void {
    const record = this.recordOf(lock);
    if (record === null) return;
    let startNs = atNs - holdNs;
    let cpu = thread.cpu;
    const open = record.open;
    const length = record.openLength;
    for (let i = 0; i < length; i += 3) {
      if (open[i] !== thread.id) continue;
      startNs = open[i + 1] as number;
      cpu = open[i + 2] as number;
      // The later holds move down a triple, keeping their order.
      for (let j = i + 3; j < length; j++) open[j - 3] = open[j] as number;
      record.openLength = length - 3;
      break;
    }
    record.busyNs += holdNs;
    this.summary?.released(record, startNs, atNs, thread.id, cpu);
    this.exact?.slice(record, startNs, atNs, thread.id, cpu);
    record.lastReleaseNs = atNs;
    record.lastReleaseThread = thread.id;
    record.lastReleaseCpu = thread.cpu;
    this.noteLive(record);
  }
}

/**
 * A window of a finished run from its summary: each bin merges the summary frames it overlaps
 * (dominant state by the sample columns' rule, recorder.ts dominantState()). Not exact: the
 * frames are `level.frameNs` wide, and lock tracks list only the slices the summary kept.
 */
export function timelineWindow(
  summary: TimelineSummaryData,
  request: TimelineRequest,
): TimelineWindow {
  const { level, cpus, endNs } = summary;
  const bins = clampBins(request.bins);
  const fromNs = request.fromNs;
  const toNs = Math.max(request.toNs, fromNs + 1e-9);
  const binNs = (toNs - fromNs) / bins;
  const cpuFrom = Math.max(0, Math.min(cpus, Math.floor(request.cpuFrom)));
  const cpuCount = Math.max(0, Math.min(cpus - cpuFrom, Math.floor(request.cpuCount)));
  const frameNs = level.frameNs;
  const frames = level.frameCount;
  // The summary frames each bin overlaps, and by how much (shared by every CPU).
  const firstFrame = new Int32Array(bins);
  const lastFrame = new Int32Array(bins);
  for (let b = 0; b < bins; b++) {
    const b0 = fromNs + b * binNs;
    const b1 = Math.min(b0 + binNs, endNs);
    firstFrame[b] = Math.max(0, Math.floor(b0 / frameNs));
    lastFrame[b] = b1 <= b0 ? -1 : Math.min(frames - 1, Math.ceil(b1 / frameNs) - 1);
  }
  const overlap = (b: number, f: number): number => {
    const b0 = fromNs + b * binNs;
    return Math.min(b0 + binNs, (f + 1) * frameNs, endNs) - Math.max(b0, f * frameNs);
  };
  // Each bin's (frame, overlap) pairs, flat: pairs of bin b are [pairStart[b], pairStart[b + 1]).
  const pairStart = new Int32Array(bins + 1);
  const pairFrame: number[] = [];
  const pairNs: number[] = [];
  for (let b = 0; b < bins; b++) {
    pairStart[b] = pairFrame.length;
    for (let f = firstFrame[b] as number; f <= (lastFrame[b] as number); f++) {
      const w = overlap(b, f);
      if (w <= 0) continue;
      pairFrame.push(f);
      pairNs.push(w);
    }
  }
  pairStart[bins] = pairFrame.length;
  const frameOf = Int32Array.from(pairFrame);
  const nsOf = Float64Array.from(pairNs);
  const cpuState = new Uint8Array(cpuCount * bins).fill(NO_STATE);
  const cpuShare = new Uint8Array(cpuCount * bins);
  const states = level.cpuState;
  const shares = level.cpuShare;
  const acc = new Float64Array(CPU_STATE_COUNT);
  const busy = Uint8Array.from({ length: CPU_STATE_COUNT }, (_, s) => (isBusyState(s) ? 1 : 0));
  // CPU outer, bins inner: the output is CPU-major, and each CPU's frames are a constant stride.
  for (let c = 0; c < cpuCount; c++) {
    const cpu = cpuFrom + c;
    const out = c * bins;
    for (let b = 0; b < bins; b++) {
      const p0 = pairStart[b] as number;
      const p1 = pairStart[b + 1] as number;
      if (p1 === p0) continue;
      if (p1 === p0 + 1 && (nsOf[p0] as number) >= binNs * (1 - 1e-9)) {
        // Inside one frame (zoomed in past the summary): the frame's state and share.
        const i = (frameOf[p0] as number) * cpus + cpu;
        cpuState[out + b] = states[i] as number;
        cpuShare[out + b] = shares[i] as number;
        continue;
      }
      // The frames agree on the state (the common case): no per-state sums needed.
      const i0 = (frameOf[p0] as number) * cpus + cpu;
      const s0 = states[i0] as number;
      let same = true;
      let sameNs = 0;
      let sameCovered = 0;
      for (let p = p0; p < p1 && same; p++) {
        const i = (frameOf[p] as number) * cpus + cpu;
        const w = nsOf[p] as number;
        same = states[i] === s0;
        sameNs += ((shares[i] as number) / 255) * w;
        sameCovered += w;
      }
      if (same && sameNs > 0 && (busy[s0] === 0 || sameNs >= sameCovered / 4)) {
        cpuState[out + b] = s0;
        cpuShare[out + b] = Math.min(255, Math.round((sameNs / sameCovered) * 255));
        continue;
      }
      acc.fill(0);
      let covered = 0;
      for (let p = p0; p < p1; p++) {
        const w = nsOf[p] as number;
        covered += w;
        const i = (frameOf[p] as number) * cpus + cpu;
        const s = states[i] as number;
        acc[s] = (acc[s] as number) + ((shares[i] as number) / 255) * w;
      }
      // dominantState() inline (the sample columns' rule), without its tuple per cell.
      let best = -1;
      let bestNs = 0;
      let busyNs = 0;
      for (let s = 0; s < CPU_STATE_COUNT; s++) {
        if (busy[s] === 0) continue;
        const ns = acc[s] as number;
        busyNs += ns;
        if (ns > bestNs) {
          best = s;
          bestNs = ns;
        }
      }
      if (best < 0 || busyNs < covered / 4) {
        best = CpuState.idle;
        bestNs = acc[best] as number;
        for (let s = 0; s < CPU_STATE_COUNT; s++) {
          if (busy[s] === 0 && (acc[s] as number) > bestNs) {
            best = s;
            bestNs = acc[s] as number;
          }
        }
      }
      cpuState[out + b] = best;
      cpuShare[out + b] = Math.min(255, Math.round((bestNs / covered) * 255));
    }
  }
  const stateCpus = new Float32Array(bins * CPU_STATE_COUNT);
  for (let b = 0; b < bins; b++) {
    for (let f = firstFrame[b] as number; f <= (lastFrame[b] as number); f++) {
      const w = overlap(b, f) / frameNs / binNs;
      if (w <= 0) continue;
      for (let s = 0; s < CPU_STATE_COUNT; s++) {
        stateCpus[b * CPU_STATE_COUNT + s] =
          (stateCpus[b * CPU_STATE_COUNT + s] as number) +
          (level.stateNs[f * CPU_STATE_COUNT + s] as number) * w;
      }
    }
  }
  const perBin = (column: Float64Array | Float32Array, scale: number): Float32Array => {
    const out = new Float32Array(bins);
    for (let b = 0; b < bins; b++) {
      let sum = 0;
      for (let f = firstFrame[b] as number; f <= (lastFrame[b] as number); f++) {
        const w = overlap(b, f);
        if (w > 0) sum += ((column[f] as number) * w) / frameNs;
      }
      out[b] = sum / scale;
    }
    return out;
  };
  const locks = summary.locks.slice(0, TIMELINE_MAX_LOCK_TRACKS).map((t): TimelineLockTrack => {
    const keep: number[] = [];
    for (let i = 0; i < t.sliceCount; i++) {
      if ((t.sliceEnd[i] as number) >= fromNs && (t.sliceStart[i] as number) < toNs) keep.push(i);
    }
    // Releases in the window (whole frames, pro rata at its edges), less the slices listed.
    let releases = 0;
    for (const v of perBin(t.releases, 1)) releases += v;
    const pick = <A extends Float64Array | Int32Array>(from: A, make: (n: number) => A): A => {
      const out = make(keep.length);
      keep.forEach((i, k) => (out[k] = from[i] as number));
      return out;
    };
    return {
      lock: t.lock,
      instance: t.instance,
      slices: {
        count: keep.length,
        startNs: pick(t.sliceStart, (n) => new Float64Array(n)),
        endNs: pick(t.sliceEnd, (n) => new Float64Array(n)),
        thread: pick(t.sliceThread, (n) => new Int32Array(n)),
        cpu: pick(t.sliceCpu, (n) => new Int32Array(n)),
      },
      slicesOmitted: Math.max(0, Math.round(releases) - keep.length),
      spinning: perBin(t.spinNs, binNs),
      sleeping: perBin(t.sleepNs, binNs),
      held: perBin(t.heldNs, binNs),
      handoffs: emptyHandoffs(),
    };
  });
  return {
    fromNs,
    toNs,
    bins,
    binNs,
    sourceNs: frameNs,
    cpuFrom,
    cpuCount,
    cpuState,
    cpuShare,
    stateCpus,
    locks,
    exact: false,
    spans: null,
    truncated: 0,
  };
}

/** Whether a request needs real events: its bins are finer than the summary's frames. */
export function needsExact(summary: TimelineSummaryData, request: TimelineRequest): boolean {
  if (request.exact === false) return false;
  if (request.exact === 'always') return true;
  const binNs = (request.toNs - request.fromNs) / clampBins(request.bins);
  return summary.level.frameNs > binNs;
}

/** The typed arrays' buffers of a window, for a transfer across threads. */
export function timelineBuffers(window: TimelineWindow): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (v: ArrayBufferView): void => {
    if (v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
  };
  add(window.cpuState);
  add(window.cpuShare);
  add(window.stateCpus);
  if (window.spans) {
    const s = window.spans;
    [s.cpu, s.state, s.startNs, s.endNs, s.thread].forEach(add);
  }
  for (const t of window.locks) {
    [
      t.slices.startNs,
      t.slices.endNs,
      t.slices.thread,
      t.slices.cpu,
      t.spinning,
      t.sleeping,
    ].forEach(add);
    if (t.waiterChanges) {
      const w = t.waiterChanges;
      [w.atNs, w.spinning, w.sleeping].forEach(add);
    }
    const h = t.handoffs;
    [h.atNs, h.grantNs, h.fromThread, h.toThread, h.fromCpu, h.toCpu].forEach(add);
  }
  return [...buffers];
}
