/** `sim sweep`: its arguments, its points against bench's runs, and one real process. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runDesign } from './bench.ts';
import type { CommandIo } from './sim.ts';
import { parseSweepArgs, runSweep, type PointRunner, type PointRequest } from './sweep.ts';

function fakeIo(): CommandIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdin: async function* () {
      yield await Promise.resolve('');
    },
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

/** Runs points in this process, recording what it was asked. */
function inProcess(): PointRunner & { requests: PointRequest[] } {
  const requests: PointRequest[] = [];
  return {
    requests,
    run(request) {
      requests.push(request);
      const { result } = runDesign(request.scenario, request.design, request.budget);
      return Promise.resolve({ id: request.id, result, error: null });
    },
    close: () => Promise.resolve(),
  };
}

describe('sim sweep arguments', () => {
  it.each([
    [['--param', 'cpus', '--from', '300', '--to', '200'], 'sweep: from 300 must be below to 200'],
    [['--param', 'cpus', '--to', '5000'], "sweep: to 5000 is outside cpus's range (1..4096)"],
    [['--param', 'cpus', '--points', '1'], 'sweep: --points: 1 is out of range (2..24)'],
    [['--param', 'cores'], "sweep: --param: unknown parameter 'cores' (cpus|p|t|b|tasks|churn)"],
    [[], 'sweep: --param: missing (cpus|p|t|b|tasks|churn, or a --scenario query with sw=)'],
    [
      ['--param', 'tasks'],
      'sweep: tasks belongs to the mixed workload, and the scenario runs the thread one',
    ],
    [
      ['--param', 'p', '--design', 'list,btree'],
      "sweep: --design: invalid design 'btree' (list|rhltable|sharded|rwsem|final|ideal, or store+lock+max)",
    ],
    [['--param', 'p', '--csv', '--json'], 'sweep: --csv and --json: choose one'],
    [['--scenario', 'sw=cpus&sw.n=99'], 'sweep: --scenario: sw.n: 99 → 24 (2..24)'],
  ])('%j exits 2 with one line', async (args, line) => {
    const io = fakeIo();
    const runner = inProcess();
    expect(await runSweep(args, io, { progress: false, createRunner: () => runner })).toBe(2);
    expect([io.out, io.err]).toEqual(['', `${line}\n`]);
    expect(runner.requests).toEqual([]);
  });

  it("takes a page link's sweep, flags overriding it", () => {
    const options = parseSweepArgs([
      '--scenario',
      'cpus=64&sw=p&sw.from=2&sw.to=64&sw.n=5&sw.d=final',
      '--points',
      '3',
    ]);
    expect(options?.scenario.cpus).toBe(64);
    expect(options?.spec).toEqual({
      param: 'p',
      from: 2,
      to: 64,
      points: 3,
      spacing: 'log',
      designs: ['final'],
    });
    expect(parseSweepArgs(['--param', 'cpus', '--design', 'all'])?.spec.designs).toHaveLength(6);
    expect(
      parseSweepArgs(['--param', 'cpus', '--design', 'final,task_struct+rwlock+histogram'])?.spec
        .designs,
    ).toEqual(['final', 'task_struct+rwlock+histogram']);
  });
});

describe('sim sweep points', () => {
  it("gives each point bench's numbers, and fits and prints them", async () => {
    const io = fakeIo();
    const runner = inProcess();
    const args = ['--param', 'p', '--from', '1', '--to', '8', '--points', '4', '--design', 'final'];
    const code = await runSweep([...args, '--scenario', 'r=2&t=4&cpus=16', '--json'], io, {
      progress: false,
      createRunner: () => runner,
    });
    expect([code, io.err]).toEqual([0, '']);
    const json = JSON.parse(io.out) as {
      results: Array<{ value: number; usecsPerOp: number; design: string }>;
      fits: Array<{ design: string; fit: { sigma: number; kappa: number } | null }>;
    };
    expect(json.results.map((r) => r.value)).toEqual([1, 2, 4, 8]);
    for (const point of json.results) {
      const scenario = runner.requests.find((r) => r.scenario.thread.parallelism === point.value)!;
      const { result } = runDesign(scenario.scenario, 'final');
      expect(point.usecsPerOp).toBe(result.usecsPerOp);
    }
    expect(json.fits[0]?.fit).not.toBeNull();
  });

  it('lists points over the budget as refused, and never runs them', async () => {
    const io = fakeIo();
    const runner = inProcess();
    const code = await runSweep(
      [
        ...['--param', 't', '--from', '1', '--to', '4096', '--points', '2', '--design', 'final'],
        ...['--scenario', 'r=1000'],
      ],
      io,
      { progress: false, createRunner: () => runner },
    );
    expect(code).toBe(0);
    // At -r 1000, t = 1 is 1,064 threads; t = 4096 is 4.1 million, over the CLI's budget.
    expect(runner.requests.map((r) => r.scenario.thread.threads)).toEqual([1]);
    expect(io.out).toMatch(/4096 {2}final .* refused: This run is about/);
  }, 60_000);

  it('runs on worker threads as a process, with the same numbers as bench', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/sim.ts',
        'sweep',
        '--param',
        'cpus',
        '--from',
        '16',
        '--to',
        '32',
        '--points',
        '2',
        '--design',
        'final',
        '--scenario',
        'r=2&p=4&t=4',
        '--csv',
      ],
      { encoding: 'utf8' },
    );
    expect([run.status, run.stderr]).toEqual([0, '']);
    const rows = run.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^param,value,design,status,usecs_per_op,/);
    const usecs = rows.slice(1).map((row) => Number(row.split(',')[4]));
    const bench = [16, 32].map(
      (cpus) =>
        runDesign(
          {
            ...parseSweepArgs(['--param', 'cpus', '--scenario', 'r=2&p=4&t=4'])!.scenario,
            cpus,
          },
          'final',
        ).result.usecsPerOp,
    );
    expect(usecs).toEqual(bench);
  }, 60_000);
});
