import { describe, expect, it } from 'vitest';
import type { DesignSpec } from '../engine/spec.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { PROFILE_SYMBOLS, type LockStats, type RunResult } from '../sim/types.ts';
import { compareRuns, raceSpan } from './comparison.ts';
import {
  comparisonSentence,
  headerNarrative,
  panelCaptions,
  type NarrativeInput,
} from './narrative.ts';
import { formatNs } from '../report/format.ts';

function lock(name: string, acquisitions: number, contended: number, p99Ns: number): LockStats {
  return {
    lock: name,
    acquisitions,
    contended,
    wait: { p50Ns: p99Ns / 2, p99Ns, maxNs: p99Ns * 1.1 },
    holdTotalNs: 0,
  };
}

function result(design: DesignSpec, over: Partial<RunResult> = {}): RunResult {
  const profileNs = Object.fromEntries(PROFILE_SYMBOLS.map((s) => [s, 0])) as Record<
    (typeof PROFILE_SYMBOLS)[number],
    number
  >;
  profileNs.osq_lock = design === 'list' ? 70 : 1;
  profileNs.user = design === 'list' ? 30 : 99;
  return {
    design,
    totalTimeNs: 1e9,
    usecsPerOp: 1,
    usecsPerOpPerCpu: 1,
    endNs: 1e9,
    accountingOps: 15_872,
    enospc: 0,
    openError: null,
    threadsCreated: 1,
    peakLiveThreads: 1,
    profileNs,
    locks: [],
    events: 1,
    ...over,
  };
}

const LIST = result('list', {
  totalTimeNs: 245e9,
  endNs: 245.1e9,
  locks: [lock('nr_bp_mutex', 15_880, 15_000, 7.34e9), lock('tasklist_lock', 4096, 10, 1e3)],
});
const FINAL = result('final', {
  totalTimeNs: 67.7e6,
  endNs: 168e6,
  locks: [
    lock('perf_event_mutex', 15_880, 0, 0),
    lock('bp_cpuinfo_sem', 15_880, 0, 0),
    lock('mmap_lock', 3_968, 3_961, 1.98e6),
  ],
});

function input(
  scenario: Scenario,
  a: RunResult | null,
  b: RunResult | null,
  designs = { A: a?.design ?? 'list', B: b?.design ?? 'final' },
): NarrativeInput {
  return {
    scenario,
    designs,
    results: { A: a, B: b },
    comparison: compareRuns(a, b, scenario),
  };
}

describe('the narrative of composed designs (design lab)', () => {
  const composed = 'task_struct+percpu-rwsem+histogram';

  it('names a composition by its parts in the header and the captions', () => {
    const a = result(composed, { totalTimeNs: 60e6, endNs: 160e6, locks: FINAL.locks });
    const text = headerNarrative(input(DEFAULT_SCENARIO, a, FINAL));
    expect(text).toContain(`design A (${composed}) and design B (final)`);
    expect(text).toContain(`A (${composed}) finishes perf bench's timed region`);
    expect(panelCaptions(input(DEFAULT_SCENARIO, a, FINAL), 'A').profile).toBe(
      `Simulated perf report of ${composed}: share of CPU time (idle excluded) by kernel symbol. user leads with 99.0%.`,
    );
  });

  it('treats a composition equal to a named design as the same design, and says so', () => {
    const asParts = result('rhltable+percpu-rwsem+histogram', {
      totalTimeNs: FINAL.totalTimeNs,
      endNs: FINAL.endNs,
      locks: FINAL.locks,
    });
    const c = compareRuns(asParts, FINAL, DEFAULT_SCENARIO);
    expect(c.kind === 'times' && c.sameDesign).toBe(true);
    expect(comparisonSentence(input(DEFAULT_SCENARIO, asParts, FINAL))).toBe(
      `Both columns run rhltable+percpu-rwsem+histogram (= final): the same seeded run gives the same ${formatNs(67.7e6)} twice.`,
    );
  });
});

describe('the comparison', () => {
  it('compares perf bench’s timed regions, not the runs’ ends', () => {
    const c = compareRuns(LIST, FINAL, DEFAULT_SCENARIO);
    expect(c.kind).toBe('times');
    if (c.kind !== 'times') return;
    expect(c.ratio).toBeCloseTo(245e9 / 67.7e6);
    expect(c.faster).toBe('B');
    expect(c.text).toBe('3,619× faster');
    expect(c.spans.B).toEqual({ timedNs: 67.7e6, trailingNs: 168e6 - 67.7e6, failed: false });
  });
  it('is pending until both results exist for one scenario', () => {
    expect(compareRuns(LIST, null, DEFAULT_SCENARIO).kind).toBe('pending');
    expect(compareRuns(LIST, FINAL, null).kind).toBe('pending');
  });
  it('reports a failed open (ENOSPC) instead of times', () => {
    const failed = result('list', { openError: 'ENOSPC', totalTimeNs: 0, endNs: 238e3 });
    const c = compareRuns(
      failed,
      result('final', { openError: 'ENOSPC', totalTimeNs: 0, endNs: 4.37e3 }),
      DEFAULT_SCENARIO,
    );
    expect(c.kind).toBe('openError');
    expect(raceSpan(failed)).toEqual({ timedNs: 0, trailingNs: 238e3, failed: true });
  });
});

describe('the narrative', () => {
  it('default: B (final) is faster, by the same factor the race bar draws', () => {
    const i = input(DEFAULT_SCENARIO, LIST, FINAL);
    expect(comparisonSentence(i)).toBe(
      `B (final) finishes perf bench's timed region 3,619× faster than A (list): 67.7 ms against 245 s.`,
    );
    const text = headerNarrative(i);
    expect(text).toContain('perf bench breakpoint thread -r 30 -b 4 -p 64 -t 64 on 256 CPUs');
    expect(text).toContain(
      "in A's lock panel 94% of the 15,880 acquisitions of nr_bp_mutex waited (p99 7.34 s)",
    );
    expect(text).toContain("in B's lock panel nothing waits on perf_event_mutex");
    expect(text).toContain('B is the shorter bar');
    expect(panelCaptions(i, 'A').grid).toContain(
      'A is the slower design: 94% of its nr_bp_mutex acquisitions wait',
    );
    expect(panelCaptions(i, 'B').grid).toContain(
      'B is the faster design: its accounting locks hardly wait',
    );
    // What does spin in B is named: the model's thread lifecycle lock, not the accounting.
    expect(panelCaptions(i, 'B').grid).toContain(
      'What waits is creating and joining threads, not the accounting: 3,961 of 3,968 mmap_lock acquisitions waited',
    );
    expect(panelCaptions(i, 'A').locks).toContain('nr_bp_mutex is the worst (p99 7.34 s)');
    expect(panelCaptions(i, 'A').profile).toContain('osq_lock leads with 70.0%');
  });
  it('swapped designs: A is the faster one, and the text says so', () => {
    const i = input(DEFAULT_SCENARIO, FINAL, LIST);
    expect(comparisonSentence(i)).toBe(
      `A (final) finishes perf bench's timed region 3,619× faster than B (list): 67.7 ms against 245 s.`,
    );
    expect(headerNarrative(i)).toContain('A is the shorter bar');
    expect(headerNarrative(i)).not.toContain('B is the sliver');
    expect(panelCaptions(i, 'B').grid).toContain('B is the slower design');
  });
  it('the same design on both sides: no winner', () => {
    const i = input(DEFAULT_SCENARIO, LIST, LIST);
    expect(comparisonSentence(i)).toBe(
      `Both columns run list: the same seeded run gives the same ${formatNs(245e9)} twice.`,
    );
    expect(headerNarrative(i)).not.toMatch(/faster|slower|shorter bar/);
    expect(panelCaptions(i, 'A').grid).not.toMatch(/slower|faster/);
  });
  it('ENOSPC: says the benchmark failed to open its breakpoints, compares no times', () => {
    const scenario = {
      ...DEFAULT_SCENARIO,
      thread: { ...DEFAULT_SCENARIO.thread, breakpoints: 5 },
    };
    const i = input(
      scenario,
      result('list', { openError: 'ENOSPC', totalTimeNs: 0, endNs: 238e3 }),
      result('final', { openError: 'ENOSPC', totalTimeNs: 0, endNs: 4.37e3 }),
    );
    const text = headerNarrative(i);
    expect(text).toContain('perf bench failed to open its breakpoints under both designs');
    expect(text).toContain('-b 5 asks for more than the 4 slots per CPU');
    expect(text).not.toMatch(/faster|slower|×/);
  });
  it('mixed workload: compares waits, never calls it perf bench or a global mutex', () => {
    const scenario: Scenario = { ...DEFAULT_SCENARIO, workload: 'mixed' };
    const sharded = result('sharded', {
      totalTimeNs: 50e6,
      endNs: 50e6,
      usecsPerOp: 0,
      locks: [lock('bp_cpuinfo_lock', 1000, 10, 20e3)],
    });
    const rwsem = result('rwsem', {
      totalTimeNs: 50e6,
      endNs: 50e6,
      usecsPerOp: 0,
      locks: [lock('bp_cpuinfo_sem', 1000, 400, 3e6)],
    });
    const i = input(scenario, sharded, rwsem);
    expect(i.comparison.kind).toBe('mixed');
    const text = headerNarrative(i);
    expect(text).toContain('the mixed workload (debugger watchpoints');
    expect(text).not.toContain('perf bench');
    expect(text).not.toContain('global');
    expect(comparisonSentence(i)).toContain(
      'B (rwsem) waits up to 3.00 ms (p99, bp_cpuinfo_sem), A (sharded) 20.0 µs',
    );
  });
  it('pending: promises the comparison, claims nothing', () => {
    expect(headerNarrative(input(DEFAULT_SCENARIO, LIST, null))).toContain(
      'The comparison appears when both runs have finished.',
    );
  });
});
