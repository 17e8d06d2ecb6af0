/**
 * Exact timeline windows of one or two runs → a Trace Event Format file (the JSON the Chrome
 * trace viewer defined; Perfetto UI, speedscope and Chrome DevTools open it). Pure.
 *
 * Layout (why: each track's slices must nest, and speedscope draws one flame chart per track):
 * - one process per run (pid 1, 2), named by its design, sorted in the order given;
 * - one track per CPU ("CPU 017"): its state runs as complete slices ("X") named by the state
 *   (critical sections, spins, sleeps, work), the simulated thread in `args`. A CPU's runs never
 *   overlap, so the track nests trivially, and there are at most as many tracks as CPUs (a
 *   track per simulated thread would be thousands: the slow case of every viewer). Idle runs are
 *   left out: a gap is idle.
 * - one track per lock instance worth a track ("lock nr_bp_mutex"): its owners as slices named
 *   by the thread ("thread 17"). Shared (read) holders overlap, so they take further lanes of
 *   the same lock ("lock bp_cpuinfo_sem #2"), each lane nesting on its own;
 * - hand-offs as flow arrows ("s" bound to the releasing owner's slice, "f" with `bp: "e"` to
 *   the next owner's), from one owner slice to the next;
 * - waiters as a counter per lock ("C", process-scoped: series `spinning` and `sleeping`),
 *   written at each change.
 *
 * Pitfalls followed (shared/docs/ux-anchors.md): `traceEvents` is the first key and everything
 * else sits in `otherData` (Perfetto ignores the rest of a file after an unknown key); `ts` and
 * `dur` are microseconds; `displayTimeUnit` is "ms", never "ns" (Perfetto would read ts as ns);
 * tids are unique across processes (pid · 100000 + track).
 *
 * Size: at most `eventCap` events (TRACE_EVENT_CAP by default, about 120 bytes each). Lock
 * tracks, flows and counters go first; then whole CPU tracks, busiest CPU first, while they fit:
 * a CPU track is written whole or not at all. `otherData` states the cap, what was written and
 * what was cut.
 */
import type { DesignId } from '../engine/types.ts';
import { CPU_STATE_TABLE, CpuState } from '../sim/cpuStates.ts';
import type { TimelineLockTrack, TimelineWindow } from '../sim/timelineTypes.ts';
import { designLabel } from './designs.ts';

/** Events a file holds at most (≈ 60 MB of JSON at the worst). */
export const TRACE_EVENT_CAP = 500_000;
/** Lanes a shared lock's overlapping holders may take; holders past them are cut (and counted). */
export const TRACE_MAX_LOCK_LANES = 16;
const TRACK_STRIDE = 100_000;
const LOCK_TRACK_BASE = 90_000;

export interface TraceRun {
  readonly design: DesignId;
  /** An exact window (TimelineWindow.exact), with spans for the CPUs to write. */
  readonly window: TimelineWindow;
}

export interface TraceOptions {
  readonly eventCap?: number;
  /** Written into otherData (the scenario's query, the tool's version...). */
  readonly otherData?: Readonly<Record<string, string | number | boolean>>;
}

export interface TraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'M' | 'C' | 's' | 'f';
  readonly pid: number;
  readonly tid?: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly id?: number;
  readonly bp?: 'e';
  readonly args?: Readonly<Record<string, string | number>>;
}

export interface TraceRunSummary {
  readonly pid: number;
  readonly design: DesignId;
  readonly fromUs: number;
  readonly toUs: number;
  readonly cpuTracks: number;
  readonly cpuTracksCut: number;
  readonly lockTracks: number;
  readonly lockSlices: number;
  /** Owner slices not written: past the lanes of a shared lock, or past the event cap. */
  readonly lockSlicesCut: number;
  readonly handoffs: number;
  readonly handoffsCut: number;
  readonly counterEvents: number;
  readonly counterEventsCut: number;
  /** Events the recorder had dropped already (past TIMELINE_EXACT_EVENT_CAP). */
  readonly recorderTruncated: number;
}

export interface TraceFile {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: Readonly<Record<string, unknown>>;
}

const us = (ns: number): number => ns / 1000;

/** "CPU 017": zero-padded so the viewers' name sort is the CPU order. */
export function cpuTrackName(cpu: number, cpus: number): string {
  return `CPU ${String(cpu).padStart(Math.max(3, String(cpus - 1).length), '0')}`;
}

export function lockTrackName(track: Pick<TimelineLockTrack, 'lock' | 'instance'>): string {
  return track.instance === '' ? `lock ${track.lock}` : `lock ${track.lock} (${track.instance})`;
}

/** Shared holders → lanes where none overlaps (greedy, in start order). Lane -1: cut. */
function assignLanes(track: TimelineLockTrack, order: readonly number[]): Int32Array {
  const lanes = new Int32Array(track.slices.count).fill(-1);
  const laneEnd: number[] = [];
  for (const i of order) {
    const start = track.slices.startNs[i] as number;
    let lane = laneEnd.findIndex((end) => end <= start);
    if (lane < 0 && laneEnd.length < TRACE_MAX_LOCK_LANES) lane = laneEnd.push(0) - 1;
    if (lane < 0) continue;
    laneEnd[lane] = track.slices.endNs[i] as number;
    lanes[i] = lane;
  }
  return lanes;
}

/** The runs' windows as one Trace Event Format file (an object; JSON.stringify it to save). */
export function traceFile(runs: readonly TraceRun[], options: TraceOptions = {}): TraceFile {
  // The processes' names are always written.
  const cap = Math.max(2 * runs.length, options.eventCap ?? TRACE_EVENT_CAP);
  const events: TraceEvent[] = [];
  const summaries: TraceRunSummary[] = [];
  let flowId = 0;
  runs.forEach((run, runIndex) => {
    const { window } = run;
    if (!window.exact || window.spans === null) {
      throw new RangeError('a trace is written from exact windows (real events), not a summary');
    }
    const pid = runIndex + 1;
    const base = pid * TRACK_STRIDE;
    events.push(
      { name: 'process_name', ph: 'M', pid, args: { name: designLabel(run.design) } },
      { name: 'process_sort_index', ph: 'M', pid, args: { sort_index: runIndex } },
    );
    // Lock tracks: owner slices, lanes for overlapping holders, flows, counters.
    let lockSlices = 0;
    let lockSlicesCut = 0;
    let handoffs = 0;
    let handoffsCut = 0;
    let counterEvents = 0;
    let counterEventsCut = 0;
    // The later runs' process names, so the first run does not take them.
    const reserve = (runs.length - runIndex - 1) * 2;
    const room = (n: number): boolean => events.length + n + reserve <= cap;
    window.locks.forEach((track, lockIndex) => {
      const { slices } = track;
      const order = Array.from({ length: slices.count }, (_, i) => i).sort(
        (a, b) => (slices.startNs[a] as number) - (slices.startNs[b] as number),
      );
      const lanes = assignLanes(track, order);
      const laneCount = Math.max(0, ...lanes) + 1;
      const tidOf = (lane: number): number =>
        base + LOCK_TRACK_BASE + lockIndex * TRACE_MAX_LOCK_LANES + lane;
      if (!room(2 * Math.max(1, laneCount))) {
        lockSlicesCut += slices.count;
        handoffsCut += track.handoffs.count;
        return;
      }
      for (let lane = 0; lane < Math.max(1, laneCount); lane++) {
        const name = lockTrackName(track) + (lane > 0 ? ` #${lane + 1}` : '');
        events.push(
          { name: 'thread_name', ph: 'M', pid, tid: tidOf(lane), args: { name } },
          {
            name: 'thread_sort_index',
            ph: 'M',
            pid,
            tid: tidOf(lane),
            args: { sort_index: lockIndex * TRACE_MAX_LOCK_LANES + lane },
          },
        );
      }
      // Where each owner's slice went, to bind the hand-offs' arrows.
      const sliceAt = new Map<string, number>();
      for (const i of order) {
        const lane = lanes[i] as number;
        if (lane < 0 || !room(1)) {
          lockSlicesCut++;
          continue;
        }
        const start = slices.startNs[i] as number;
        const end = slices.endNs[i] as number;
        const thread = slices.thread[i] as number;
        events.push({
          name: `thread ${thread}`,
          ph: 'X',
          pid,
          tid: tidOf(lane),
          ts: us(start),
          dur: us(end - start),
          cat: 'lock',
          args: {
            lock: track.lock,
            instance: track.instance,
            thread,
            cpu: slices.cpu[i] as number,
          },
        });
        lockSlices++;
        sliceAt.set(`e${thread}@${end}`, i);
        sliceAt.set(`s${thread}@${start}`, i);
      }
      const h = track.handoffs;
      for (let k = 0; k < h.count; k++) {
        const from = sliceAt.get(`e${h.fromThread[k] as number}@${h.atNs[k] as number}`);
        const to = sliceAt.get(`s${h.toThread[k] as number}@${h.grantNs[k] as number}`);
        if (from === undefined || to === undefined) continue;
        if (!room(2)) {
          handoffsCut++;
          continue;
        }
        const id = ++flowId;
        // Each end at its slice's own start, same category: DevTools binds a flow event to the
        // slice with the same ts, pid, tid and cat; Perfetto to the slice open at ts (written
        // before the flows, so already open). Viewers draw the arrow from the releasing slice's
        // end to the next owner's start.
        events.push(
          {
            name: 'handoff',
            ph: 's',
            pid,
            tid: tidOf(lanes[from] as number),
            ts: us(slices.startNs[from] as number),
            id,
            cat: 'lock',
          },
          {
            name: 'handoff',
            ph: 'f',
            bp: 'e',
            pid,
            tid: tidOf(lanes[to] as number),
            ts: us(slices.startNs[to] as number),
            id,
            cat: 'lock',
          },
        );
        handoffs++;
      }
      const w = track.waiterChanges;
      if (w) {
        let lastSpin = -1;
        let lastSleep = -1;
        for (let k = 0; k < w.count; k++) {
          const spinning = w.spinning[k] as number;
          const sleeping = w.sleeping[k] as number;
          if (spinning === lastSpin && sleeping === lastSleep) continue;
          if (!room(1)) {
            counterEventsCut++;
            continue;
          }
          counterEvents++;
          lastSpin = spinning;
          lastSleep = sleeping;
          events.push({
            name: `${lockTrackName(track)} waiters`,
            ph: 'C',
            pid,
            ts: us(w.atNs[k] as number),
            args: { spinning, sleeping },
          });
        }
      }
    });
    // CPU tracks, busiest first, whole or not at all.
    const spans = window.spans;
    const byCpu = new Map<number, number[]>();
    const busyNs = new Map<number, number>();
    for (let i = 0; i < spans.count; i++) {
      const state = spans.state[i] as number;
      if (state === CpuState.idle) continue;
      const cpu = spans.cpu[i] as number;
      let list = byCpu.get(cpu);
      if (!list) byCpu.set(cpu, (list = []));
      list.push(i);
      busyNs.set(
        cpu,
        (busyNs.get(cpu) ?? 0) + (spans.endNs[i] as number) - (spans.startNs[i] as number),
      );
    }
    const cpus = [...byCpu.keys()].sort(
      (a, b) => (busyNs.get(b) ?? 0) - (busyNs.get(a) ?? 0) || a - b,
    );
    const machineCpus = window.cpuFrom + window.cpuCount;
    let cpuTracks = 0;
    let cpuTracksCut = 0;
    for (const cpu of cpus) {
      const list = byCpu.get(cpu) as number[];
      if (!room(list.length + 2)) {
        cpuTracksCut++;
        continue;
      }
      const tid = base + cpu;
      events.push(
        { name: 'thread_name', ph: 'M', pid, tid, args: { name: cpuTrackName(cpu, machineCpus) } },
        { name: 'thread_sort_index', ph: 'M', pid, tid, args: { sort_index: 1000 + cpu } },
      );
      for (const i of list) {
        const state = spans.state[i] as number;
        const spec = CPU_STATE_TABLE[state];
        const start = spans.startNs[i] as number;
        const end = spans.endNs[i] as number;
        events.push({
          name: spec?.label ?? `state ${state}`,
          ph: 'X',
          pid,
          tid,
          ts: us(start),
          dur: us(end - start),
          cat: spec?.family ?? 'cpu',
          args: { thread: spans.thread[i] as number, state: spec?.name ?? String(state) },
        });
      }
      cpuTracks++;
    }
    summaries.push({
      pid,
      design: run.design,
      fromUs: us(window.fromNs),
      toUs: us(window.toNs),
      cpuTracks,
      cpuTracksCut,
      lockTracks: window.locks.length,
      lockSlices,
      lockSlicesCut,
      handoffs,
      handoffsCut,
      counterEvents,
      counterEventsCut,
      recorderTruncated: window.truncated,
    });
  });
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: {
      generator: 'slotscope',
      timeUnit: 'ts and dur in microseconds of simulated time from the run start',
      eventCap: cap,
      events: events.length,
      ...options.otherData,
      runs: summaries,
    },
  };
}

/** The file's text: `traceEvents` first, one event per line (diffable, and streamable). */
export function traceJson(file: TraceFile): string {
  const lines = file.traceEvents.map((e) => JSON.stringify(e));
  return (
    `{"traceEvents":[\n${lines.join(',\n')}\n],\n"displayTimeUnit":${JSON.stringify(file.displayTimeUnit)},\n` +
    `"otherData":${JSON.stringify(file.otherData)}}\n`
  );
}
