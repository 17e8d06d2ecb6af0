/**
 * The replay contract of docs/replay.md, case by case: output format, defaults, every bad-input
 * and bad-option message, exit codes, --costs and --design.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSlotEngine, machineConfig } from '../engine/index.ts';
import type { InspectableSlotEngine } from '../engine/index.ts';
import { randomReplayInput } from './random-ops.ts';
import {
  MAX_LINE_LENGTH,
  parseReplayArgs,
  replayInput,
  runReplay,
  runReplayStreaming,
} from './replay.ts';
import type { ReplayRun, ReplayStats } from './replay.ts';
import { liveSpools } from './replay-spool.ts';

function replay(input: string | string[], ...args: string[]): ReplayRun {
  return runReplay([...args, '-'], Array.isArray(input) ? input.join('\n') + '\n' : input);
}

function lines(run: ReplayRun): string[] {
  return run.stdout.split('\n').filter((line) => line !== '');
}

function results(run: ReplayRun): string {
  return lines(run)
    .map((line) => (JSON.parse(line) as { result: string }).result)
    .join(' ');
}

const reserve = (id: string, fields = ''): string =>
  `{"op":"reserve","id":"${id}"${fields === '' ? '' : `,${fields}`}}`;
const release = (id: string): string => `{"op":"release","id":"${id}"}`;

describe('output', () => {
  it('prints one line per operation, keys id, op, result, in input order', () => {
    const run = replay([
      reserve('b0', '"task":"T","cpu":-1,"type":"rw"'),
      '{"op":"modify","id":"b0","type":"x"}',
      release('b0'),
    ]);
    expect(run).toEqual({
      stdout:
        '{"id":"b0","op":"reserve","result":"ok"}\n' +
        '{"id":"b0","op":"modify","result":"ok"}\n' +
        '{"id":"b0","op":"release","result":"ok"}\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it('prints nothing for empty input', () => {
    expect(replay('')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(replay('\n\n  \n')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  it('ignores blank lines, CRLF line ends, surrounding spaces and unknown fields', () => {
    const run = replay(
      `\n${reserve('a', '"task":"T"')}\r\n   \n  ${reserve('b', '"task":"T","why":[1,{"x":2}]')}  \n\n`,
    );
    expect(lines(run)).toEqual([
      '{"id":"a","op":"reserve","result":"ok"}',
      '{"id":"b","op":"reserve","result":"ok"}',
    ]);
  });

  it('echoes ids as JSON strings, escapes included', () => {
    const run = replay([JSON.stringify({ op: 'reserve', id: 'quote " back \\ é 😀', task: 1 })]);
    expect(run.stdout).toBe(
      `{"id":${JSON.stringify('quote " back \\ é 😀')},"op":"reserve","result":"ok"}\n`,
    );
  });
});

describe('defaults and coercions', () => {
  it('task null or absent is CPU-bound; cpu absent or null is -1, so EINVAL for CPU-bound', () => {
    const run = replay([
      reserve('a', '"cpu":0'),
      reserve('b', '"task":null,"cpu":0'),
      reserve('c'),
      reserve('d', '"cpu":null'),
      reserve('e', '"task":"T"'),
      reserve('f', '"task":"T","cpu":null'),
    ]);
    expect(results(run)).toBe('ok ok EINVAL EINVAL ok ok');
  });

  it('type defaults to rw, and shares one pool with x on x86', () => {
    const fill = ['a', 'b', 'c', 'd'].map((id) => reserve(id, '"task":"T"'));
    expect(results(replay([...fill, reserve('e', '"task":"T","type":"x"')]))).toBe(
      'ok ok ok ok ENOSPC',
    );
    const split = replay([...fill, reserve('e', '"task":"T","type":"x"')], '--pools', 'split');
    expect(results(split)).toBe('ok ok ok ok ok');
  });

  it('a numeric task and the same number as a string are one task', () => {
    const run = replay([
      reserve('a', '"task":5'),
      reserve('b', '"task":"5"'),
      reserve('c', '"task":5.0'),
      reserve('d', '"task":"5"'),
      reserve('e', '"task":5'),
      reserve('f', '"task":"T5"'),
    ]);
    expect(results(run)).toBe('ok ok ok ok ENOSPC ok');
  });

  it('a failed reserve creates no id: the id may be reserved again; so may a released one', () => {
    const full = ['a', 'b', 'c', 'd'].map((id) => reserve(id, '"cpu":1'));
    const run = replay([
      ...full,
      reserve('x', '"cpu":1'),
      reserve('x', '"cpu":9999'),
      reserve('x', '"cpu":2'),
      release('x'),
      reserve('x', '"task":"T","cpu":2'),
    ]);
    expect(results(run)).toBe('ok ok ok ok ENOSPC EINVAL ok ok ok');
  });

  it('cpu out of range is EINVAL, for task and CPU-bound breakpoints alike', () => {
    const run = replay(
      [
        reserve('a', '"task":"T","cpu":8'),
        reserve('b', '"task":"T","cpu":-2'),
        reserve('c', '"cpu":8'),
        reserve('d', '"cpu":7'),
        reserve('e', '"task":"T","cpu":1e20'),
      ],
      '--cpus',
      '8',
    );
    expect(results(run)).toBe('EINVAL EINVAL EINVAL ok EINVAL');
  });
});

describe('bad input: exit 2, one line on stderr, nothing on stdout', () => {
  const cases: [string, string[], string][] = [
    ['broken JSON', ['{"op":"reserve","id":"a"'], 'line 1: not valid JSON'],
    ['an array', ['[1,2]'], 'line 1: not a JSON object'],
    ['null', ['null'], 'line 1: not a JSON object'],
    ['a number', ['42'], 'line 1: not a JSON object'],
    ['a string', ['"reserve"'], 'line 1: not a JSON object'],
    ['no op', ['{"id":"a"}'], 'line 1: missing "op"'],
    [
      'an unknown op',
      ['{"op":"grab","id":"a"}'],
      'line 1: unknown op "grab" (reserve|release|modify)',
    ],
    ['a non-string op', ['{"op":1,"id":"a"}'], 'line 1: unknown op 1 (reserve|release|modify)'],
    ['no id', ['{"op":"reserve"}'], 'line 1: missing "id"'],
    ['a numeric id', ['{"op":"reserve","id":7}'], 'line 1: "id" must be a non-empty string, got 7'],
    [
      'an empty id',
      ['{"op":"reserve","id":""}'],
      'line 1: "id" must be a non-empty string, got ""',
    ],
    ['an unknown type', [reserve('a', '"type":"rwx"')], 'line 1: unknown type "rwx" (r|w|rw|x)'],
    [
      'a modify to an unknown type',
      [reserve('a', '"task":"T"'), '{"op":"modify","id":"a","type":"X"}'],
      'line 2: unknown type "X" (r|w|rw|x)',
    ],
    [
      'a modify without a type',
      [reserve('a', '"task":"T"'), '{"op":"modify","id":"a"}'],
      'line 2: missing "type" (modify needs the new type)',
    ],
    ['a fractional cpu', [reserve('a', '"cpu":1.5')], 'line 1: "cpu" must be an integer, got 1.5'],
    ['a string cpu', [reserve('a', '"cpu":"0"')], 'line 1: "cpu" must be an integer, got "0"'],
    ['a boolean cpu', [reserve('a', '"cpu":true')], 'line 1: "cpu" must be an integer, got true'],
    [
      'a boolean task',
      [reserve('a', '"task":true')],
      'line 1: "task" must be a non-empty string, a number or null, got true',
    ],
    [
      'an empty task',
      [reserve('a', '"task":""')],
      'line 1: "task" must be a non-empty string, a number or null, got ""',
    ],
    [
      'an object task',
      [reserve('a', '"task":{"pid":1}')],
      'line 1: "task" must be a non-empty string, a number or null, got {"pid":1}',
    ],
    ['a release of an unknown id', [release('a')], 'line 1: release of id "a" that is not held'],
    [
      'a modify of an unknown id',
      ['{"op":"modify","id":"a","type":"x"}'],
      'line 1: modify of id "a" that is not held',
    ],
    [
      'a reserve of a held id',
      [reserve('a', '"task":"T"'), '', reserve('a', '"task":"U"')],
      'line 3: reserve of id "a" that is already held',
    ],
    [
      'a release of an id whose reserve failed',
      [reserve('a'), release('a')],
      'line 2: release of id "a" that is not held',
    ],
    [
      'a modify of an id whose reserve found no slot',
      [
        ...['a', 'b', 'c', 'd', 'e'].map((id) => reserve(id, '"cpu":0')),
        '{"op":"modify","id":"e","type":"x"}',
      ],
      'line 6: modify of id "e" that is not held',
    ],
    [
      'a second release',
      [reserve('a', '"cpu":0'), release('a'), release('a')],
      'line 3: release of id "a" that is not held',
    ],
    [
      'an error on the last line after good ones',
      [reserve('a', '"cpu":0'), release('a'), '', '{"op":"release","id":"a"} x'],
      'line 4: not valid JSON',
    ],
    [
      'the earliest error of several',
      [reserve('a', '"cpu":0'), release('b'), 'nonsense'],
      'line 2: release of id "b" that is not held',
    ],
  ];

  it.each(cases)('%s', (_name, input, message) => {
    expect(replay(input)).toEqual({ stdout: '', stderr: `replay: ${message}\n`, exitCode: 2 });
  });

  it('validates the whole input first, for any design', () => {
    for (const design of ['list', 'final', 'ideal', 'all']) {
      const run = replay([reserve('a', '"task":"T"'), '{"op":"nap","id":"a"}'], '--design', design);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe('');
    }
  });

  it('follows the chosen design: under ideal a reserve always succeeds, so its id is held', () => {
    const input = [...['a', 'b', 'c', 'd', 'e'].map((id) => reserve(id, '"cpu":0')), release('e')];
    expect(replay(input, '--design', 'ideal').exitCode).toBe(0);
    expect(replay(input, '--design', 'list').stderr).toBe(
      'replay: line 6: release of id "e" that is not held\n',
    );
  });
});

describe('options', () => {
  const REPLAY_OPTIONS = '--cpus|--slots|--pools|--design|--costs|--help';
  const optionCases: [string[], string][] = [
    [['--cpus'], 'replay: --cpus: missing value (1..4096)'],
    [['--cpus', 'many', '-'], "replay: --cpus: expected an integer, got 'many' (1..4096)"],
    [['--cpus', '1.5', '-'], "replay: --cpus: expected an integer, got '1.5' (1..4096)"],
    [['--cpus', '0', '-'], 'replay: --cpus: 0 is out of range (1..4096)'],
    [['--cpus=4097', '-'], 'replay: --cpus: 4097 is out of range (1..4096)'],
    [['--slots', '0', '-'], 'replay: --slots: 0 is out of range (1..16)'],
    [['--slots', '17', '-'], 'replay: --slots: 17 is out of range (1..16)'],
    [['--slots='], "replay: --slots: expected an integer, got '' (1..16)"],
    [['--pools', 'mixed', '-'], "replay: --pools: unknown pools 'mixed' (shared|split)"],
    [['--pools'], 'replay: --pools: missing value (shared|split)'],
    [
      ['--design', 'mutex', '-'],
      "replay: --design: unknown design 'mutex' (list|rhltable|sharded|rwsem|final|ideal|all)",
    ],
    [['--design'], 'replay: --design: missing value (list|rhltable|sharded|rwsem|final|ideal|all)'],
    [['--verbose', '-'], `replay: --verbose: unknown option (${REPLAY_OPTIONS})`],
    [['-x', '-'], `replay: -x: unknown option (${REPLAY_OPTIONS})`],
    [['--costs=yes', '-'], 'replay: --costs: takes no value (--costs alone)'],
    [['--cpus', '8', '--cpus=16', '-'], 'replay: --cpus: given twice (at most once)'],
    [['--costs', '--costs', '-'], 'replay: --costs: given twice (at most once)'],
    [
      ['--design', '--costs', '-'],
      'replay: --design: missing value (list|rhltable|sharded|rwsem|final|ideal|all)',
    ],
    [['--cpus=', '-'], "replay: --cpus: expected an integer, got '' (1..4096)"],
    [['--cpus', '+8', '-'], "replay: --cpus: expected an integer, got '+8' (1..4096)"],
    [[], 'replay: missing FILE (a JSON Lines file, or - for stdin)'],
    [['--costs'], 'replay: missing FILE (a JSON Lines file, or - for stdin)'],
    [['a.jsonl', 'b.jsonl'], "replay: unexpected argument 'b.jsonl' (one FILE or -)"],
    [['/nonexistent/ops.jsonl'], "replay: cannot read '/nonexistent/ops.jsonl': ENOENT"],
    [[tmpdir()], `replay: cannot read '${tmpdir()}': EISDIR`],
  ];

  it.each(optionCases)('%j', (args, message) => {
    expect(runReplay(args, reserve('a', '"cpu":0'))).toEqual({
      stdout: '',
      stderr: `${message}\n`,
      exitCode: 2,
    });
  });

  it('accepts --opt value and --opt=value', () => {
    const parsed = parseReplayArgs(['--cpus=16', '--slots', '2', '--pools=split', '-']);
    expect(parsed).toEqual({
      ok: true,
      options: {
        machine: { cpus: 16, slots: 2, pools: 'split' },
        design: 'all',
        costs: false,
        file: '-',
      },
    });
    expect(parseReplayArgs(['--', '--odd-name.jsonl'])).toMatchObject({
      ok: true,
      options: { file: '--odd-name.jsonl' },
    });
  });

  it('uses the machine given: --cpus, --slots', () => {
    const input = [reserve('a', '"task":"T","cpu":3'), reserve('b', '"task":"T","cpu":3')];
    expect(results(replay(input, '--cpus', '4', '--slots', '1'))).toBe('ok ENOSPC');
    expect(results(replay(input, '--cpus', '3'))).toBe('EINVAL EINVAL');
  });

  it('reads FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    const file = join(dir, 'ops.jsonl');
    writeFileSync(file, `${reserve('a', '"cpu":0')}\n`);
    expect(runReplay([file], 'ignored')).toEqual({
      stdout: '{"id":"a","op":"reserve","result":"ok"}\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it('prints usage for --help', () => {
    expect(runReplay(['--help'], '')).toMatchObject({ exitCode: 0, stderr: '' });
    expect(runReplay(['--help'], '').stdout).toMatch(/^usage: sim replay /);
  });
});

describe('--costs', () => {
  it("adds every design's totals over check + toggle, in series order, and its locks", () => {
    const run = replay(
      [reserve('a', '"task":"T"'), reserve('c', '"cpu":1')],
      '--costs',
      '--cpus',
      '4',
    );
    const [first, second] = lines(run);
    expect(first).toBe(
      '{"id":"a","op":"reserve","result":"ok","costs":{' +
        '"list":{"listNodes":0,"cpuIterations":8,"hashLookups":0,"taskEntries":0,"histogramUpdates":4,"sharedAtomics":0,"locks":["nr_bp_mutex:exclusive"]},' +
        '"rhltable":{"listNodes":0,"cpuIterations":8,"hashLookups":9,"taskEntries":0,"histogramUpdates":4,"sharedAtomics":0,"locks":["nr_bp_mutex:exclusive"]},' +
        '"sharded":{"listNodes":0,"cpuIterations":8,"hashLookups":9,"taskEntries":0,"histogramUpdates":4,"sharedAtomics":2,"locks":["task_sharded_mtx:exclusive","bp_cpuinfo_lock:read"]},' +
        '"rwsem":{"listNodes":0,"cpuIterations":8,"hashLookups":9,"taskEntries":0,"histogramUpdates":4,"sharedAtomics":0,"locks":["perf_event_mutex:exclusive","bp_cpuinfo_sem:read"]},' +
        '"final":{"listNodes":0,"cpuIterations":0,"hashLookups":3,"taskEntries":0,"histogramUpdates":5,"sharedAtomics":1,"locks":["perf_event_mutex:exclusive","bp_cpuinfo_sem:read"]}}}',
    );
    expect(JSON.parse(second!)).toMatchObject({
      costs: { final: { locks: ['bp_cpuinfo_sem:write'] }, sharded: { sharedAtomics: 1 } },
    });
  });

  it('with one design, carries that design only; EINVAL costs nothing', () => {
    const run = replay([reserve('a', '"task":"T","cpu":3')], '--costs', '--design', 'list');
    expect(Object.keys((JSON.parse(run.stdout) as { costs: object }).costs)).toEqual(['list']);
    const ok = replay([reserve('a', '"task":"T","cpu":9999')], '--costs', '--design', 'ideal');
    expect(ok.stdout).toBe(
      '{"id":"a","op":"reserve","result":"EINVAL","costs":{"ideal":{"listNodes":0,"cpuIterations":0,"hashLookups":0,"taskEntries":0,"histogramUpdates":0,"sharedAtomics":0,"locks":[]}}}\n',
    );
  });

  it('a list modify pays release + reserve under one lock', () => {
    const run = replay(
      [
        reserve('a', '"task":"U"'),
        reserve('b', '"task":"T"'),
        '{"op":"modify","id":"b","type":"w"}',
      ],
      '--costs',
      '--design',
      'list',
      '--cpus',
      '4',
    );
    // release: C*L with L = 2; reserve: check C*1 + toggle C*1.
    expect(JSON.parse(lines(run)[2]!)).toMatchObject({
      costs: { list: { listNodes: 8 + 4 + 4, locks: ['nr_bp_mutex:exclusive'] } },
    });
  });
});

describe('--design all', () => {
  it('runs every design but ideal and prints the agreed results', () => {
    const input = randomReplayInput({ ops: 4000, cpus: 16, tasks: 40, seed: 7, pools: 'split' });
    const all = runReplay(['--cpus', '16', '--pools', 'split', '-'], input);
    expect(all.exitCode).toBe(0);
    expect(lines(all)).toHaveLength(4000);
    for (const design of ['list', 'rhltable', 'sharded', 'rwsem', 'final']) {
      const one = runReplay(['--cpus', '16', '--pools', 'split', '--design', design, '-'], input);
      expect(one.stdout, design).toBe(all.stdout);
    }
    expect(results(all)).toMatch(/ENOSPC/);
    expect(results(all)).toMatch(/EINVAL/);
  }, 30_000);

  it('exits 3 on a disagreement, naming the operation and every design, after the lines before it', () => {
    // A broken rhltable that refuses the third reserve it sees.
    let reserves = 0;
    const factory = (design: Parameters<typeof createSlotEngine>[0], machine = machineConfig()) => {
      const engine = createSlotEngine(design, machine);
      if (design !== 'rhltable') return engine;
      const broken: InspectableSlotEngine = Object.create(engine) as InspectableSlotEngine;
      broken.reserveInPlace = (...args) =>
        ++reserves === 3 ? 'ENOSPC' : engine.reserveInPlace(...args);
      return broken;
    };
    const parsed = parseReplayArgs(['-']);
    if (parsed.ok !== true) throw new Error('bad args');
    const input = [
      reserve('a', '"task":"T"'),
      release('a'),
      '',
      reserve('b', '"cpu":2'),
      reserve('c', '"task":"U","cpu":5'),
      release('b'),
    ].join('\n');
    expect(replayInput(parsed.options, input, factory)).toEqual({
      stdout:
        '{"id":"a","op":"reserve","result":"ok"}\n' +
        '{"id":"a","op":"release","result":"ok"}\n' +
        '{"id":"b","op":"reserve","result":"ok"}\n',
      stderr:
        'replay: line 5: designs disagree on reserve of id "c": ' +
        'list=ok rhltable=ENOSPC sharded=ok rwsem=ok final=ok\n',
      exitCode: 3,
    });
  });
});

/** Runs the streaming command over `stdin` chunks; records every write. */
async function replayStreaming(
  args: string[],
  stdin: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  write: (text: string) => void | Promise<void> = () => undefined,
): Promise<ReplayRun & { writes: number[] }> {
  const writes: number[] = [];
  let stdout = '';
  let stderr = '';
  const exitCode = await runReplayStreaming(args, {
    stdin: () => (Symbol.asyncIterator in stdin ? stdin : toAsync(stdin)),
    stdout: (text) => {
      writes.push(text.length);
      stdout += text;
      return write(text);
    },
    stderr: (text) => void (stderr += text),
  });
  return { stdout, stderr, exitCode, writes };
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

describe('streaming: output as it is produced, input as a stream', () => {
  const input = randomReplayInput({ ops: 6000, cpus: 16, tasks: 40, seed: 11 });

  it('writes --costs output in bounded chunks, one write at a time, the same text', async () => {
    const whole = runReplay(['--cpus', '16', '--costs', '-'], input);
    expect(whole.exitCode).toBe(0);
    let pending = 0;
    let mostPending = 0;
    const slowReader = async (): Promise<void> => {
      pending++;
      mostPending = Math.max(mostPending, pending);
      await new Promise((resolve) => setTimeout(resolve, 0));
      pending--;
    };
    const run = await replayStreaming(['--cpus', '16', '--costs', '-'], [input], slowReader);
    expect(run.stdout).toBe(whole.stdout);
    expect(run.exitCode).toBe(0);
    // Several megabytes of output, never more than a chunk (64 KiB and a line) at once, and
    // each write awaited before the next one (backpressure).
    expect(run.stdout.length).toBeGreaterThan(5_000_000);
    expect(run.writes.length).toBeGreaterThan(50);
    expect(Math.max(...run.writes)).toBeLessThan(64 * 1024 + 4096);
    expect(mostPending).toBe(1);
  }, 30_000);

  it('reads input split anywhere, UTF-8 characters and a BOM included, as the whole text', async () => {
    const text = `${input}${JSON.stringify({ op: 'reserve', id: 'é😀', task: 'ü' })}\n`;
    const bytes = Buffer.from(`\ufeff${text}`, 'utf8');
    const pieces: Buffer[] = [];
    for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 7) % 4093) {
      pieces.push(bytes.subarray(at, at + size));
    }
    const run = await replayStreaming(['--cpus', '16', '-'], pieces);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(runReplay(['--cpus', '16', '-'], text).stdout);
  });

  it('reads FILE as a stream too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    const file = join(dir, 'ops.jsonl');
    writeFileSync(file, input);
    const run = await replayStreaming(['--cpus', '16', file], []);
    expect(run.stdout).toBe(runReplay(['--cpus', '16', '-'], input).stdout);
    const missing = await replayStreaming([join(dir, 'none.jsonl')], []);
    expect([missing.exitCode, missing.stderr]).toEqual([
      2,
      `replay: cannot read '${join(dir, 'none.jsonl')}': ENOENT\n`,
    ]);
  });
});

describe('limits: a line longer than MAX_LINE_LENGTH is exit 2, stdin and FILE alike', () => {
  const tooLong = `replay: line 2: longer than 16,777,216 characters (the longest line replay reads)\n`;

  it('stops reading an endless line (replay - < /dev/zero) after the limit', async () => {
    let pulled = 0;
    function* zeros(): Generator<Uint8Array> {
      yield Buffer.from(`${reserve('a', '"cpu":0')}\n`);
      const chunk = new Uint8Array(65536);
      for (;;) {
        pulled++;
        yield chunk;
      }
    }
    const run = await replayStreaming(['-'], zeros());
    expect(MAX_LINE_LENGTH).toBe(16 * 1024 * 1024);
    expect(run).toMatchObject({ stdout: '', stderr: tooLong, exitCode: 2 });
    expect(pulled).toBeLessThanOrEqual(MAX_LINE_LENGTH / 65536 + 2);
  });

  it('gives the same answer for the same text as FILE, in process and streamed', async () => {
    const text = `${reserve('a', '"cpu":0')}\n${'x'.repeat(MAX_LINE_LENGTH + 1)}\n`;
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    const file = join(dir, 'long.jsonl');
    writeFileSync(file, text);
    const expected = { stdout: '', stderr: tooLong, exitCode: 2 };
    expect(runReplay([file], '')).toEqual(expected);
    expect(runReplay(['-'], text)).toEqual(expected);
    expect(await replayStreaming([file], [])).toMatchObject(expected);
    expect(await replayStreaming(['-'], [text])).toMatchObject(expected);
    // At the limit exactly, the line is read (and is just not JSON).
    const atLimit = `${'x'.repeat(MAX_LINE_LENGTH)}\n`;
    expect(runReplay(['-'], atLimit).stderr).toBe('replay: line 1: not valid JSON\n');
  });
});

describe('hostile values: one line, exit 2, the value cut', () => {
  const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

  it('reports an id or task nested 5,000 (or 100,000) deep without overflowing the stack', () => {
    expect(replay([`{"op":"reserve","id":${nested(5000)}}`])).toEqual({
      stdout: '',
      stderr:
        'replay: line 1: "id" must be a non-empty string, got ' +
        `${'['.repeat(40)}… (10,000 characters)\n`,
      exitCode: 2,
    });
    expect(replay([reserve('a', `"task":${nested(100_000)}`)])).toEqual({
      stdout: '',
      stderr:
        'replay: line 1: "task" must be a non-empty string, a number or null, got ' +
        `${'['.repeat(40)}… (200,000 characters)\n`,
      exitCode: 2,
    });
    const wide = `{"k":${nested(3000)},"op":{"a":[1,{"b":${nested(5000)}}]},"id":"x"}`;
    expect(replay([wide]).stderr).toBe(
      `replay: line 1: unknown op {"a":[1,{"b":${'['.repeat(27)}… (10,016 characters) (reserve|release|modify)\n`,
    );
  });

  it('cuts a 10 MB value to 40 characters and gives its length', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const run = replay([reserve('a', `"type":"${big}"`)]);
    expect(run.stderr).toBe(
      `replay: line 1: unknown type "${'x'.repeat(40)}…" (10,485,760 characters) (r|w|rw|x)\n`,
    );
    expect(replay([release(big)]).stderr).toBe(
      `replay: line 1: release of id "${'x'.repeat(40)}…" (10,485,760 characters) that is not held\n`,
    );
    // Short values are still quoted whole.
    expect(replay([release('x'.repeat(40))]).stderr).toBe(
      `replay: line 1: release of id "${'x'.repeat(40)}" that is not held\n`,
    );
  });

  it('says a cpu beyond a double is out of range, and a cpu that only rounds to an integer is not one', () => {
    expect(replay([reserve('a', '"task":"T","cpu":1e400')]).stderr).toBe(
      'replay: line 1: "cpu" is out of range, got 1e400\n',
    );
    expect(replay([reserve('a', `"task":"T","cpu":${'9'.repeat(7000)}`)]).stderr).toBe(
      `replay: line 1: "cpu" is out of range, got ${'9'.repeat(40)}… (7,000 characters)\n`,
    );
    expect(replay([reserve('a', '"task":"T", "cpu": 1e-400')]).stderr).toBe(
      'replay: line 1: "cpu" must be an integer, got 1e-400\n',
    );
    expect(replay([reserve('a', '"task":1e400')]).stderr).toBe(
      'replay: line 1: "task" is out of range, got 1e400\n',
    );
    // An integer cpu a double holds is still not an input error: EINVAL, as before.
    expect(results(replay([reserve('a', '"task":"T","cpu":1e300')]))).toBe('EINVAL');
    expect(results(replay([reserve('a', '"task":"T","cpu":1.0')]))).toBe('ok');
  });
});

describe('task numbers: the exact decimal names the task', () => {
  // With one slot a second breakpoint of the same task finds no room; of another task it does.
  const sameTask = (a: string, b: string): boolean => {
    const run = replay(
      [reserve('a', `"task":${a},"cpu":0`), reserve('b', `"task":${b},"cpu":0`)],
      '--slots',
      '1',
    );
    expect(run.exitCode).toBe(0);
    return results(run) === 'ok ENOSPC';
  };

  it('1e21 and "1000000000000000000000" are one task, in either layout', () => {
    expect(sameTask('1e21', '"1000000000000000000000"')).toBe(true);
    expect(sameTask('"1000000000000000000000"', '1E+21')).toBe(true);
    expect(sameTask('1e21', '"1e21"')).toBe(false);
    expect(sameTask('1.5e-7', '"0.00000015"')).toBe(true);
    expect(sameTask('-0', '"0"')).toBe(true);
    expect(sameTask('5.0', '"5"')).toBe(true);
  });

  it('keeps every digit a double would lose', () => {
    expect(sameTask('12345678901234567890123', '"12345678901234567890123"')).toBe(true);
    expect(sameTask('9007199254740993', '"9007199254740993"')).toBe(true);
    expect(sameTask('9007199254740993', '9007199254740992')).toBe(false);
    // The same through JSON.parse (keys in another order) as through the compact fast path.
    const run = replay(
      [
        '{"op":"reserve","id":"a","cpu":0,"task":9007199254740993}',
        reserve('b', '"task":"9007199254740993","cpu":0'),
      ],
      '--slots',
      '1',
    );
    expect(results(run)).toBe('ok ENOSPC');
  });
});

describe('input encoding', () => {
  it('accepts a UTF-8 byte-order mark before line 1', () => {
    expect(replay(`\ufeff${reserve('a', '"cpu":0')}\n`)).toEqual({
      stdout: '{"id":"a","op":"reserve","result":"ok"}\n',
      stderr: '',
      exitCode: 0,
    });
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    const file = join(dir, 'bom.jsonl');
    writeFileSync(file, Buffer.from(`\ufeff${reserve('a', '"cpu":0')}\n`, 'utf8'));
    expect(runReplay([file], '').stdout).toBe('{"id":"a","op":"reserve","result":"ok"}\n');
    // Only at the start: elsewhere it is not whitespace.
    expect(replay([reserve('a', '"cpu":0'), `\ufeff${reserve('b', '"cpu":0')}`]).stderr).toBe(
      'replay: line 2: not valid JSON\n',
    );
  });
});

describe('engine keys', () => {
  it('are recycled once freed, so engines index by what is held, not by every reserve made', () => {
    const input = randomReplayInput({ ops: 20_000, cpus: 16, tasks: 20, seed: 13 });
    let largestKey = 0;
    const factory = (design: Parameters<typeof createSlotEngine>[0], machine = machineConfig()) => {
      const engine = createSlotEngine(design, machine);
      const watched: InspectableSlotEngine = Object.create(engine) as InspectableSlotEngine;
      watched.reserveInPlace = (key, ...rest) => {
        largestKey = Math.max(largestKey, key);
        // Called on the wrapper, so every method keeps writing to one object's state.
        return engine.reserveInPlace.call(watched, key, ...rest);
      };
      return watched;
    };
    const parsed = parseReplayArgs(['--cpus', '16', '--costs', '-']);
    if (parsed.ok !== true) throw new Error('bad args');
    const run = replayInput(parsed.options, input, factory);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(runReplay(['--cpus', '16', '--costs', '-'], input).stdout);
    // About 10,000 reserves; at most 2 per task and 4 per CPU are held at once.
    expect(lines(run).filter((line) => line.includes('"op":"reserve"')).length).toBeGreaterThan(
      5000,
    );
    expect(largestKey).toBeLessThan(20 * 2 * 4 + 16 * 4);
  }, 30_000);
});

describe('two passes: what replay keeps does not grow with the input', () => {
  // 16 CPUs, 20 tasks: at most 2 breakpoints per task and 4 per CPU are held at once.
  const machine = ['--cpus', '16'];
  const heldBound = 20 * 2 * 4 + 16 * 4;

  async function streamed(
    ops: number,
    from: 'file' | 'stdin',
  ): Promise<{ run: ReplayRun; stats: ReplayStats; tmp: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    const file = join(dir, 'ops.jsonl');
    writeFileSync(file, randomReplayInput({ ops, cpus: 16, tasks: 20, seed: 17 }));
    const tmp = mkdtempSync(join(tmpdir(), 'replay-spool-'));
    let stats: ReplayStats | null = null;
    let stdout = '';
    let stderr = '';
    const exitCode = await runReplayStreaming(
      [...machine, '--costs', from === 'file' ? file : '-'],
      {
        stdin: () => createReadStreamFor(file),
        stdout: (text) => void (stdout += text),
        stderr: (text) => void (stderr += text),
        tmpdir: tmp,
        stats: (seen) => void (stats = seen),
      },
    );
    if (stats === null) throw new Error('no stats');
    return { run: { stdout, stderr, exitCode }, stats, tmp };
  }

  it.each(['file', 'stdin'] as const)(
    'from %s: 4 times the operations, the same held ids, free keys, tasks and pending output',
    async (from) => {
      const small = await streamed(5_000, from);
      const large = await streamed(20_000, from);
      for (const { run, stats } of [small, large]) {
        expect(run.stderr).toBe('');
        expect(run.exitCode).toBe(0);
        expect(lines(run)).toHaveLength(stats.operations);
        // Nothing kept per operation: only what is held at once, and the tasks.
        expect(stats.peakHeldIds).toBeLessThanOrEqual(heldBound);
        expect(stats.peakFreeKeys).toBeLessThanOrEqual(heldBound + 1);
        expect(stats.tasks).toBeLessThanOrEqual(20);
        // A 64 KiB chunk and the output of one 4 KiB slice of input wait for the reader at
        // most, never the output of the whole input.
        expect(stats.peakPendingOutput).toBeLessThan(4 * 64 * 1024);
      }
      expect([small.stats.operations, large.stats.operations]).toEqual([5_000, 20_000]);
      expect(large.stats.peakHeldIds).toBeLessThanOrEqual(small.stats.peakHeldIds + 16);
      expect(large.stats.peakFreeKeys).toBeLessThanOrEqual(small.stats.peakFreeKeys + 16);
      // stdin is spooled whole to a temporary file, which is gone afterwards.
      expect(large.stats.spooledBytes > 0).toBe(from === 'stdin');
      expect(readdirSync(large.tmp)).toEqual([]);
      expect(liveSpools()).toBe(0);
    },
    60_000,
  );

  it('prints the same as the in-memory path, from FILE and from spooled stdin', async () => {
    const input = randomReplayInput({ ops: 3_000, cpus: 16, tasks: 20, seed: 17 });
    const whole = runReplay([...machine, '--costs', '-'], input);
    const fromFile = await streamed(3_000, 'file');
    const fromStdin = await streamed(3_000, 'stdin');
    expect(fromFile.run).toEqual(whole);
    expect(fromStdin.run).toEqual(whole);
    expect(fromStdin.stats.spooledBytes).toBe(Buffer.byteLength(input));
    expect(fromFile.stats.spooledBytes).toBe(0);
  }, 30_000);

  it('says so in one line, exit 2, when stdin cannot be spooled', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'replay-')), 'gone');
    let stdout = '';
    let stderr = '';
    const exitCode = await runReplayStreaming(['-'], {
      stdin: () => toAsync([reserve('a', '"cpu":0')]),
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      tmpdir: missing,
    });
    expect({ stdout, stderr, exitCode }).toEqual({
      stdout: '',
      stderr: `replay: cannot spool stdin to ${missing}: ENOENT\n`,
      exitCode: 2,
    });
    expect(liveSpools()).toBe(0);
  });

  it('removes the spool after a bad line, which also stops the reading', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'replay-spool-'));
    let stderr = '';
    const exitCode = await runReplayStreaming(['-'], {
      stdin: () => toAsync([`${reserve('a', '"cpu":0')}\n`, 'nonsense\n']),
      stdout: () => undefined,
      stderr: (text) => void (stderr += text),
      tmpdir: tmp,
    });
    expect([exitCode, stderr]).toEqual([2, 'replay: line 2: not valid JSON\n']);
    expect(readdirSync(tmp)).toEqual([]);
    expect(statSync(tmp).isDirectory()).toBe(true);
  });
});

async function* createReadStreamFor(file: string): AsyncGenerator<Uint8Array> {
  const { createReadStream } = await import('node:fs');
  for await (const chunk of createReadStream(file, { highWaterMark: 8192 })) {
    yield chunk as Uint8Array;
  }
}
