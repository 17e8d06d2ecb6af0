import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO } from '../scenario/scenario.ts';
import { PROFILE_SYMBOLS, type RunResult } from '../sim/types.ts';
import { DESIGNS, DESIGN_LABELS, designLabel } from './designs.ts';
import { durationTicks, formatDecade, formatNs, formatPercent } from './format.ts';
import {
  mixedComparisonText,
  mixedResultLines,
  perfBenchText,
  resultLines,
  totalTimeLine,
} from './perfBench.ts';
import { profilePercent, profileRows } from './profile.ts';
import {
  PUBLISHED_BENCH,
  PUBLISHED_LIST_PROFILE,
  publishedProfile,
  publishedResultLines,
  publishedSpeedupPerOp,
} from './published.ts';
import { WAIT_WORDS, ratioText, speedupCell, speedupRatio, speedupText } from './speedup.ts';

describe('perf bench format', () => {
  it('prints the published seed figures as perf does', () => {
    expect(totalTimeLine(236_418_805_000)).toBe('Total time: 236.418 [sec]');
    expect(totalTimeLine(67_999_999)).toBe('Total time: 0.067 [sec]');
    const result = {
      totalTimeNs: 236_418_805_000,
      usecsPerOp: 123134.794271,
      usecsPerOpPerCpu: 7880626.833333,
    } as RunResult;
    expect(resultLines(result)).toEqual([
      'Total time: 236.418 [sec]',
      '123134.794271 usecs/op',
      '7880626.833333 usecs/op/cpu',
    ]);
  });
  it("pads the CLI's block as perf's %14lf", () => {
    const result = {
      design: 'final',
      totalTimeNs: 67_750_000,
      usecsPerOp: 35.292187,
      usecsPerOpPerCpu: 2258.7,
      openError: null,
    } as RunResult;
    expect(perfBenchText(DEFAULT_SCENARIO, result)).toBe(
      [
        "# Running 'breakpoint/thread' benchmark:",
        '# Created/joined 30 threads with 4 breakpoints and 64 parallelism',
        '     Total time: 0.067 [sec]',
        '',
        '       35.292187 usecs/op',
        '     2258.700000 usecs/op/cpu',
        '',
      ].join('\n'),
    );
  });
});

describe('speedup', () => {
  it('states the speedup of B over A', () => {
    expect(speedupText(236.418e9, 0.0677e9)).toBe('3,492× faster');
    expect(speedupText(100, 50)).toBe('2.00× faster');
    expect(speedupText(100, 200)).toBe('2.00× slower');
    expect(speedupText(100, 100.1)).toBe('the same');
    expect(speedupText(0, 100)).toBe('the same');
    expect(speedupText(100, 50, WAIT_WORDS)).toBe('2.00× shorter');
    expect(speedupText(100, 400, WAIT_WORDS)).toBe('4.00× longer');
  });
  it("gives the CLI's table cell from the same ratio", () => {
    expect(speedupCell(speedupRatio(244.968e9, 0.0674e9))).toBe('3634.5x');
    expect(speedupCell(speedupRatio(100, 0))).toBe('-');
    expect(speedupCell(null)).toBe('-');
  });
});

describe('durations', () => {
  it('formats readouts with three significant digits and a unit', () => {
    expect(formatNs(236e9)).toBe('236 s');
    expect(formatNs(67.3e6)).toBe('67.3 ms');
    expect(formatNs(1500)).toBe('1.50 µs');
    expect(formatNs(12)).toBe('12.0 ns');
    expect(formatNs(0)).toBe('0 s');
    // Human units past perf's seconds: the 4096-CPU run's 181,799 s.
    expect(formatNs(181_799e9)).toBe('50.5 h');
    expect(formatNs(1200e9)).toBe('20.0 min');
    expect(formatNs(999e9)).toBe('999 s');
  });
  it('formats profile shares with two decimals', () => {
    expect(formatPercent(37.27)).toBe('37.27%');
    expect(formatPercent(0.004)).toBe('0.00%');
  });
  it("formats the CLI's table cells with three decimals, us at the smallest", () => {
    expect(formatNs(7.342e9, 'table')).toBe('7.342 s');
    expect(formatNs(78_520_000, 'table')).toBe('78.520 ms');
    expect(formatNs(32_580, 'table')).toBe('32.580 us');
    expect(formatNs(500, 'table')).toBe('0.500 us');
    expect(formatNs(0, 'table')).toBe('0.000 us');
  });
});

describe('profile', () => {
  const profileNs = {
    ...Object.fromEntries(PROFILE_SYMBOLS.map((s) => [s, 0])),
    osq_lock: 6000,
    mutex_spin_on_owner: 3000,
    toggle_bp_slot: 999,
    schedule: 1,
  } as RunResult['profileNs'];
  const result = { profileNs } as RunResult;
  it('sorts symbols by share and keeps published ones beside', () => {
    const rows = profileRows(result, publishedProfile(DEFAULT_SCENARIO, 'list'));
    expect(rows.map((r) => [r.symbol, r.percent, r.publishedPercent])).toEqual([
      ['osq_lock', 60, 37.27],
      ['mutex_spin_on_owner', 30, 34.92],
      ['toggle_bp_slot', 9.99, 12.15],
      ['__reserve_bp_slot', 0, 11.9],
    ]);
  });
  it('keeps every symbol that took time when asked (the CLI), and the JSON agrees', () => {
    const rows = profileRows(result, null, { minPercent: 0 });
    expect(rows.map((r) => [r.symbol, r.percent])).toEqual([
      ['osq_lock', 60],
      ['mutex_spin_on_owner', 30],
      ['toggle_bp_slot', 9.99],
      ['schedule', 0.01],
    ]);
    expect(profilePercent(result)).toEqual(
      Object.fromEntries(rows.map((r) => [r.symbol, r.percent])),
    );
  });
  it('shows the published profile only for the seed scenario under list', () => {
    expect(publishedProfile(DEFAULT_SCENARIO, 'list')).toEqual({
      osq_lock: 37.27,
      mutex_spin_on_owner: 34.92,
      toggle_bp_slot: 12.15,
      __reserve_bp_slot: 11.9,
    });
    expect(publishedProfile(DEFAULT_SCENARIO, 'final')).toBeNull();
    expect(publishedProfile({ ...DEFAULT_SCENARIO, cpus: 512 }, 'list')).toBeNull();
  });
});

describe('published figures', () => {
  it('print as the series printed them, for the seed scenario only', () => {
    expect(publishedResultLines(DEFAULT_SCENARIO, 'list')).toEqual([
      'Total time: 236.418 [sec]',
      '123134.794271 usecs/op',
      '7880626.833333 usecs/op/cpu',
    ]);
    expect(publishedResultLines(DEFAULT_SCENARIO, 'final')).toEqual([
      'Total time: 0.067 [sec]',
      '35.292187 usecs/op',
      '2258.700000 usecs/op/cpu',
    ]);
    expect(publishedResultLines(DEFAULT_SCENARIO, 'ideal')).toEqual([
      'Total time: 0.067 [sec]',
      '35.286458 usecs/op',
      '2258.333333 usecs/op/cpu',
    ]);
    expect(publishedResultLines(DEFAULT_SCENARIO, 'sharded')).toBeNull();
    expect(publishedResultLines({ ...DEFAULT_SCENARIO, seed: 2 }, 'list')).toBeNull();
  });
  it('each carry a unit and a source', () => {
    const figures = [
      ...Object.values(PUBLISHED_BENCH).flatMap((r) => [
        r.totalTime,
        r.usecsPerOp,
        r.usecsPerOpPerCpu,
      ]),
      ...Object.values(PUBLISHED_LIST_PROFILE),
    ];
    expect(figures).toHaveLength(13);
    for (const figure of figures) {
      expect(figure.source).toMatch(/256 CPUs/);
      expect(figure.unit).not.toBe('');
    }
  });
  it('agree with perf: usecs/op = total / 30 / 64 and usecs/op/cpu = usecs/op × 64', () => {
    for (const r of Object.values(PUBLISHED_BENCH)) {
      expect(r.usecsPerOpPerCpu.value).toBeCloseTo(r.usecsPerOp.value * 64, 3);
      expect(Math.floor((r.usecsPerOp.value * 30 * 64) / 1e3)).toBe(r.totalTime.value);
    }
  });
  it('derive the series\' "~3490x per op" instead of typing it', () => {
    const ratio = publishedSpeedupPerOp(DEFAULT_SCENARIO, 'list', 'final');
    expect(ratioText(ratio)).toBe('3,489× faster');
    expect(publishedSpeedupPerOp(DEFAULT_SCENARIO, 'list', 'rwsem')).toBeNull();
    expect(publishedSpeedupPerOp({ ...DEFAULT_SCENARIO, cpus: 8 }, 'list', 'final')).toBeNull();
  });
});

describe('design names', () => {
  it('keep the short name and the description apart', () => {
    expect(DESIGNS.final).toEqual({
      name: 'final',
      description: 'Linux 6.1: + CPU-independent histograms',
    });
    expect(designLabel('list')).toBe('list (before the series: global list + nr_bp_mutex)');
    expect(DESIGN_LABELS.ideal).toBe('ideal (accounting disabled)');
  });
});

describe('mixed workload result lines', () => {
  const lock = (name: string, p99Ns: number) => ({
    lock: name,
    acquisitions: 10,
    contended: 1,
    wait: { p50Ns: 0, p99Ns, maxNs: p99Ns * 2 },
    holdTotalNs: 0,
  });
  const mixed = (locks: ReturnType<typeof lock>[]) =>
    ({ totalTimeNs: 200e6, accountingOps: 4094, enospc: 519, locks }) as unknown as RunResult;
  it('name the worst accounting lock and ignore the thread lock', () => {
    const result = mixed([
      lock('mmap_lock', 5e6),
      lock('bp_cpuinfo_sem', 19_400),
      lock('perf_event_mutex', 0),
    ]);
    expect(mixedResultLines(result)).toEqual([
      'Simulated time: 0.200 [sec]',
      '4,094 accounting operations, 519 ENOSPC',
      'bp_cpuinfo_sem wait: p99 19.4 µs, max 38.8 µs',
    ]);
  });
  it('compare two runs by their worst accounting wait', () => {
    const a = mixed([lock('nr_bp_mutex', 40_000)]);
    const b = mixed([lock('bp_cpuinfo_sem', 10_000)]);
    const idle = mixed([lock('mmap_lock', 5e6)]);
    expect(mixedComparisonText(a, b)).toBe('4.00× shorter p99 accounting wait');
    expect(mixedComparisonText(b, a)).toBe('4.00× longer p99 accounting wait');
    expect(mixedComparisonText(a, idle)).toBe('no accounting wait (A waits)');
    expect(mixedComparisonText(idle, a)).toBe('waits on accounting locks (A does not)');
    expect(mixedComparisonText(idle, idle)).toBe('neither waits on accounting locks');
  });
});

describe('formatDecade', () => {
  it('labels powers of ten as whole numbers, seconds past 1,000 s', () => {
    expect([1e5, 1e6, 1e7, 1e9, 1e11, 1e12, 1e13].map(formatDecade)).toEqual([
      '100 µs',
      '1 ms',
      '10 ms',
      '1 s',
      '100 s',
      '1,000 s',
      '10,000 s',
    ]);
    // Anything else is a readout.
    expect(formatDecade(2e9)).toBe(formatNs(2e9));
  });
});

describe('durationTicks', () => {
  it('labels every tick in one unit, at round values of it', () => {
    // 0 to 65 min: minutes throughout, where formatNs per tick said "500 s" beside "16.7 min".
    const long = durationTicks(0, 3900e9, 6).map((t) => t.label);
    expect(long).toEqual(['0 min', '10 min', '20 min', '30 min', '40 min', '50 min', '60 min']);
    expect(durationTicks(0, 245e9, 5).map((t) => t.label)).toEqual([
      '0 s',
      '50 s',
      '100 s',
      '150 s',
      '200 s',
    ]);
    // Below one unit the decimals follow the step: 0.2 ms apart, not "200 µs" beside "1.00 ms".
    expect(durationTicks(0, 1.2e6, 6).map((t) => t.label)).toEqual([
      '0 ms',
      '0.2 ms',
      '0.4 ms',
      '0.6 ms',
      '0.8 ms',
      '1.0 ms',
      '1.2 ms',
    ]);
  });

  it('places each tick where its label says, inside the domain', () => {
    for (const [from, to] of [
      [3e9, 4.5e9],
      [0, 67.3e6],
      [1_000e9, 7_000e9],
    ] as const) {
      const ticks = durationTicks(from, to, 5);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      for (const t of ticks) {
        expect(t.atNs).toBeGreaterThanOrEqual(from - 1e-6);
        expect(t.atNs).toBeLessThanOrEqual(to + 1e-6);
      }
      const units = new Set(ticks.map((t) => t.label.split(' ')[1]));
      expect(units.size).toBe(1);
    }
  });
});
