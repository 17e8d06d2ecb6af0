/**
 * The `sim` command (`npm run --silent sim -- <command> ...`): a small dispatcher over
 * subcommands. Each handler gets its arguments and the process I/O and returns an exit code;
 * the logic lives in plain modules (replay.ts) that tests call without a process.
 */
import { runBench } from './bench.ts';
import { parseReplayArgs, runReplay } from './replay.ts';

export interface CommandIo {
  /** Reads all of stdin; call it only when the command needs it. */
  readStdin(): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

export type CommandHandler = (args: readonly string[], io: CommandIo) => Promise<number>;

async function replayCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseReplayArgs(args);
  const needsStdin = parsed.ok === true && parsed.options.file === '-';
  const run = runReplay(args, needsStdin ? await io.readStdin() : '');
  if (run.stdout !== '') io.stdout(run.stdout);
  if (run.stderr !== '') io.stderr(run.stderr);
  return run.exitCode;
}

function benchCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const run = runBench(args);
  if (run.stdout !== '') io.stdout(run.stdout);
  if (run.stderr !== '') io.stderr(run.stderr);
  return Promise.resolve(run.exitCode);
}

/** Subcommands by name. */
export const COMMANDS: Record<string, CommandHandler> = {
  replay: replayCommand,
  bench: benchCommand,
};

export async function runSim(args: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = args;
  const names = Object.keys(COMMANDS).join(', ');
  if (name === undefined) {
    io.stderr(`sim: missing command (${names})\n`);
    return 2;
  }
  const handler = COMMANDS[name];
  if (handler === undefined) {
    io.stderr(`sim: unknown command '${name}' (${names})\n`);
    return 2;
  }
  return handler(rest, io);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const processIo: CommandIo = {
  readStdin: () => readAll(process.stdin),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

// Set exitCode rather than calling process.exit(), so a large stdout drains into a pipe first.
process.exitCode = await runSim(process.argv.slice(2), processIo).catch((error: unknown) => {
  process.stderr.write(
    `sim: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  return 1;
});
