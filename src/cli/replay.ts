/**
 * `sim replay`: the engine's scripted interface. Reads JSON Lines operations, validates all of
 * them, runs them through one design or all of them, and prints one JSON line per operation.
 * The contract (input, output, costs, errors, exit codes) is docs/replay.md; keep them in step.
 *
 * Two passes over the input, so that memory does not grow with it:
 *
 * 1. Validation (ValidationPass) reads the whole input once: syntax, and the held/not-held
 *    rules, which follow the first design's decisions (whether a reserve succeeded), so that
 *    design runs here too (`final` for `--design all`). It keeps the held ids, the free engine
 *    keys and the task numbers (OperationReader), never a record per operation. A bad line
 *    ends replay with exit 2 before anything is printed.
 * 2. Output (OutputPass) reads the input again from the start, re-deriving the same engine keys
 *    the same way, runs every design side by side (the first one again, on a fresh engine),
 *    compares them op by op, and hands the output on in chunks as it is produced.
 *
 * Drivers: runReplayStreaming() (the process) reads FILE twice, or spools stdin (and any FILE
 * that is not a regular file, such as a pipe) to a temporary file during pass 1 and reads that
 * back (replay-spool.ts); each output chunk is written and awaited (backpressure). runReplay()
 * and replayInput() (tests) run the same two passes over a string or FILE, output as a string.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createSlotEngine, totalWork } from '../engine/index.ts';
import type {
  BpType,
  DesignId,
  InspectableSlotEngine,
  MachineConfig,
  OpResult,
  OpWork,
} from '../engine/index.ts';
import {
  ALL_DESIGNS,
  EXIT_BAD_INPUT,
  EXIT_DISAGREEMENT,
  EXIT_OK,
  REPLAY_USAGE,
  parseReplayArgs,
} from './replay-args.ts';
import type { ReplayOptions } from './replay-args.ts';
import { describeValue, parseLine } from './replay-input.ts';
import { SpoolError, StdinSpool } from './replay-spool.ts';

export * from './replay-args.ts';
export { parseLine, parseOperation } from './replay-input.ts';
export type { ParsedLine, ReplayOperation } from './replay-input.ts';

export interface ReplayRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export type EngineFactory = (design: DesignId, machine: MachineConfig) => InspectableSlotEngine;

const OP_RESERVE = 0;
const OP_RELEASE = 1;
const OP_MODIFY = 2;
const OP_NAMES = ['reserve', 'release', 'modify'] as const;

/** One design's costs as the `costs` object carries them: totals over check and toggle. */
function costsJson(work: OpWork): string {
  const total = totalWork(work);
  const locks = work.locks.map((lock) => `"${lock.lock}:${lock.mode}"`).join(',');
  return (
    `{"listNodes":${total.listNodes},"cpuIterations":${total.cpuIterations},` +
    `"hashLookups":${total.hashLookups},"taskEntries":${total.taskEntries},` +
    `"histogramUpdates":${total.histogramUpdates},"sharedAtomics":${total.sharedAtomics},` +
    `"locks":[${locks}]}`
  );
}

/** The longest input line replay reads, in characters (UTF-16 units after UTF-8 decoding). */
export const MAX_LINE_LENGTH = 16 * 1024 * 1024;

/** How much output is gathered before it is handed on (one write). */
const OUTPUT_CHUNK = 64 * 1024;

/** How much input pass 2 reads before handing on the output it made (see runReplayStreaming). */
const INPUT_SLICE = 4096;

/** What a replay ends with once its output is written. */
export interface ReplayEnd {
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * Reads operations one line at a time: parses, applies the held/not-held rules, picks engine
 * keys and runs the first design. Keeps only what is live: the held ids (each to its engine
 * key), the keys the first design has freed (the next reserves reuse them, so the engines'
 * per-key tables stay the size of what is held at once), and the task numbers. Both passes read
 * through one of these, so pass 2 derives exactly the keys pass 1 did. Reuse is safe for every
 * design: a design that disagrees about whether a key was freed stops replay at that operation.
 */
class OperationReader {
  private readonly heldKeys = new Map<string, number>();
  private readonly freeKeys: number[] = [];
  private nextKey = 0;
  /** Tasks numbered in order of first appearance (the pid the engine API sees). */
  private readonly taskKeys = new Map<string, number>();
  /** The most ids held at once, and the longest free-key list: retention, for ReplayStats. */
  peakHeld = 0;
  peakFree = 0;

  // The operation just read, for apply(), idJson() and messages.
  kind = OP_RESERVE;
  key = 0;
  task: number | null = null;
  cpu = -1;
  type: BpType = 'rw';
  id = '';
  /** The first design's answer. */
  result: OpResult = 'ok';
  private text = '';
  private idAt = -1;

  constructor(readonly engine: InspectableSlotEngine) {}

  get tasks(): number {
    return this.taskKeys.size;
  }

  /** Reads one non-blank line; returns null, or what is wrong with it (no `line N:` prefix). */
  read(text: string): string | null {
    const parsed = parseLine(text);
    if (typeof parsed === 'string') return parsed;
    const { operation, idAt } = parsed;
    const { id } = operation;
    const held = this.heldKeys.get(id);
    this.id = id;
    this.text = text;
    this.idAt = idAt;
    if (operation.op === 'reserve') {
      if (held !== undefined) return `reserve of id ${describeValue(id)} that is already held`;
      this.kind = OP_RESERVE;
      this.key = this.freeKeys.pop() ?? this.nextKey++;
      this.cpu = operation.cpu;
      this.type = operation.type;
      this.task = operation.task === null ? null : this.taskKey(operation.task);
      this.result = this.engine.reserveInPlace(this.key, this.task, this.cpu, this.type);
      if (this.result === 'ok') {
        this.heldKeys.set(id, this.key);
        if (this.heldKeys.size > this.peakHeld) this.peakHeld = this.heldKeys.size;
      } else {
        this.free(this.key);
      }
      return null;
    }
    if (held === undefined) return `${operation.op} of id ${describeValue(id)} that is not held`;
    this.key = held;
    if (operation.op === 'release') {
      this.kind = OP_RELEASE;
      this.result = this.engine.releaseInPlace(held);
      this.heldKeys.delete(id);
      this.free(held);
    } else {
      this.kind = OP_MODIFY;
      this.type = operation.type;
      this.result = this.engine.modifyInPlace(held, this.type);
    }
    return null;
  }

  /** Applies the operation just read to another design's engine. */
  apply(engine: InspectableSlotEngine): OpResult {
    switch (this.kind) {
      case OP_RESERVE:
        return engine.reserveInPlace(this.key, this.task, this.cpu, this.type);
      case OP_RELEASE:
        return engine.releaseInPlace(this.key);
      default:
        return engine.modifyInPlace(this.key, this.type);
    }
  }

  /** The id as the output prints it: its text in the line when that is already JSON.stringify's. */
  idJson(): string {
    const { idAt, text, id } = this;
    return idAt >= 0 ? text.slice(idAt, idAt + id.length + 2) : JSON.stringify(id);
  }

  private free(key: number): void {
    this.freeKeys.push(key);
    if (this.freeKeys.length > this.peakFree) this.peakFree = this.freeKeys.length;
  }

  private taskKey(name: string): number {
    let task = this.taskKeys.get(name);
    if (task === undefined) {
      task = this.taskKeys.size;
      this.taskKeys.set(name, task);
    }
    return task;
  }
}

/**
 * Input text pushed in pieces of any size (split anywhere) into physical lines: a byte-order
 * mark before line 1 is dropped, a line longer than MAX_LINE_LENGTH is an error as soon as it
 * is seen, blank lines are counted and skipped. Each other line goes to operation().
 */
abstract class LinePass {
  /** The first error, a whole stderr line without its newline; the rest is then ignored. */
  error: string | null = null;
  private lineNumber = 0;
  private carry = '';
  private atStart = true;
  private ended = false;

  /** Takes the next piece of input text; returns false once the pass has stopped. */
  push(piece: string): boolean {
    if (this.error !== null) return false;
    if (this.atStart && piece !== '') {
      this.atStart = false;
      // A UTF-8 byte-order mark (as some editors write) is not part of line 1.
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
    }
    let start = 0;
    for (let end = piece.indexOf('\n'); end >= 0; end = piece.indexOf('\n', start)) {
      const part = piece.slice(start, end);
      const text = this.carry === '' ? part : this.carry + part;
      this.carry = '';
      start = end + 1;
      if (!this.line(text)) return false;
    }
    this.carry += piece.slice(start);
    if (this.carry.length > MAX_LINE_LENGTH) {
      this.carry = '';
      return this.tooLong(this.lineNumber + 1);
    }
    return true;
  }

  /** Ends the input: the text after the last newline is the last line. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.error !== null) return;
    const text = this.carry;
    this.carry = '';
    this.line(text);
  }

  /** Handles one non-blank line; returns false to stop. */
  protected abstract operation(text: string, lineNumber: number): boolean;

  protected fail(lineNumber: number, reason: string): false {
    this.error = `replay: line ${lineNumber}: ${reason}`;
    return false;
  }

  private tooLong(lineNumber: number): false {
    const most = MAX_LINE_LENGTH.toLocaleString('en-US');
    return this.fail(lineNumber, `longer than ${most} characters (the longest line replay reads)`);
  }

  private line(text: string): boolean {
    const lineNumber = ++this.lineNumber;
    if (text.length > MAX_LINE_LENGTH) return this.tooLong(lineNumber);
    if (text === '' || text.trim() === '') return true;
    return this.operation(text, lineNumber);
  }
}

/** The design that validation runs: the one given, or `final` for `all` (the cheapest). */
function firstDesign(options: ReplayOptions): DesignId {
  return options.design === 'all' ? 'final' : options.design;
}

/** Pass 1: validates every line, running the first design; counts the operations. */
class ValidationPass extends LinePass {
  readonly reader: OperationReader;
  operations = 0;

  constructor(options: ReplayOptions, createEngine: EngineFactory) {
    super();
    this.reader = new OperationReader(createEngine(firstDesign(options), options.machine));
  }

  protected operation(text: string, lineNumber: number): boolean {
    const wrong = this.reader.read(text);
    if (wrong !== null) return this.fail(lineNumber, wrong);
    this.operations++;
    return true;
  }
}

/**
 * Pass 2: reads the validated input again, runs every design side by side and gathers the
 * output lines into chunks of about OUTPUT_CHUNK characters, taken with take(). Stops at the
 * first operation on which the designs disagree (the lines before it are in the chunks). The
 * input must be what pass 1 read: a line that no longer reads, or another number of
 * operations, means the file changed in between (`changed`, exit 2).
 */
class OutputPass extends LinePass {
  private readonly reader: OperationReader;
  private readonly designs: readonly DesignId[];
  /** One engine per design, in `designs` order; the first design's is the reader's. */
  private readonly engines: InspectableSlotEngine[];
  private readonly answers: OpResult[];
  private readonly costs: string[] = [];
  private operations = 0;
  private batch: string[] = [];
  private batchSize = 0;
  private ready: string[] = [];
  private readySize = 0;
  /** The most output characters gathered and not yet taken (retention, for ReplayStats). */
  peakPending = 0;
  private disagreement: string | null = null;

  constructor(
    private readonly options: ReplayOptions,
    createEngine: EngineFactory,
    /** How many operations pass 1 read. */
    private readonly expected: number,
    /** The input's name in the message if it changed: `'ops.jsonl'` or `stdin`. */
    private readonly inputName: string,
  ) {
    super();
    const first = firstDesign(options);
    this.designs = options.design === 'all' ? ALL_DESIGNS : [options.design];
    this.reader = new OperationReader(createEngine(first, options.machine));
    this.engines = this.designs.map((design) =>
      design === first ? this.reader.engine : createEngine(design, options.machine),
    );
    this.answers = this.designs.map(() => 'ok');
  }

  get reading(): OperationReader {
    return this.reader;
  }

  /** The output chunks gathered since the last call. */
  take(): string[] {
    const chunks = this.ready;
    this.ready = [];
    this.readySize = 0;
    return chunks;
  }

  /** After end(): the last chunk is ready to take; returns the stderr text and exit code. */
  finish(): ReplayEnd {
    this.flush();
    if (this.disagreement !== null) {
      return { stderr: `${this.disagreement}\n`, exitCode: EXIT_DISAGREEMENT };
    }
    if (this.error === null && this.operations !== this.expected) this.changed();
    if (this.error !== null) return { stderr: `${this.error}\n`, exitCode: EXIT_BAD_INPUT };
    return { stderr: '', exitCode: EXIT_OK };
  }

  protected override fail(lineNumber: number): false {
    return this.changed(lineNumber);
  }

  protected operation(text: string, lineNumber: number): boolean {
    const { reader, engines, designs, answers, costs } = this;
    if (reader.read(text) !== null || this.operations === this.expected) {
      return this.changed(lineNumber);
    }
    const first = reader.result;
    let agree = true;
    for (let e = 0; e < engines.length; e++) {
      const engine = engines[e]!;
      const result = engine === reader.engine ? first : reader.apply(engine);
      answers[e] = result;
      if (result !== first) agree = false;
      if (this.options.costs) costs[e] = `"${designs[e]!}":${costsJson(engine.lastWork())}`;
    }
    if (!agree) {
      const said = designs.map((design, e) => `${design}=${answers[e]!}`);
      const what = `${OP_NAMES[reader.kind]!} of id ${describeValue(reader.id)}`;
      this.disagreement = `replay: line ${lineNumber}: designs disagree on ${what}: ${said.join(' ')}`;
      this.error = this.disagreement;
      return false;
    }
    this.operations++;
    const prefix = `{"id":${reader.idJson()},"op":"${OP_NAMES[reader.kind]!}","result":"${first}"`;
    const line = this.options.costs ? `${prefix},"costs":{${costs.join(',')}}}` : `${prefix}}`;
    this.batch.push(line);
    this.batchSize += line.length + 1;
    if (this.batchSize >= OUTPUT_CHUNK) this.flush();
    return true;
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.ready.push(`${this.batch.join('\n')}\n`);
    this.readySize += this.batchSize;
    if (this.readySize > this.peakPending) this.peakPending = this.readySize;
    this.batch = [];
    this.batchSize = 0;
  }

  private changed(lineNumber?: number): false {
    const where = lineNumber === undefined ? '' : ` (line ${lineNumber})`;
    this.error = `replay: ${this.inputName} changed while replay read it${where}`;
    return false;
  }
}

/** What a streaming replay kept, at most, besides the engines: it must not grow with the input. */
export interface ReplayStats {
  /** Operations read (pass 1). */
  readonly operations: number;
  /** The most ids held at once, and the longest list of free engine keys (either pass). */
  readonly peakHeldIds: number;
  readonly peakFreeKeys: number;
  /** Distinct tasks (numbered by first appearance, kept for the run). */
  readonly tasks: number;
  /** The most output characters gathered and not yet written. */
  readonly peakPendingOutput: number;
  /** Bytes of input spooled to a temporary file (stdin, or a FILE that is not a regular file). */
  readonly spooledBytes: number;
}

function cannotRead(what: string, error: unknown): ReplayEnd {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  return { stderr: `replay: cannot read ${what}: ${code}\n`, exitCode: EXIT_BAD_INPUT };
}

function cannotSpool(error: SpoolError): ReplayEnd {
  return { stderr: `replay: ${error.message}\n`, exitCode: EXIT_BAD_INPUT };
}

/** Runs `sim replay` in memory: `stdin` is the input when FILE is '-'. Tests call this. */
export function runReplay(args: readonly string[], stdin: string): ReplayRun {
  const parsed = parseReplayArgs(args);
  if (parsed.ok === 'help') return { stdout: `${REPLAY_USAGE}\n`, stderr: '', exitCode: EXIT_OK };
  if (!parsed.ok) return { stdout: '', stderr: `${parsed.error}\n`, exitCode: EXIT_BAD_INPUT };
  const { options } = parsed;
  if (options.file === '-') return replayInput(options, stdin);
  // FILE is read in pieces, twice, as the streaming command reads it: the same line limit.
  const name = `'${options.file}'`;
  return twoPasses(options, createSlotEngine, name, (pass) => {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(1 << 16);
    let fd: number;
    try {
      fd = openSync(options.file, 'r');
    } catch (error) {
      return cannotRead(name, error);
    }
    try {
      for (;;) {
        let n: number;
        try {
          n = readSync(fd, buffer);
        } catch (error) {
          return cannotRead(name, error);
        }
        if (n === 0) break;
        if (!pass.push(decoder.write(buffer.subarray(0, n)))) return null;
      }
    } finally {
      closeSync(fd);
    }
    pass.push(decoder.end());
    return null;
  });
}

/** Replays already-read input under parsed options. Tests may pass their own engine factory. */
export function replayInput(
  options: ReplayOptions,
  input: string,
  createEngine: EngineFactory = createSlotEngine,
): ReplayRun {
  return twoPasses(options, createEngine, 'stdin', (pass) => {
    pass.push(input);
    return null;
  });
}

/** Both passes in memory; `read` feeds a pass the whole input (or says it cannot be read). */
function twoPasses(
  options: ReplayOptions,
  createEngine: EngineFactory,
  inputName: string,
  read: (pass: LinePass) => ReplayEnd | null,
): ReplayRun {
  const validation = new ValidationPass(options, createEngine);
  const unread = read(validation);
  if (unread !== null) return { stdout: '', ...unread };
  validation.end();
  if (validation.error !== null) {
    return { stdout: '', stderr: `${validation.error}\n`, exitCode: EXIT_BAD_INPUT };
  }
  const output = new OutputPass(options, createEngine, validation.operations, inputName);
  const chunks: string[] = [];
  const unreadAgain = read(output);
  output.end();
  const end = unreadAgain ?? output.finish();
  chunks.push(...output.take());
  return { stdout: chunks.join(''), ...end };
}

/** What the streaming replay reads and writes through. */
export interface ReplayIo {
  /**
   * Standard input, as chunks; only read when FILE is '-'. A string chunk is taken as its UTF-8
   * bytes (so it should not end in half a surrogate pair).
   */
  stdin(): AsyncIterable<string | Uint8Array>;
  /**
   * Writes output text. May return a promise, which replay awaits before the next write
   * (backpressure: a slow reader slows replay instead of filling memory).
   */
  stdout(text: string): void | Promise<void>;
  stderr(text: string): void;
  /** Where the stdin spool's directory is made; os.tmpdir() when absent. */
  readonly tmpdir?: string;
  /** Called once at the end with what replay kept (tests check it does not grow with input). */
  stats?(stats: ReplayStats): void;
}

/** What identifies a FILE's content cheaply: if any of it changes between the passes, stop. */
function fileStamp(path: string): string {
  const stat = statSync(path, { bigint: true });
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/**
 * Runs `sim replay` as the process does, in two passes (see the top of this file): pass 1 reads
 * FILE or stdin as a stream of pieces, validating (reading stops at the first bad line) and
 * spooling stdin to a temporary file; pass 2 reads FILE or the spool again and writes the output
 * chunk by chunk as it is produced, each write awaited. Returns the exit code.
 */
export async function runReplayStreaming(args: readonly string[], io: ReplayIo): Promise<number> {
  const parsed = parseReplayArgs(args);
  if (parsed.ok === 'help') {
    await io.stdout(`${REPLAY_USAGE}\n`);
    return EXIT_OK;
  }
  if (!parsed.ok) {
    io.stderr(`${parsed.error}\n`);
    return EXIT_BAD_INPUT;
  }
  const { options } = parsed;
  const fromStdin = options.file === '-';
  const inputName = fromStdin ? 'stdin' : `'${options.file}'`;
  const done = (end: ReplayEnd): number => {
    if (end.stderr !== '') io.stderr(end.stderr);
    return end.exitCode;
  };
  let spool: StdinSpool | null = null;
  try {
    // A FILE that cannot be read twice (a pipe, /dev/stdin, <(command)) is spooled like stdin.
    let stamp: string | null = null;
    if (!fromStdin) {
      try {
        if (statSync(options.file).isFile()) stamp = fileStamp(options.file);
      } catch (error) {
        return done(cannotRead(inputName, error));
      }
    }
    if (stamp === null) spool = StdinSpool.create(io.tmpdir);

    // Pass 1: validate (and spool).
    const validation = new ValidationPass(options, createSlotEngine);
    const decoder = new StringDecoder('utf8');
    const source = fromStdin ? io.stdin() : createReadStream(options.file);
    const input = source[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<string | Uint8Array>;
      try {
        next = await input.next();
      } catch (error) {
        return done(cannotRead(inputName, error));
      }
      if (next.done === true) break;
      const piece = next.value;
      const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      try {
        spool?.write(bytes);
      } catch (error) {
        await input.return?.();
        throw error;
      }
      if (!validation.push(decoder.write(bytes))) {
        // The first bad line decides: stop reading (stdin may never end).
        await input.return?.();
        break;
      }
    }
    validation.push(decoder.end());
    validation.end();
    if (validation.error !== null) {
      return done({ stderr: `${validation.error}\n`, exitCode: EXIT_BAD_INPUT });
    }
    spool?.finish();
    // Past this point pass 1 is only these numbers: its engine and ids can be collected.
    const { operations, reader: seen } = validation;
    const validated = { held: seen.peakHeld, free: seen.peakFree, tasks: seen.tasks };

    // Pass 2: the same input again, output as it is produced.
    if (stamp !== null) {
      let again: string;
      try {
        again = fileStamp(options.file);
      } catch (error) {
        return done(cannotRead(inputName, error));
      }
      if (again !== stamp) {
        return done({
          stderr: `replay: ${inputName} changed while replay read it\n`,
          exitCode: EXIT_BAD_INPUT,
        });
      }
    }
    const output = new OutputPass(options, createSlotEngine, operations, inputName);
    const outputDecoder = new StringDecoder('utf8');
    const reread = createReadStream(spool?.path ?? options.file)[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = (await reread.next()) as IteratorResult<Buffer>;
      } catch (error) {
        return done(cannotRead(inputName, error));
      }
      if (next.done === true) break;
      // In slices, so that what waits for the reader stays about one chunk however much
      // output a piece of input makes (--costs: 15 times its size).
      const text = outputDecoder.write(next.value);
      let more = true;
      for (let at = 0; more && at < text.length; at += INPUT_SLICE) {
        more = output.push(text.slice(at, at + INPUT_SLICE));
        for (const chunk of output.take()) await io.stdout(chunk);
      }
      if (!more) {
        await reread.return?.();
        break;
      }
    }
    output.push(outputDecoder.end());
    output.end();
    const end = output.finish();
    for (const text of output.take()) await io.stdout(text);
    io.stats?.({
      operations,
      peakHeldIds: Math.max(validated.held, output.reading.peakHeld),
      peakFreeKeys: Math.max(validated.free, output.reading.peakFree),
      tasks: Math.max(validated.tasks, output.reading.tasks),
      peakPendingOutput: output.peakPending,
      spooledBytes: spool?.size ?? 0,
    });
    return done(end);
  } catch (error) {
    if (error instanceof SpoolError) return done(cannotSpool(error));
    throw error;
  } finally {
    spool?.remove();
  }
}
