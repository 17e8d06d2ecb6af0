import { describe, expect, it } from 'vitest';
import type { DesignId } from '../engine/types.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { CPU_STATE_TABLE } from './cpuStates.ts';
import { SimThread } from './kernel.ts';
import { SimMutex } from './locks/mutex.ts';
import { SimPercpuRwsem } from './locks/percpuRwsem.ts';
import { createSimulation } from './simulation.ts';
import {
  SUMMARY_INITIAL_FRAME_NS,
  SUMMARY_SLICES_PER_LOCK,
  TIMELINE_SUMMARY_BUDGET_BYTES,
  summaryBinsFor,
  summaryBytesFor,
  TimelineRecorder,
  timelineWindow,
  type TimelineSummaryData,
} from './timeline.ts';
import { exactWindow } from './timelineRun.ts';
import { NO_STATE, type TimelineRequest, type TimelineWindow } from './timelineTypes.ts';

const small = (repeat: number): Scenario => ({
  ...DEFAULT_SCENARIO,
  cpus: 16,
  thread: { repeat, breakpoints: 4, parallelism: 4, threads: 4 },
});

function summaryOf(scenario: Scenario, design: DesignId): TimelineSummaryData {
  const sim = createSimulation(scenario, design, undefined, { timeline: { summary: true } });
  while (!sim.advance(20_000).done) {
    // run
  }
  return sim.timelineSummary() as TimelineSummaryData;
}

const whole = (s: TimelineSummaryData, bins: number): TimelineRequest => ({
  fromNs: 0,
  toNs: s.level.frameNs * bins,
  bins,
  cpuFrom: 0,
  cpuCount: s.cpus,
});

describe('timeline summary', () => {
  it('fits its fixed budget at every machine size', () => {
    for (const cpus of [1, 16, 256, 1024, 4096]) {
      expect(summaryBytesFor(cpus)).toBeLessThanOrEqual(TIMELINE_SUMMARY_BUDGET_BYTES);
    }
    expect(summaryBinsFor(256)).toBe(8192);
    expect(summaryBinsFor(4096)).toBe(512);
  });

  it('keeps the same memory for a run forty times longer: its frames widen instead', () => {
    // 256 CPUs: the long run (345 ms) outgrows 8,192 frames of the first width (16 µs).
    const wide = (repeat: number): Scenario => ({
      ...DEFAULT_SCENARIO,
      thread: { repeat, breakpoints: 4, parallelism: 4, threads: 4 },
    });
    const short = summaryOf(wide(1), 'list');
    const long = summaryOf(wide(40), 'list');
    expect(long.endNs).toBeGreaterThan(5 * short.endNs);
    const bins = summaryBinsFor(256);
    for (const s of [short, long]) {
      expect(s.level.frameCount).toBeLessThanOrEqual(bins);
      expect(s.level.cpuState.length).toBe(s.level.frameCount * 256);
      for (const t of s.locks) {
        expect(t.spinNs.length).toBe(s.level.frameCount);
        expect(t.sliceCount).toBeLessThanOrEqual(SUMMARY_SLICES_PER_LOCK);
        for (let i = 0; i < t.sliceCount; i++) {
          expect((t.sliceEnd[i] as number) - (t.sliceStart[i] as number)).toBeGreaterThanOrEqual(
            t.minSliceNs,
          );
        }
      }
    }
    expect(short.level.frameNs).toBe(SUMMARY_INITIAL_FRAME_NS);
    expect(long.endNs).toBeGreaterThan(summaryBinsFor(256) * short.level.frameNs);
    expect(long.level.frameNs).toBeGreaterThan(short.level.frameNs);
    expect(long.locks[0]?.lock).toBe('nr_bp_mutex');
  });

  it("keeps each lock's hold time per frame, including holds too short to list", () => {
    const scenario = small(40);
    const sim = createSimulation(scenario, 'list', undefined, { timeline: { summary: true } });
    while (!sim.advance(20_000).done) {
      // run
    }
    const s = sim.timelineSummary() as TimelineSummaryData;
    const stats = sim.result().locks.find((l) => l.lock === 'nr_bp_mutex');
    const track = s.locks.find((t) => t.lock === 'nr_bp_mutex');
    if (!stats || !track) throw new Error('no nr_bp_mutex');
    // The one global mutex has its track from its first release, which brings its whole hold:
    // every hold is in it.
    const heldNs = track.heldNs.reduce((a, b) => a + b, 0);
    expect(heldNs / stats.holdTotalNs).toBeCloseTo(1, 3);
    // The window gives it as owners per bin: an exclusive lock's never pass 1.
    const w = timelineWindow(s, whole(s, 64));
    const held = w.locks.find((t) => t.lock === 'nr_bp_mutex')?.held;
    expect(held).toBeDefined();
    expect(Math.max(...(held as Float32Array))).toBeLessThanOrEqual(1 + 1e-6);
    expect(Math.max(...(held as Float32Array))).toBeGreaterThan(0.5);
  });

  it('shows the run up to its end and nothing past it', () => {
    const s = summaryOf(small(1), 'final');
    const w = timelineWindow(s, {
      fromNs: 0,
      toNs: 2 * s.endNs,
      bins: 100,
      cpuFrom: 0,
      cpuCount: 16,
    });
    expect(w.exact).toBe(false);
    for (let c = 0; c < 16; c++) {
      expect(w.cpuState[c * 100 + 10]).not.toBe(NO_STATE);
      expect(w.cpuState[c * 100 + 60]).toBe(NO_STATE);
    }
    // Every CPU is in some state all along: the density sums to the CPU count where the run was.
    const states = w.stateCpus.length / 100;
    let sum = 0;
    for (let s2 = 0; s2 < states; s2++) sum += w.stateCpus[10 * states + s2] as number;
    expect(sum).toBeCloseTo(16, 3);
  });
});

describe('exact window', () => {
  const scenario = small(1);

  it('agrees bin for bin with the summary when its bins are the summary frames', () => {
    const s = summaryOf(scenario, 'list');
    const bins = Math.min(400, s.level.frameCount);
    const request = whole(s, bins);
    const fromSummary = timelineWindow(s, request);
    const exact = exactWindow(scenario, 'list', request);
    expect(exact.exact).toBe(true);
    expect(Array.from(exact.cpuState)).toEqual(Array.from(fromSummary.cpuState));
    expect(Array.from(exact.cpuShare)).toEqual(Array.from(fromSummary.cpuShare));
  });

  it('agrees with a coarser summary level on most bins', () => {
    const s = summaryOf(scenario, 'list');
    const bins = Math.floor(s.level.frameCount / 4);
    const request = { ...whole(s, bins), toNs: s.level.frameNs * bins * 4 };
    const fromSummary = timelineWindow(s, request);
    const exact = exactWindow(scenario, 'list', request);
    let same = 0;
    for (let i = 0; i < exact.cpuState.length; i++) {
      if (exact.cpuState[i] === fromSummary.cpuState[i]) same++;
    }
    expect(same / exact.cpuState.length).toBeGreaterThan(0.8);
  });

  function window(design: DesignId): TimelineWindow {
    const s = summaryOf(scenario, design);
    return exactWindow(scenario, design, {
      fromNs: s.endNs * 0.3,
      toNs: s.endNs * 0.6,
      bins: 500,
      cpuFrom: 0,
      cpuCount: 16,
    });
  }

  it('has every CPU span contiguous across the window, with the thread on it', () => {
    const w = window('list');
    const spans = w.spans;
    expect(spans).not.toBeNull();
    if (spans === null) return;
    expect(w.truncated).toBe(0);
    for (let cpu = 0; cpu < 16; cpu++) {
      const mine: number[] = [];
      for (let i = 0; i < spans.count; i++) if (spans.cpu[i] === cpu) mine.push(i);
      mine.sort((a, b) => (spans.startNs[a] as number) - (spans.startNs[b] as number));
      expect(spans.startNs[mine[0] as number]).toBeLessThanOrEqual(w.fromNs);
      expect(spans.endNs[mine[mine.length - 1] as number]).toBeGreaterThanOrEqual(w.toNs);
      for (let k = 1; k < mine.length; k++) {
        expect(spans.startNs[mine[k] as number]).toBe(spans.endNs[mine[k - 1] as number]);
      }
    }
    // Busy spans carry a thread, idle ones none.
    let busyWithThread = 0;
    for (let i = 0; i < spans.count; i++) {
      if (spans.state[i] === 0) expect(spans.thread[i]).toBe(-1);
      else if ((spans.thread[i] as number) >= 0) busyWithThread++;
    }
    expect(busyWithThread).toBeGreaterThan(0);
  });

  it('names the thread asleep on a lock on the CPU it left idle', () => {
    // More threads than CPUs: threads sleep on the locks of the thread lifecycle (mmap_lock).
    const crowded: Scenario = {
      ...DEFAULT_SCENARIO,
      cpus: 4,
      thread: { repeat: 1, breakpoints: 4, parallelism: 8, threads: 8 },
    };
    const s = summaryOf(crowded, 'list');
    const w = exactWindow(crowded, 'list', {
      fromNs: 0,
      toNs: s.endNs,
      bins: 100,
      cpuFrom: 0,
      cpuCount: 4,
    });
    const spans = w.spans;
    if (spans === null) throw new Error('exact window without spans');
    let asleep = 0;
    for (let i = 0; i < spans.count; i++) {
      if (CPU_STATE_TABLE[spans.state[i] as number]?.family !== 'sleep') continue;
      asleep++;
      expect(spans.thread[i]).toBeGreaterThanOrEqual(0);
    }
    expect(asleep).toBeGreaterThan(0);
  });

  it('never overlaps two owners of the global mutex, and pairs each hand-off with a release and the next acquire', () => {
    const w = window('list');
    const mutex = w.locks.find((t) => t.lock === 'nr_bp_mutex');
    expect(mutex).toBeDefined();
    if (!mutex) return;
    const { slices, handoffs } = mutex;
    expect(slices.count).toBeGreaterThan(2);
    const order = Array.from({ length: slices.count }, (_, i) => i).sort(
      (a, b) => (slices.startNs[a] as number) - (slices.startNs[b] as number),
    );
    for (let k = 1; k < order.length; k++) {
      expect(slices.startNs[order[k] as number]).toBeGreaterThanOrEqual(
        slices.endNs[order[k - 1] as number] as number,
      );
    }
    expect(handoffs.count).toBeGreaterThan(0);
    for (let h = 0; h < handoffs.count; h++) {
      const released = order.find(
        (i) => slices.endNs[i] === handoffs.atNs[h] && slices.thread[i] === handoffs.fromThread[h],
      );
      const next = order.find(
        (i) =>
          slices.startNs[i] === handoffs.grantNs[h] && slices.thread[i] === handoffs.toThread[h],
      );
      // Either end may fall outside the window; those inside it are slices we listed.
      if ((handoffs.atNs[h] as number) >= w.fromNs) expect(released).toBeDefined();
      if ((handoffs.grantNs[h] as number) < w.toNs) expect(next).toBeDefined();
      if (released !== undefined && next !== undefined) {
        // The next owner is the slice right after the releasing one.
        expect(order.indexOf(next)).toBe(order.indexOf(released) + 1);
        expect(handoffs.fromThread[h]).not.toBe(handoffs.toThread[h]);
      }
    }
  });

  it('is the same window every time (the re-simulation is deterministic)', () => {
    const a = window('final');
    const b = window('final');
    expect(Array.from(a.cpuState)).toEqual(Array.from(b.cpuState));
    expect(a.spans?.count).toBe(b.spans?.count);
    expect(a.locks.map((t) => [t.lock, t.instance, t.slices.count])).toEqual(
      b.locks.map((t) => [t.lock, t.instance, t.slices.count]),
    );
  });
});

describe('lock records', () => {
  it("pairs each reader's release with its own acquisition, in whatever order they release", () => {
    const recorder = new TimelineRecorder(4, {
      summary: false,
      exact: { fromNs: 0, toNs: 100, bins: 10, cpuFrom: 0, cpuCount: 4 },
    });
    // An accounting lock that readers share (bp_cpuinfo_sem): three holds open at once.
    const sem = new SimPercpuRwsem('bp_cpuinfo_sem', true);
    const readers = [1, 2, 3].map((id) => {
      const t = new SimThread(id);
      t.cpu = id - 1;
      return t;
    });
    readers.forEach((t, i) => recorder.acquired(sem, 0, 10 * (i + 1), t));
    // The middle one first, then the oldest, then the newest.
    for (const [index, atNs] of [
      [1, 40],
      [0, 50],
      [2, 60],
    ] as const) {
      const t = readers[index] as SimThread;
      recorder.released(sem, atNs - 10 * (index + 1), atNs, t);
    }
    const window = recorder.exact?.window(100) as TimelineWindow;
    const slices = window.locks[0]?.slices;
    const got = Array.from({ length: slices?.count ?? 0 }, (_, i) => [
      slices?.thread[i],
      slices?.startNs[i],
      slices?.endNs[i],
      slices?.cpu[i],
    ]);
    expect(got).toEqual([
      [2, 20, 40, 1],
      [1, 10, 50, 0],
      [3, 30, 60, 2],
    ]);
  });

  it('gives a summary track to a lock busier than twice the quietest, and only then', () => {
    const recorder = new TimelineRecorder(4, { summary: true, exact: null });
    const t = new SimThread(1);
    t.cpu = 0;
    const locks = Array.from({ length: 9 }, (_, i) => {
      const lock = new SimMutex('perf_event_mutex', true);
      lock.instance = `task ${i}`;
      return lock;
    });
    let now = 0;
    const hold = (i: number, ns: number): void => {
      now += 1_000;
      recorder.released(locks[i] as SimMutex, ns, now, t);
    };
    const tracked = (): string[] =>
      (recorder.summary?.data(now).locks ?? []).map((l) => l.instance).sort();
    // Eight locks of 10 ns take the eight tracks.
    for (let i = 0; i < 8; i++) hold(i, 10);
    // A ninth at 15 ns, then 20 ns: not more than twice the quietest (10 ns).
    hold(8, 15);
    hold(8, 5);
    expect(tracked()).not.toContain('task 8');
    // At 21 ns it takes the quietest's track (the first of the 10 ns ones).
    hold(8, 1);
    expect(tracked()).toContain('task 8');
    expect(tracked()).not.toContain('task 0');
    // The lock that lost it takes one back once busier than twice the quietest left (10 ns):
    // not at 15 ns, at 115 ns.
    hold(0, 5);
    expect(tracked()).not.toContain('task 0');
    hold(0, 100);
    expect(tracked()).toEqual([
      'task 0',
      'task 2',
      'task 3',
      'task 4',
      'task 5',
      'task 6',
      'task 7',
      'task 8',
    ]);
  });

  it('keeps the label a per-task mutex had when recorded, after it serves another task', () => {
    const recorder = new TimelineRecorder(4, { summary: true, exact: null });
    const t = new SimThread(1);
    t.cpu = 0;
    const lock = new SimMutex('perf_event_mutex', true);
    lock.instance = 'task 7';
    recorder.released(lock, 50, 1_000, t);
    // Task 7 exited; DesignLocks gives its free mutex to task 8, which holds it longer.
    expect(lock.recycle()).toBe(true);
    lock.instance = 'task 8';
    recorder.released(lock, 80, 2_000, t);
    const tracks = (recorder.summary?.data(2_000).locks ?? []).map((l) => [l.instance, l.busyNs]);
    expect(tracks.sort()).toEqual([
      ['task 7', 50],
      ['task 8', 80],
    ]);
  });
});
