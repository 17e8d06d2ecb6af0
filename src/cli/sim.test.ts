/** The `sim` dispatcher, in process and once through a real process (exit code and pipes). */
import { spawnSync } from 'node:child_process';
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
    readStdin: () => Promise.resolve(stdin),
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
    io.readStdin = () => Promise.reject(new Error('stdin read'));
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
});
