/**
 * Sample recording with a fixed memory budget, whatever the run's length.
 *
 * Simulated time is cut into frames. The recorder starts with fine frames; when an interval ends
 * past the last frame, pairs of frames merge and the frame width doubles (the same decimation a
 * zoomed-out timeline does). Per-CPU state is kept as the dominant state of each frame plus its
 * share, which is what the merge needs. Lock waits go into a log-bucket histogram (quantiles
 * within 1.1%) plus a strided list of acquisitions for the panels; LockRecorder keeps both, and
 * the per-lock-class statistics of the result.
 */
import type { SimNanos } from './eventQueue.ts';
import type { SimLock } from './locks/lock.ts';
import { CPU_STATE_COUNT, CpuState, isBusyState } from './cpuStates.ts';
import type { LockStats, SampleColumns, WaitQuantiles } from './types.ts';

/** Bytes of per-CPU frame data a run may hold. */
const FRAME_BUDGET_BYTES = 3 * 1024 * 1024;
const MAX_FRAMES = 1024;
const MIN_FRAMES = 64;
const INITIAL_FRAME_NS = 1_000;
const ACQUISITION_CAPACITY = 32_768;

function addAt(column: Float64Array | Uint32Array, index: number, value: number): void {
  column[index] = (column[index] as number) + value;
}

export function frameCountFor(cpus: number, pools: number): number {
  // Per frame and CPU: dominant state, its share, and cpuPinned + taskMax per pool.
  const bytesPerFrame = cpus * (2 + 2 * pools);
  let frames = MAX_FRAMES;
  while (frames > MIN_FRAMES && frames * bytesPerFrame > FRAME_BUDGET_BYTES) frames >>= 1;
  return frames;
}

/** A FrameRecorder with other frames than the sample columns' (the timeline's summary and windows). */
export interface FrameOptions {
  /** Frames kept (default: frameCountFor()); the frame width doubles when time passes the last. */
  readonly frames?: number;
  /** Width of a frame to start with, ns (default 1 µs). */
  readonly frameNs?: number;
}

/** The per-CPU state frames of a FrameRecorder, open frames resolved (TimelineSummary reads them). */
export interface FrameLevel {
  readonly frameNs: number;
  /** Frames reached so far (lastFrame + 1, at most frames). */
  readonly frameCount: number;
  readonly cpuState: Uint8Array;
  readonly cpuShare: Uint8Array;
  /** Per frame and state: CPU-ns summed over every CPU (stateNs[frame * CPU_STATE_COUNT + state]). */
  readonly stateNs: Float64Array;
}

export class FrameRecorder {
  readonly cpus: number;
  readonly pools: number;
  readonly frames: number;
  frameNs: number;
  /** Highest frame any interval has reached. */
  private lastFrame = 0;
  /** The time the frames cover, frames × frameNs (kept: reach() runs for every interval). */
  private coverNs: number;

  private readonly cpuState: Uint8Array;
  private readonly cpuShare: Uint8Array;
  private readonly stateNs: Float64Array;
  private readonly openFrame: Int32Array;
  private readonly openAcc: Float64Array;
  private readonly cpuPinned: Uint8Array;
  private readonly taskMax: Uint8Array;
  private readonly spinNs: Float64Array;
  private readonly sleepNs: Float64Array;
  private readonly enospc: Uint32Array;
  readonly enospcPerCpu: Uint32Array;
  /** The occupancy columns are written up to (not including) this frame. */
  private occupancyFrame = 0;
  /** occupancyUntil()'s read buffer, reused: a typed array per call was costly garbage. */
  private readonly occupancyOut = new Int32Array(2);
  /** dominant()'s second result, its state's time (a tuple per closed frame was garbage). */
  private dominantNs = 0;
  private readonly dominantOut = new Float64Array(1);

  constructor(cpus: number, pools: number, options: FrameOptions = {}) {
    this.cpus = cpus;
    this.pools = pools;
    this.frames = options.frames ?? frameCountFor(cpus, pools);
    this.frameNs = options.frameNs ?? INITIAL_FRAME_NS;
    this.coverNs = this.frames * this.frameNs;
    const f = this.frames;
    this.cpuState = new Uint8Array(f * cpus);
    this.cpuShare = new Uint8Array(f * cpus);
    this.stateNs = new Float64Array(f * CPU_STATE_COUNT);
    this.openFrame = new Int32Array(cpus);
    this.openAcc = new Float64Array(cpus * CPU_STATE_COUNT);
    this.cpuPinned = new Uint8Array(f * pools * cpus);
    this.taskMax = new Uint8Array(f * pools * cpus);
    this.spinNs = new Float64Array(f);
    this.sleepNs = new Float64Array(f);
    this.enospc = new Uint32Array(f);
    this.enospcPerCpu = new Uint32Array(cpus);
  }

  /** Makes room for time `atNs`, merging frames as often as needed; returns its frame. */
  reach(atNs: SimNanos): number {
    while (atNs >= this.coverNs) this.halve();
    const f = Math.floor(atNs / this.frameNs);
    if (f > this.lastFrame) this.lastFrame = f;
    return f;
  }

  /** Frame f's CPU cells from the merge of frames 2f and 2f + 1 (see halve()). */
  private mergeCells(a: number, b: number, o: number, count: number): void {
    const state = this.cpuState;
    const share = this.cpuShare;
    for (let c = 0; c < count; c++) {
      const sa = state[a + c] as number;
      const sb = state[b + c] as number;
      const wa = share[a + c] as number;
      const wb = share[b + c] as number;
      if (sa === sb) {
        state[o + c] = sa;
        share[o + c] = (wa + wb) >> 1;
      } else if (wa >= wb) {
        state[o + c] = sa;
        share[o + c] = wa >> 1;
      } else {
        state[o + c] = sb;
        share[o + c] = wb >> 1;
      }
    }
  }

  private halve(): void {
    const { cpus, frames } = this;
    const half = frames >> 1;
    this.mergeFramePairs(half);
    this.cpuState.fill(0, half * cpus);
    this.cpuShare.fill(0, half * cpus);
    this.stateNs.fill(0, half * CPU_STATE_COUNT);
    this.spinNs.fill(0, half);
    this.sleepNs.fill(0, half);
    this.enospc.fill(0, half);
    const oldFrameNs = this.frameNs;
    this.frameNs *= 2;
    this.coverNs = this.frames * this.frameNs;
    for (let c = 0; c < cpus; c++) {
      const open = this.openFrame[c] as number;
      if (open & 1) {
        // The open frame merges with the closed frame before it: fold that frame's dominant
        // state into the open accumulators.
        const prev = (open >> 1) * cpus + c;
        const state = this.cpuState[prev] as number;
        const share = this.cpuShare[prev] as number;
        addAt(this.openAcc, c * CPU_STATE_COUNT + state, (share / 255) * oldFrameNs * 2);
      }
      this.openFrame[c] = open >> 1;
    }
    this.occupancyFrame = this.occupancyFrame >> 1;
    this.lastFrame = this.lastFrame >> 1;
  }

  /**
   * Frames 2f and 2f + 1 into frame f, for f < half. A method of its own, ending with its loop:
   * a run halves its frames a dozen times, too seldom for feedback on code after the loop, and an
   * on-stack compile of the loop that ran on into that code threw itself away there each time.
   */
  private mergeFramePairs(half: number): void {
    const { cpus, frames } = this;
    // Four CPUs at a time where their states agree in both frames (most of a mostly idle
    // machine): the shares' byte-wise floor((wa + wb) / 2) is (wa >> 1) + (wb >> 1) + (wa & wb & 1)
    // in each byte, exactly what mergeCells() computes for them one by one.
    const words = cpus % 4 === 0 ? cpus >> 2 : 0;
    // Signed views: a word read from an unsigned one can pass 2^31, which the optimizing compiler
    // assumes it does not until it has seen one (a deopt); the bits, and so the merge, are the same.
    const state32 =
      words > 0 ? new Int32Array(this.cpuState.buffer, 0, (frames * cpus) >> 2) : null;
    const share32 =
      words > 0 ? new Int32Array(this.cpuShare.buffer, 0, (frames * cpus) >> 2) : null;
    for (let f = 0; f < half; f++) {
      const a = 2 * f * cpus;
      const b = (2 * f + 1) * cpus;
      const o = f * cpus;
      if (state32 === null || share32 === null) {
        this.mergeCells(a, b, o, cpus);
        continue;
      }
      const a4 = a >> 2;
      const b4 = b >> 2;
      const o4 = o >> 2;
      for (let w = 0; w < words; w++) {
        const sa = state32[a4 + w] as number;
        if (sa !== state32[b4 + w]) {
          this.mergeCells(a + 4 * w, b + 4 * w, o + 4 * w, 4);
          continue;
        }
        const wa = share32[a4 + w] as number;
        const wb = share32[b4 + w] as number;
        state32[o4 + w] = sa;
        share32[o4 + w] =
          (((wa >>> 1) & 0x7f7f7f7f) + ((wb >>> 1) & 0x7f7f7f7f) + (wa & wb & 0x01010101)) | 0;
      }
      for (let s = 0; s < CPU_STATE_COUNT; s++) {
        this.stateNs[f * CPU_STATE_COUNT + s] =
          (this.stateNs[2 * f * CPU_STATE_COUNT + s] as number) +
          (this.stateNs[(2 * f + 1) * CPU_STATE_COUNT + s] as number);
      }
      this.spinNs[f] = (this.spinNs[2 * f] as number) + (this.spinNs[2 * f + 1] as number);
      this.sleepNs[f] = (this.sleepNs[2 * f] as number) + (this.sleepNs[2 * f + 1] as number);
      this.enospc[f] = (this.enospc[2 * f] as number) + (this.enospc[2 * f + 1] as number);
      // Occupancy is a level: the later frame's end value is the merged frame's end value.
      const rowLen = this.pools * cpus;
      this.cpuPinned.copyWithin(f * rowLen, (2 * f + 1) * rowLen, (2 * f + 2) * rowLen);
      this.taskMax.copyWithin(f * rowLen, (2 * f + 1) * rowLen, (2 * f + 2) * rowLen);
    }
  }

  /**
   * Adds `value * overlap` into `target[frame]` for every frame that [fromNs, toNs) overlaps;
   * `last` is toNs's frame (reach() returned it: one division fewer per interval).
   */
  private spread(
    target: Float64Array,
    stride: number,
    offset: number,
    fromNs: number,
    toNs: number,
    last: number,
    value: number,
  ): void {
    const w = this.frameNs;
    let f = Math.floor(fromNs / w);
    if (f === last) {
      addAt(target, f * stride + offset, value * (toNs - fromNs));
      return;
    }
    addAt(target, f * stride + offset, value * ((f + 1) * w - fromNs));
    for (f++; f < last; f++) addAt(target, f * stride + offset, value * w);
    if (last < this.frames) addAt(target, last * stride + offset, value * (toNs - last * w));
  }

  /** CPU `cpu` was in `state` over [fromNs, toNs). Intervals of one CPU arrive in time order. */
  cpuInterval(cpu: number, state: number, fromNs: SimNanos, toNs: SimNanos): void {
    if (toNs <= fromNs) return;
    const endFrame = this.reach(toNs);
    this.spread(this.stateNs, CPU_STATE_COUNT, state, fromNs, toNs, endFrame, 1);
    const w = this.frameNs;
    let open = this.openFrame[cpu] as number;
    const acc = cpu * CPU_STATE_COUNT;
    if (endFrame === open) {
      addAt(this.openAcc, acc + state, toNs - fromNs);
      return;
    }
    addAt(this.openAcc, acc + state, (open + 1) * w - fromNs);
    this.closeFrame(cpu, open);
    for (open++; open < endFrame; open++) {
      this.cpuState[open * this.cpus + cpu] = state;
      this.cpuShare[open * this.cpus + cpu] = 255;
    }
    this.openFrame[cpu] = endFrame;
    this.openAcc[acc + state] = toNs - endFrame * w;
  }

  /** The state CPU `cpu`'s open frame shows (dominantState); its time is left in dominantNs. */
  private dominant(cpu: number): number {
    const state = dominantState(
      this.openAcc,
      cpu * CPU_STATE_COUNT,
      this.frameNs,
      this.dominantOut,
    );
    this.dominantNs = this.dominantOut[0] as number;
    return state;
  }

  /** The per-CPU state frames so far, open frames resolved to their state so far (a copy). */
  level(nowNs: SimNanos): FrameLevel {
    this.reach(Math.max(nowNs, 0));
    const frameCount = Math.min(this.frames, this.lastFrame + 1);
    const { cpus } = this;
    const cpuState = this.cpuState.slice(0, frameCount * cpus);
    const cpuShare = this.cpuShare.slice(0, frameCount * cpus);
    for (let c = 0; c < cpus; c++) {
      const open = this.openFrame[c] as number;
      if (open < frameCount) {
        const state = this.dominant(c);
        const ns = this.dominantNs;
        cpuState[open * cpus + c] = state;
        cpuShare[open * cpus + c] = Math.min(255, Math.round((ns / this.frameNs) * 255));
      }
    }
    return {
      frameNs: this.frameNs,
      frameCount,
      cpuState,
      cpuShare,
      stateNs: this.stateNs.slice(0, frameCount * CPU_STATE_COUNT),
    };
  }

  private closeFrame(cpu: number, frame: number): void {
    const state = this.dominant(cpu);
    const ns = this.dominantNs;
    this.cpuState[frame * this.cpus + cpu] = state;
    this.cpuShare[frame * this.cpus + cpu] = Math.min(255, Math.round((ns / this.frameNs) * 255));
    this.openAcc.fill(0, cpu * CPU_STATE_COUNT, (cpu + 1) * CPU_STATE_COUNT);
  }

  waiters(spinning: number, sleeping: number, fromNs: SimNanos, toNs: SimNanos): void {
    if (toNs <= fromNs || (spinning === 0 && sleeping === 0)) return;
    const last = this.reach(toNs);
    if (spinning) this.spread(this.spinNs, 1, 0, fromNs, toNs, last, spinning);
    if (sleeping) this.spread(this.sleepNs, 1, 0, fromNs, toNs, last, sleeping);
  }

  enospcAt(atNs: SimNanos, cpu: number): void {
    addAt(this.enospc, this.reach(atNs), 1);
    if (cpu >= 0 && cpu < this.cpus) addAt(this.enospcPerCpu, cpu, 1);
  }

  /**
   * Writes the occupancy levels valid up to `atNs` into every frame that ended before it (and
   * into the frame holding `atNs` too with `includeCurrent`, at the end of a run).
   * `read(pool, cpu)` gives [cpuPinned, taskMax] of the current state.
   */
  occupancyUntil(
    atNs: SimNanos,
    read: (pool: number, cpu: number, out: Int32Array) => void,
    includeCurrent = false,
  ): void {
    const frame = this.reach(atNs) + (includeCurrent ? 1 : 0);
    if (frame <= this.occupancyFrame) return;
    const rowLen = this.pools * this.cpus;
    const first = this.occupancyFrame * rowLen;
    const out = this.occupancyOut;
    for (let p = 0; p < this.pools; p++) {
      for (let c = 0; c < this.cpus; c++) {
        read(p, c, out);
        this.cpuPinned[first + p * this.cpus + c] = Math.min(255, out[0] as number);
        this.taskMax[first + p * this.cpus + c] = Math.min(255, out[1] as number);
      }
    }
    for (let f = this.occupancyFrame + 1; f < frame; f++) {
      this.cpuPinned.copyWithin(f * rowLen, first, first + rowLen);
      this.taskMax.copyWithin(f * rowLen, first, first + rowLen);
    }
    this.occupancyFrame = frame;
  }

  /** A copy of the columns up to `nowNs`, open frames filled with their state so far. */
  snapshot(nowNs: SimNanos, acquisitions: AcquisitionLog): SampleColumns {
    this.reach(Math.max(nowNs, 0));
    const frameCount = Math.min(this.frames, this.lastFrame + 1);
    const { cpus, pools } = this;
    const cpuState = this.cpuState.slice(0, frameCount * cpus);
    for (let c = 0; c < cpus; c++) {
      const open = this.openFrame[c] as number;
      if (open < frameCount) cpuState[open * cpus + c] = this.dominant(c);
    }
    const stateCpus = new Float32Array(frameCount * CPU_STATE_COUNT);
    const spinWaiters = new Float32Array(frameCount);
    const sleepWaiters = new Float32Array(frameCount);
    for (let f = 0; f < frameCount; f++) {
      for (let s = 0; s < CPU_STATE_COUNT; s++) {
        stateCpus[f * CPU_STATE_COUNT + s] =
          (this.stateNs[f * CPU_STATE_COUNT + s] as number) / this.frameNs;
      }
      spinWaiters[f] = (this.spinNs[f] as number) / this.frameNs;
      sleepWaiters[f] = (this.sleepNs[f] as number) / this.frameNs;
    }
    const rowLen = pools * cpus;
    return {
      cpus,
      pools,
      frameCount,
      frameNs: this.frameNs,
      cpuState,
      stateCpus,
      cpuPinned: this.cpuPinned.slice(0, frameCount * rowLen),
      taskMax: this.taskMax.slice(0, frameCount * rowLen),
      spinWaiters,
      sleepWaiters,
      enospcPerFrame: this.enospc.slice(0, frameCount),
      enospcPerCpu: this.enospcPerCpu.slice(),
      acquisitionCount: acquisitions.count,
      acquisitionStride: acquisitions.stride,
      acquisitionAtNs: acquisitions.atNs.slice(0, acquisitions.kept),
      acquisitionWaitNs: acquisitions.waitNs.slice(0, acquisitions.kept),
      acquisitionHoldNs: acquisitions.holdNs.slice(0, acquisitions.kept),
    };
  }
}

/**
 * The state a frame's cell shows: the busiest non-idle state if the CPU was busy for at least a
 * quarter of the frame (so a CPU that spun 100 ms of a 240 ms frame shows as spinning), else
 * whichever of the idle and sleep states took longest. `openAcc[acc + state]` holds the frame's ns
 * per state; the state's ns goes to nsOut[0] (no tuple per closed frame).
 */
export function dominantState(
  openAcc: Float64Array,
  acc: number,
  frameNs: number,
  nsOut: Float64Array,
): number {
  let busy = -1;
  let busyNs = 0;
  let busyTotalNs = 0;
  for (let s = 0; s < CPU_STATE_COUNT; s++) {
    if (!isBusyState(s)) continue;
    const ns = openAcc[acc + s] as number;
    busyTotalNs += ns;
    if (ns > busyNs) {
      busy = s;
      busyNs = ns;
    }
  }
  if (busy >= 0 && busyTotalNs >= frameNs / 4) {
    nsOut[0] = busyNs;
    return busy;
  }
  // Idle, unless a sleeping state took longer (the first such state on a tie).
  let rest: number = CpuState.idle;
  let restNs = openAcc[acc + rest] as number;
  for (let s = 0; s < CPU_STATE_COUNT; s++) {
    const ns = openAcc[acc + s] as number;
    if (!isBusyState(s) && ns > restNs) {
      rest = s;
      restNs = ns;
    }
  }
  nsOut[0] = restNs;
  return rest;
}

/** Every `stride`-th acquisition, the stride doubling whenever the columns fill. */
export class AcquisitionLog {
  count = 0;
  kept = 0;
  stride = 1;
  readonly atNs = new Float64Array(ACQUISITION_CAPACITY);
  readonly waitNs = new Float64Array(ACQUISITION_CAPACITY);
  readonly holdNs = new Float64Array(ACQUISITION_CAPACITY);

  add(atNs: number, waitNs: number, holdNs: number): void {
    const index = this.count++;
    if (index % this.stride !== 0) return;
    if (this.kept === ACQUISITION_CAPACITY) {
      for (let i = 0; i < ACQUISITION_CAPACITY / 2; i++) {
        this.atNs[i] = this.atNs[2 * i] as number;
        this.waitNs[i] = this.waitNs[2 * i] as number;
        this.holdNs[i] = this.holdNs[2 * i] as number;
      }
      this.kept = ACQUISITION_CAPACITY / 2;
      this.stride *= 2;
      if (index % this.stride !== 0) return;
    }
    this.atNs[this.kept] = atNs;
    this.waitNs[this.kept] = waitNs;
    this.holdNs[this.kept] = holdNs;
    this.kept++;
  }
}

const BUCKETS_PER_OCTAVE = 64;
const OCTAVES = 48;

/**
 * Wait-time distribution in log buckets of 2^(1/64) (1.1% wide): quantiles with bounded memory.
 * Bucket 0 holds zero waits.
 */
export class WaitHistogram {
  private readonly counts = new Float64Array(1 + BUCKETS_PER_OCTAVE * OCTAVES);
  total = 0;
  maxNs = 0;

  add(waitNs: number): void {
    this.total++;
    if (waitNs > this.maxNs) this.maxNs = waitNs;
    const bucket =
      waitNs < 1
        ? 0
        : Math.min(this.counts.length - 1, 1 + Math.floor(Math.log2(waitNs) * BUCKETS_PER_OCTAVE));
    addAt(this.counts, bucket, 1);
  }

  /** The q-quantile (0..1), as the geometric middle of its bucket (0 for zero waits). */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b] as number;
      if (seen >= rank) {
        if (b === 0) return 0;
        return Math.min(this.maxNs, 2 ** ((b - 1 + 0.5) / BUCKETS_PER_OCTAVE));
      }
    }
    return this.maxNs;
  }

  quantiles(): WaitQuantiles {
    return { p50Ns: this.quantile(0.5), p99Ns: this.quantile(0.99), maxNs: this.maxNs };
  }
}

interface LockClassStats {
  acquisitions: number;
  contended: number;
  holdTotalNs: number;
  readonly waits: WaitHistogram;
}

/** What a recorder keeps on a lock instance (SimLock.recorded): its owner tells whose it is. */
export interface LockRecord {
  readonly owner: object;
}

/** What LockRecorder keeps on each lock instance (SimLock.recorded). */
class InstanceRecord implements LockRecord {
  readonly owner: LockRecorder;
  readonly stats: LockClassStats;
  // The log entries still open (hold time unknown until release): [head, tail), oldest first.
  // Emptied by moving both back to 0, so the arrays keep their storage. They start with room for
  // one entry: a per-task mutex rarely has two open, and an array grown from empty reserves 17
  // slots (about 180 bytes per lock instance, that is per live thread). The one slot holds a
  // double from the start: a small integer there turned the array into doubles (a new backing
  // store) at the first fractional time, and the stores below saw both element kinds.
  readonly atNs: number[] = [0.5];
  readonly waitNs: number[] = [0.5];
  head = 0;
  tail = 0;
  /**
   * The lock's `accounting`, copied: the hooks read it here, on one class, rather than on the
   * lock, whose six classes make every load of a lock field a megamorphic lookup.
   */
  readonly accounting: boolean;

  constructor(owner: LockRecorder, stats: LockClassStats, accounting: boolean) {
    this.owner = owner;
    this.stats = stats;
    this.accounting = accounting;
  }
}

/**
 * Lock statistics by class (all instances of a per-task or per-shard lock under one name), and
 * the acquisition log of the accounting locks, fed by the kernel's acquired/released hooks.
 */
export class LockRecorder {
  readonly acquisitions = new AcquisitionLog();
  private readonly classes = new Map<string, LockClassStats>();

  private recordOf(lock: SimLock): InstanceRecord {
    const recorded = lock.recorded;
    // Only this recorder's records have it as owner.
    if (recorded !== null && recorded.owner === this) return recorded as InstanceRecord;
    let s = this.classes.get(lock.name);
    if (!s) {
      s = { acquisitions: 0, contended: 0, holdTotalNs: 0, waits: new WaitHistogram() };
      this.classes.set(lock.name, s);
    }
    const record = new InstanceRecord(this, s, lock.accounting);
    lock.recorded = record;
    return record;
  }

  acquired(lock: SimLock, waitNs: number, atNs: SimNanos): void {
    const record = this.recordOf(lock);
    const s = record.stats;
    s.acquisitions++;
    if (waitNs > 0) s.contended++;
    s.waits.add(waitNs);
    if (record.accounting) {
      const i = record.tail++;
      record.atNs[i] = atNs;
      record.waitNs[i] = waitNs;
    }
  }

  released(lock: SimLock, holdNs: number): void {
    const record = this.recordOf(lock);
    record.stats.holdTotalNs += holdNs;
    if (record.accounting && record.head < record.tail) {
      // Shared (read) holders release in any order; the oldest open entry is a fair match.
      const i = record.head++;
      this.acquisitions.add(record.atNs[i] as number, record.waitNs[i] as number, holdNs);
      if (record.head === record.tail) {
        record.head = 0;
        record.tail = 0;
      }
    }
  }

  /** One entry per lock class, in the order the classes were first taken. */
  stats(): LockStats[] {
    return [...this.classes.entries()].map(([lock, s]) => ({
      lock,
      acquisitions: s.acquisitions,
      contended: s.contended,
      wait: s.waits.quantiles(),
      holdTotalNs: s.holdTotalNs,
    }));
  }
}
