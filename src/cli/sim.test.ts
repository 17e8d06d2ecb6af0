/** The `sim` dispatcher, in process and once through a real process (exit code and pipes). */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomReplayInput } from './random-ops.ts';
import { describe, expect, it } from 'vitest';
import type * as SimModule from './sim.ts';
import type { CommandIo } from './sim.ts';

// sim.ts runs the command line of this process when imported; give it one that does nothing.
async function loadSim(): Promise<typeof SimModule> {
  const argv = process.argv;
  const exitCode = process.exitCode;
  process.argv = [argv[0]!, 'sim', 'replay', '--help'];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  try {
    return await import('./sim.ts');
  } finally {
    process.stdout.write = write;
    process.argv = argv;
    process.exitCode = exitCode;
  }
}

function fakeIo(stdin: string): CommandIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdin: async function* () {
      yield await Promise.resolve(stdin);
    },
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

describe('sim', () => {
  it('dispatches replay and reports unknown or missing commands', async () => {
    const { runSim, COMMANDS } = await loadSim();
    const names = Object.keys(COMMANDS).join(', ');

    const io = fakeIo('{"op":"reserve","id":"a","cpu":0}\n');
    expect(await runSim(['replay', '-'], io)).toBe(0);
    expect([io.out, io.err]).toEqual(['{"id":"a","op":"reserve","result":"ok"}\n', '']);

    const unknown = fakeIo('');
    expect(await runSim(['replya'], unknown)).toBe(2);
    expect(unknown.err).toBe(`sim: unknown command 'replya' (${names})\n`);

    const missing = fakeIo('');
    expect(await runSim([], missing)).toBe(2);
    expect(missing.err).toBe(`sim: missing command (${names})\n`);
  });

  it('only reads stdin when FILE is -', async () => {
    const { runSim } = await loadSim();
    const io = fakeIo('');
    io.stdin = () => {
      throw new Error('stdin read');
    };
    expect(await runSim(['replay', '--cpus', '0', '-'], io)).toBe(2);
    expect(io.err).toBe('replay: --cpus: 0 is out of range (1..4096)\n');
  });

  it('runs as a process: stdout, stderr and exit code', () => {
    const run = (input: string, ...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/sim.ts', 'replay', ...args], {
        input,
        encoding: 'utf8',
      });
    const good = run('{"op":"reserve","id":"a","task":"T"}\n', '-');
    expect([good.status, good.stdout, good.stderr]).toEqual([
      0,
      '{"id":"a","op":"reserve","result":"ok"}\n',
      '',
    ]);
    const bad = run('{"op":"reserve","id":"a","task":"T"}\n{"op":"release","id":"b"}\n', '-');
    expect([bad.status, bad.stdout, bad.stderr]).toEqual([
      2,
      '',
      'replay: line 2: release of id "b" that is not held\n',
    ]);
  }, 20_000);

  it('turns an internal error into one line without stack or paths, unless --debug', async () => {
    const { main, COMMANDS, INTERNAL_ERROR_LINE } = await loadSim();
    COMMANDS.boom = () => Promise.reject(new Error(`cannot open ${process.cwd()}/secret`));
    try {
      const io = fakeIo('');
      expect(await main(['boom'], io)).toBe(1);
      expect(io.err).toBe(INTERNAL_ERROR_LINE);
      expect(io.err).toBe('sim: internal error (run again with --debug for details)\n');

      const debug = fakeIo('');
      expect(await main(['--debug', 'boom'], debug)).toBe(1);
      expect(debug.err).toMatch(/^sim: internal error: Error: cannot open .*secret\n {4}at /);
    } finally {
      delete COMMANDS.boom;
    }
    // --debug is taken out before dispatch, wherever it stands before `--`.
    const io = fakeIo('{"op":"reserve","id":"a","cpu":0}\n');
    expect(await main(['replay', '--debug', '-'], io)).toBe(0);
    expect(io.out).toBe('{"id":"a","op":"reserve","result":"ok"}\n');
  });

  it('stops quietly with exit 0 when stdout is closed (EPIPE)', async () => {
    const { main } = await loadSim();
    const io = fakeIo(randomReplayInput({ ops: 20_000, cpus: 8, tasks: 20, seed: 5 }));
    let writes = 0;
    io.stdout = () => {
      writes++;
      const error: NodeJS.ErrnoException = new Error('write EPIPE');
      error.code = 'EPIPE';
      return Promise.reject(error);
    };
    expect(await main(['replay', '--cpus', '8', '-'], io)).toBe(0);
    expect([writes, io.err]).toEqual([1, '']);
  });
});

describe('sim as a process', () => {
  const sim = ['--import', 'tsx', 'src/cli/sim.ts'];

  it('exits 0 without a stack trace when the reader closes the pipe early (| head -1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const file = join(dir, 'ops.jsonl');
    writeFileSync(file, randomReplayInput({ ops: 30_000, cpus: 16, tasks: 40, seed: 9 }));
    const child = spawn(process.execPath, [...sim, 'replay', '--cpus', '16', '--costs', file]);
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => void (stderr += data.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect([status, stderr]).toEqual([0, '']);
  }, 30_000);

  it('stops reading an endless stdin (< /dev/zero) with a one-line exit 2', () => {
    const zero = openSync('/dev/zero', 'r');
    try {
      const run = spawnSync(process.execPath, [...sim, 'replay', '-'], {
        stdio: [zero, 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      expect([run.status, run.stdout, run.stderr]).toEqual([
        2,
        '',
        'replay: line 1: longer than 16,777,216 characters (the longest line replay reads)\n',
      ]);
    } finally {
      closeSync(zero);
    }
  }, 30_000);

  // Only replay's own directories: tsx keeps a cache in TMPDIR too.
  const spools = (dir: string): string[] =>
    readdirSync(dir).filter((name) => name.startsWith('slotscope-replay-'));

  it('spools a FILE that is a pipe (/dev/stdin from a shell pipe), which cannot be read twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const file = join(dir, 'ops.jsonl');
    writeFileSync(file, randomReplayInput({ ops: 2_000, cpus: 8, tasks: 10, seed: 3 }));
    const command = [process.execPath, ...sim, 'replay', '--cpus', '8'].join(' ');
    const piped = spawnSync('sh', ['-c', `cat '${file}' | ${command} /dev/stdin`], {
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: dir },
    });
    const direct = spawnSync(process.execPath, [...sim, 'replay', '--cpus', '8', file], {
      encoding: 'utf8',
    });
    expect([piped.status, piped.stderr]).toEqual([0, '']);
    expect(piped.stdout.split('\n')).toHaveLength(2_001);
    expect(piped.stdout).toBe(direct.stdout);
    expect(spools(dir)).toEqual([]);
  }, 30_000);

  it('removes the stdin spool when killed (SIGTERM) while reading', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'sim-spool-'));
    const child = spawn(process.execPath, [...sim, 'replay', '-'], {
      env: { ...process.env, TMPDIR: tmp },
    });
    child.stdin.write('{"op":"reserve","id":"a","cpu":0}\n');
    // stdin stays open: replay is in pass 1, its spool made.
    for (let waited = 0; spools(tmp).length === 0 && waited < 20_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(spools(tmp)).toHaveLength(1);
    child.kill('SIGTERM');
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_code, signal) => resolve(signal)),
    );
    expect(signal).toBe('SIGTERM');
    expect(spools(tmp)).toEqual([]);
  }, 30_000);
});

describe('sim bench --trace', () => {
  const query = ['--scenario', 'cpus=8&b=4&p=2&t=4&r=1'];
  interface Event {
    ph: string;
    name: string;
    pid: number;
    ts?: number;
    dur?: number;
    args?: { name?: string };
  }

  it('writes both columns as a Trace Event file, leaving the printed results as they were', async () => {
    const { runSim } = await loadSim();
    const file = join(mkdtempSync(join(tmpdir(), 'slotscope-trace-')), 'run.json');
    const plain = fakeIo('');
    expect(await runSim(['bench', ...query], plain)).toBe(0);
    const traced = fakeIo('');
    expect(await runSim(['bench', ...query, '--trace', file], traced)).toBe(0);
    expect(traced.out).toBe(plain.out);
    expect(traced.err).toMatch(
      new RegExp(
        `^bench: trace written to ${file}: [\\d,]+ events, [\\d.]+ MB \\(cap 500,000 events\\)\\n$`,
      ),
    );
    const trace = JSON.parse(readFileSync(file, 'utf8')) as {
      traceEvents: Event[];
      otherData: { runs: { design: string }[] };
    };
    const processes = trace.traceEvents.filter((e) => e.name === 'process_name');
    expect(processes.map((e) => e.args?.name?.split(' ')[0])).toEqual(['list', 'final']);
    expect(trace.otherData.runs.map((r) => r.design)).toEqual(['list', 'final']);
    for (const pid of [1, 2]) {
      expect(trace.traceEvents.some((e) => e.pid === pid && e.ph === 'X')).toBe(true);
    }
    expect(trace.traceEvents.some((e) => e.ph === 's')).toBe(true);

    // A window: only what intersects it.
    const windowed = fakeIo('');
    expect(
      await runSim(['bench', ...query, '--trace', file, '--trace-window', '0.05:0.1'], windowed),
    ).toBe(0);
    const part = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: Event[] };
    const slices = part.traceEvents.filter((e) => e.ph === 'X');
    expect(slices.length).toBeGreaterThan(0);
    expect(slices.length).toBeLessThan(trace.traceEvents.filter((e) => e.ph === 'X').length);
    for (const e of slices) {
      expect(e.ts as number).toBeLessThan(100);
      expect((e.ts as number) + (e.dur as number)).toBeGreaterThanOrEqual(50);
    }
  }, 60_000);

  it('refuses a path it cannot write, and a bad window, in one line before running', async () => {
    const { runSim } = await loadSim();
    const io = fakeIo('');
    expect(await runSim(['bench', '--trace', '/nonexistent/dir/run.json'], io)).toBe(2);
    expect(io.err).toBe("bench: --trace: cannot write '/nonexistent/dir/run.json': ENOENT\n");
    const dir = fakeIo('');
    expect(await runSim(['bench', '--trace', tmpdir()], dir)).toBe(2);
    expect(dir.err).toBe(`bench: --trace: cannot write '${tmpdir()}': EISDIR\n`);
    const window = fakeIo('');
    expect(
      await runSim(['bench', '--trace', join(tmpdir(), 'x.json'), '--trace-window', '5'], window),
    ).toBe(2);
    expect(window.err).toMatch(/^bench: --trace-window: expected FROM:TO .* got '5'\n$/);
  });
});
