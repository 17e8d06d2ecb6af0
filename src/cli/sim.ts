/**
 * The `sim` command (`npm run --silent sim -- <command> ...`): a small dispatcher over
 * subcommands. Each handler gets its arguments and the process I/O and returns an exit code;
 * the logic lives in plain modules (replay.ts) that tests call without a process.
 *
 * main() adds what every command shares: `--debug` (taken out before dispatch), one line for an
 * internal error (its stack only with --debug), and a quiet exit 0 when stdout is closed early
 * (`sim replay BIG | head -1`), as Unix filters do. It also removes replay's stdin spool (a
 * temporary file, replay-spool.ts) however the process ends: on exit, and on SIGINT, SIGTERM or
 * SIGHUP, after which the signal is raised again so the exit status still says which.
 */
import { writeFileSync } from 'node:fs';
import { runBench } from './bench.ts';
import { runReplayStreaming } from './replay.ts';
import type { ReplayIo } from './replay.ts';
import { removeSpools } from './replay-spool.ts';

/**
 * The process I/O a command gets: stdin as chunks (read only when needed), stdout with
 * backpressure (await what it returns), stderr.
 */
export type CommandIo = ReplayIo;

export type CommandHandler = (args: readonly string[], io: CommandIo) => Promise<number>;

/** The exit status when stdout is closed before the output is written (docs/replay.md). */
export const EXIT_OUTPUT_CLOSED = 0;
export const EXIT_INTERNAL_ERROR = 1;
export const INTERNAL_ERROR_LINE = 'sim: internal error (run again with --debug for details)\n';

function replayCommand(args: readonly string[], io: CommandIo): Promise<number> {
  return runReplayStreaming(args, io);
}

async function benchCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const run = runBench(args);
  if (run.file) {
    try {
      writeFileSync(run.file.path, run.file.text);
      io.stderr(run.file.note);
    } catch (error) {
      const code = (error as { code?: string }).code ?? String(error);
      io.stderr(`bench: --trace: cannot write '${run.file.path}': ${code}\n`);
      return 2;
    }
  }
  if (run.stdout !== '') await io.stdout(run.stdout);
  if (run.stderr !== '') io.stderr(run.stderr);
  return run.exitCode;
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

/** Thrown by a stdout whose reader has gone (EPIPE). */
export class OutputClosedError extends Error {
  constructor(readonly cause?: unknown) {
    super('stdout is closed');
  }
}

function isOutputClosed(error: unknown): boolean {
  if (error instanceof OutputClosedError) return true;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** `--debug` anywhere before a `--` argument, taken out of the arguments. */
export function takeDebugFlag(argv: readonly string[]): { args: string[]; debug: boolean } {
  const end = argv.indexOf('--');
  const head = end < 0 ? argv : argv.slice(0, end);
  const args = head.filter((arg) => arg !== '--debug');
  return {
    args: end < 0 ? args : [...args, ...argv.slice(end)],
    debug: args.length !== head.length,
  };
}

/**
 * Runs a command line as the process does. An internal error is one generic line (no stack, no
 * paths) unless --debug is given; a closed stdout ends the command quietly.
 */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const { args, debug } = takeDebugFlag(argv);
  try {
    return await runSim(args, io);
  } catch (error) {
    if (isOutputClosed(error)) return EXIT_OUTPUT_CLOSED;
    io.stderr(
      debug
        ? `sim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
        : INTERNAL_ERROR_LINE,
    );
    return EXIT_INTERNAL_ERROR;
  }
}

/**
 * Writes to a stream, waiting for 'drain' when its buffer is full; rejects once the stream has
 * failed (a closed pipe), so the command stops instead of writing into the void.
 */
export function writerFor(stream: NodeJS.WritableStream & { destroyed?: boolean }) {
  let failure: unknown = null;
  // Without a listener a late EPIPE would be thrown as an uncaught error with its stack.
  stream.on('error', (error: unknown) => {
    failure ??= error;
  });
  return (text: string): Promise<void> => {
    if (failure !== null || stream.destroyed === true) {
      return Promise.reject(new OutputClosedError(failure));
    }
    if (stream.write(text)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        stream.off('error', onError);
        resolve();
      };
      const onError = (error: unknown): void => {
        stream.off('drain', onDrain);
        reject(new OutputClosedError(error));
      };
      stream.once('drain', onDrain);
      stream.once('error', onError);
    });
  };
}

/** Removes replay's temporary files on exit and on a terminating signal. */
function removeSpoolsOnExit(): void {
  process.once('exit', removeSpools);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      removeSpools();
      process.off(signal, onSignal);
      // Nothing else listens: the default action ends the process as the signal would have.
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

const processIo: CommandIo = {
  stdin: () => process.stdin,
  stdout: writerFor(process.stdout),
  stderr: (text) => void process.stderr.write(text),
};

removeSpoolsOnExit();
// Set exitCode rather than calling process.exit(), so the last output drains into a pipe first.
process.exitCode = await main(process.argv.slice(2), processIo);
