import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO } from '../scenario/scenario.ts';
import { queryFromScenario } from '../scenario/url.ts';
import { PROFILE_SYMBOLS, type RunResult } from '../sim/types.ts';
import { perfBenchText } from '../report/perfBench.ts';
import { BENCH_USAGE, runBench } from './bench.ts';

function resultWith(totalTimeNs: number): RunResult {
  const { repeat, threads, parallelism } = DEFAULT_SCENARIO.thread;
  const usecsPerOp = Math.floor(totalTimeNs / 1e3) / repeat / threads;
  return {
    design: 'list',
    totalTimeNs,
    usecsPerOp,
    usecsPerOpPerCpu: usecsPerOp * parallelism,
    endNs: totalTimeNs,
    accountingOps: 0,
    enospc: 0,
    openError: null,
    threadsCreated: 0,
    peakLiveThreads: 0,
    profileNs: Object.fromEntries(PROFILE_SYMBOLS.map((s) => [s, 0])) as RunResult['profileNs'],
    locks: [],
    events: 0,
  };
}

const SMALL = ['-r', '2', '-b', '2', '-p', '2', '-t', '4', '--cpus', '8'];

describe('sim bench', () => {
  it("prints perf bench's result block byte for byte", () => {
    // The published figures of the seed scenario (kernel-model.md section 6).
    expect(perfBenchText(DEFAULT_SCENARIO, resultWith(236_418_805_130))).toBe(
      [
        "# Running 'breakpoint/thread' benchmark:",
        '# Created/joined 30 threads with 4 breakpoints and 64 parallelism',
        '     Total time: 236.418 [sec]',
        '',
        '   123134.794271 usecs/op',
        '  7880626.833333 usecs/op/cpu',
        '',
      ].join('\n'),
    );
  });

  it('truncates the total to milliseconds as perf does', () => {
    expect(perfBenchText(DEFAULT_SCENARIO, resultWith(67_999_999))).toContain(
      'Total time: 0.067 [sec]',
    );
  });

  it('prints identical JSON for two runs of a scenario, apart from wall fields', () => {
    const strip = (s: string) => s.replace(/"wallMs": [\d.e+-]+/g, '"wallMs": 0');
    const a = runBench([...SMALL, '--design', 'all', '--json']);
    const b = runBench([...SMALL, '--design', 'all', '--json']);
    expect(a.exitCode).toBe(0);
    expect(strip(a.stdout)).toBe(strip(b.stdout));
    const rows = JSON.parse(a.stdout) as { design: string; accountingOps: number }[];
    expect(rows.map((r) => r.design)).toEqual([
      'list',
      'rhltable',
      'sharded',
      'rwsem',
      'final',
      'ideal',
    ]);
    // B * (P + R * T) reserves and as many releases, in every design.
    for (const row of rows) expect(row.accountingOps).toBe(2 * 2 * (2 + 2 * 4));
  });

  it('takes the page query with --scenario, and flags override it', () => {
    const query = queryFromScenario({
      ...DEFAULT_SCENARIO,
      cpus: 8,
      thread: { repeat: 2, breakpoints: 2, parallelism: 2, threads: 4 },
    });
    const viaQuery = runBench(['--scenario', query, '--design', 'final', '--json']);
    const viaFlags = runBench([...SMALL, '--design', 'final', '--json']);
    const strip = (s: string) => s.replace(/"wallMs": [\d.e+-]+/g, '');
    expect(strip(viaQuery.stdout)).toBe(strip(viaFlags.stdout));
    const overridden = JSON.parse(
      runBench(['--scenario', query, '-t', '3', '--design', 'final', '--json']).stdout,
    ) as {
      threads: number;
    };
    expect(overridden.threads).toBe(3);
  });

  it('runs a mixed-workload query as the page does, with its own result lines', () => {
    const query = 'v=1&workload=mixed&cpus=8&m.tasks=16&m.ms=5&da=rwsem&db=final';
    const text = runBench(['--scenario', query]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain("# Running slotscope 'mixed' workload (rwsem):");
    expect(text.stdout).toContain('Simulated time: 0.005 [sec]');
    const rows = JSON.parse(runBench(['--scenario', query, '--json']).stdout) as {
      workload: string;
      design: string;
      accountingOps: number;
    }[];
    expect(rows.map((r) => [r.workload, r.design])).toEqual([
      ['mixed', 'rwsem'],
      ['mixed', 'final'],
    ]);
    // Both designs see the same workload.
    expect(rows[0]?.accountingOps).toBe(rows[1]?.accountingOps);
  });

  it("reports perf bench's ENOSPC outcome when -b exceeds the slots", () => {
    const out = runBench([
      '-b',
      '5',
      '-r',
      '1',
      '-p',
      '1',
      '-t',
      '1',
      '--cpus',
      '4',
      '--design',
      'final',
    ]);
    expect(out.stdout).toContain('perf_event_open: No space left on device');
    expect(out.exitCode).toBe(1);
  });

  const BENCH_OPTIONS =
    '--repeat|--breakpoints|--parallelism|--threads|--cpus|--slots|--pools|--design|--seed|--scenario|--budget|--json|--trace|--trace-window|--help';
  it.each([
    [['-r', '0'], 'bench: -r: 0 is out of range (1..100000)'],
    [['--repeat=100001'], 'bench: --repeat: 100001 is out of range (1..100000)'],
    [['-p', 'x'], "bench: -p: expected an integer, got 'x' (1..4096)"],
    [['--cpus'], 'bench: --cpus: missing value (1..4096)'],
    [['--cpus', '--json'], 'bench: --cpus: missing value (1..4096)'],
    [
      ['--design', 'btree'],
      "bench: --design: unknown design 'btree' (list|rhltable|sharded|rwsem|final|ideal|all)",
    ],
    [['--pools', 'three'], "bench: --pools: unknown pools 'three' (shared|split)"],
    [['--frobnicate'], `bench: --frobnicate: unknown option (${BENCH_OPTIONS})`],
    [['-t', '4', '--threads', '5'], 'bench: --threads: given twice (at most once)'],
    [['--json', '--json'], 'bench: --json: given twice (at most once)'],
    [['--json=yes'], 'bench: --json: takes no value (--json alone)'],
    [['list'], "bench: unexpected argument 'list' (options only; see docs/cli.md)"],
  ])('rejects %o with one line and exit 2', (args, message) => {
    const out = runBench(args);
    expect(out).toEqual({ stdout: '', stderr: message + '\n', exitCode: 2 });
  });

  it('takes --flag=value as --flag value', () => {
    const strip = (s: string) => s.replace(/"wallMs": [\d.e+-]+/g, '');
    const spaced = runBench([...SMALL, '--design', 'final', '--json']);
    const joined = runBench([
      '-r=2',
      '-b=2',
      '-p=2',
      '-t=4',
      '--cpus=8',
      '--design=final',
      '--json',
    ]);
    expect(strip(joined.stdout)).toBe(strip(spaced.stdout));
  });

  it('prints its usage for -h and --help', () => {
    expect(runBench(['--help'])).toEqual({ stdout: BENCH_USAGE + '\n', stderr: '', exitCode: 0 });
    expect(runBench(['-h']).stdout).toMatch(/^usage: sim bench /);
  });
});

describe('sim bench --scenario', () => {
  const query = queryFromScenario({
    ...DEFAULT_SCENARIO,
    cpus: 8,
    thread: { repeat: 2, breakpoints: 2, parallelism: 2, threads: 4 },
  });

  it('refuses a flag where the query should be', () => {
    expect(runBench(['--scenario', '--json'])).toEqual({
      stdout: '',
      stderr: 'bench: --scenario: missing value (a slotscope URL query)\n',
      exitCode: 2,
    });
  });

  it('refuses a second query rather than ignoring it', () => {
    expect(runBench(['--scenario', query, '--scenario', 'cpus=16'])).toEqual({
      stdout: '',
      stderr: 'bench: --scenario: given twice (at most once)\n',
      exitCode: 2,
    });
  });

  it('runs a design once when the query names it for both A and B, and says so', () => {
    const same = `${query}&da=final&db=final`;
    const text = runBench(['--scenario', same]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('# A and B are the same design (final): one run');
    expect(text.stdout.match(/# Running 'breakpoint\/thread' benchmark:/g)).toHaveLength(1);
    expect(text.stdout).not.toContain('# Designs on the same workload:');

    const rows = JSON.parse(runBench(['--scenario', same, '--json']).stdout) as {
      design: string;
      columns: string[];
    }[];
    expect(rows.map((r) => [r.design, r.columns])).toEqual([['final', ['A', 'B']]]);
  });

  it("labels each record with the query's column when A and B differ", () => {
    const rows = JSON.parse(
      runBench(['--scenario', `${query}&da=rwsem&db=final`, '--json']).stdout,
    ) as { design: string; columns: string[] }[];
    expect(rows.map((r) => [r.design, r.columns])).toEqual([
      ['rwsem', ['A']],
      ['final', ['B']],
    ]);
    const one = JSON.parse(
      runBench(['--scenario', query, '--design', 'final', '--json']).stdout,
    ) as Record<string, unknown>;
    expect(one).not.toHaveProperty('columns');
  });
});
