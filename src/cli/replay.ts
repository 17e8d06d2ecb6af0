/**
 * `sim replay`: the engine's scripted interface. Reads JSON Lines operations, validates all of
 * them, runs them through one design or all of them, and prints one JSON line per operation.
 * The contract (input, output, costs, errors, exit codes) is docs/replay.md; keep them in step.
 *
 * The core is the Replay class: input pushed in pieces, output pulled in chunks. Two drivers:
 * runReplayStreaming() (the process: FILE or stdin read as a stream, each chunk written and
 * awaited, so a slow or closed reader holds replay back instead of memory filling up) and
 * runReplay() (tests: input and output as strings, FILE read in pieces all the same).
 *
 * Validation and the first design run in one pass: whether a release's id is held depends on
 * whether its reserve succeeded, so the held set follows that engine's decisions. With
 * `--design all` that pass runs `final`; the other designs then run op by op against its
 * results. Nothing reaches stdout unless every line validated, so the operations are kept, as
 * a few typed-array columns and the ids' UTF-8 bytes (about 40 bytes an operation); the input
 * text and the output text never are. `--costs` reruns every design beside the output instead
 * of keeping each operation's costs.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { BP_TYPES, createSlotEngine, totalWork } from '../engine/index.ts';
import type {
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
const RESULTS: readonly OpResult[] = ['ok', 'ENOSPC', 'EINVAL'];
const RESULT_CODES: Record<OpResult, number> = { ok: 0, ENOSPC: 1, EINVAL: 2 };
const NO_TASK = -1;

/**
 * The validated operations as columns, one entry per operation in input order, grown by
 * doubling. `ref` numbers the reservation an operation is about (one per reserve, never reused:
 * it finds the id's text). `key` is the engine key, which is recycled once the first design has
 * freed it (a failed reserve, a release), so the engines' per-key tables stay the size of what
 * is held at once rather than of every reservation ever made. Reuse is safe for every design:
 * a design that disagrees about whether the key was freed stops at that very operation.
 */
class OperationColumns {
  length = 0;
  kind = new Uint8Array(1024);
  key = new Int32Array(1024);
  ref = new Int32Array(1024);
  task = new Int32Array(1024);
  cpu = new Float64Array(1024);
  type = new Uint8Array(1024);
  line = new Int32Array(1024);
  result = new Uint8Array(1024);

  /** Makes room for one more operation. */
  reserveRow(): number {
    if (this.length === this.kind.length) {
      const size = this.length * 2;
      this.kind = grown(this.kind, new Uint8Array(size));
      this.key = grown(this.key, new Int32Array(size));
      this.ref = grown(this.ref, new Int32Array(size));
      this.task = grown(this.task, new Int32Array(size));
      this.cpu = grown(this.cpu, new Float64Array(size));
      this.type = grown(this.type, new Uint8Array(size));
      this.line = grown(this.line, new Int32Array(size));
      this.result = grown(this.result, new Uint8Array(size));
    }
    return this.length;
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Each reservation's id as the JSON text the output prints, packed as UTF-8 in one buffer: a
 * million ids cost their bytes and 12 bytes each, and keep no input text alive.
 */
class IdTexts {
  count = 0;
  private bytes = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private at = new Float64Array(1024);
  private size = new Int32Array(1024);

  /** Stores the id JSON text of the next reservation (refs are 0, 1, 2, … in order). */
  add(json: string): void {
    const ref = this.count++;
    if (ref === this.at.length) {
      this.at = grown(this.at, new Float64Array(ref * 2));
      this.size = grown(this.size, new Int32Array(ref * 2));
    }
    const most = json.length * 3;
    if (this.used + most > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + most));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    const written = this.bytes.write(json, this.used, 'utf8');
    this.at[ref] = this.used;
    this.size[ref] = written;
    this.used += written;
  }

  get(ref: number): string {
    const at = this.at[ref]!;
    return this.bytes.toString('utf8', at, at + this.size[ref]!);
  }
}

/** Applies operation `i` to an engine; its work is then in engine.lastWork(). */
function apply(engine: InspectableSlotEngine, ops: OperationColumns, i: number): OpResult {
  const key = ops.key[i]!;
  switch (ops.kind[i]) {
    case OP_RESERVE: {
      const task = ops.task[i]!;
      const type = BP_TYPES[ops.type[i]!]!;
      return engine.reserveInPlace(key, task === NO_TASK ? null : task, ops.cpu[i]!, type);
    }
    case OP_RELEASE:
      return engine.releaseInPlace(key);
    default:
      return engine.modifyInPlace(key, BP_TYPES[ops.type[i]!]!);
  }
}

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

/** What a replay ends with once its output is written. */
export interface ReplayEnd {
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * One replay: input is pushed in pieces of any size (split anywhere), validated line by line
 * while the first design runs; then output() yields the output in chunks of about
 * OUTPUT_CHUNK characters. Memory is the operation columns (a few dozen bytes an operation,
 * kept because nothing is printed before the whole input validated), never the input text or
 * the output text.
 */
export class Replay {
  private readonly ops = new OperationColumns();
  private readonly ids = new IdTexts();
  /** The held ids, each to its reservation (`ref`). */
  private readonly heldRefs = new Map<string, number>();
  /** Each reservation's engine key, by ref. */
  private keyOfRef = new Int32Array(1024);
  /** Engine keys the first design has freed, for the next reserves. */
  private readonly freeKeys: number[] = [];
  private nextKey = 0;
  private readonly taskKeys = new Map<string, number>();
  private readonly engine: InspectableSlotEngine;
  private readonly first: DesignId;
  private lineNumber = 0;
  private carry = '';
  private atStart = true;
  private ended = false;
  /** The first input error, `replay: line N: …`; once set, the rest of the input is ignored. */
  private error: string | null = null;

  constructor(
    private readonly options: ReplayOptions,
    private readonly createEngine: EngineFactory = createSlotEngine,
  ) {
    // The design the validation pass runs: `final` for `all` (the cheapest accounting design).
    this.first = options.design === 'all' ? 'final' : options.design;
    this.engine = createEngine(this.first, options.machine);
  }

  /** True once an input error was found: the caller may stop reading. */
  get failed(): boolean {
    return this.error !== null;
  }

  /** Takes the next piece of input text; returns false once there is an error. */
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

  private tooLong(lineNumber: number): false {
    const most = MAX_LINE_LENGTH.toLocaleString('en-US');
    return this.fail(lineNumber, `longer than ${most} characters (the longest line replay reads)`);
  }

  private fail(lineNumber: number, reason: string): false {
    this.error = `replay: line ${lineNumber}: ${reason}`;
    return false;
  }

  /** Validates one physical line and runs it through the first design. */
  private line(text: string): boolean {
    const lineNumber = ++this.lineNumber;
    if (text.length > MAX_LINE_LENGTH) return this.tooLong(lineNumber);
    if (text === '' || text.trim() === '') return true;
    const parsed = parseLine(text);
    if (typeof parsed === 'string') return this.fail(lineNumber, parsed);
    const { operation, idAt } = parsed;
    const { ops, ids } = this;

    const i = ops.reserveRow();
    const heldRef = this.heldRefs.get(operation.id);
    ops.line[i] = lineNumber;
    ops.task[i] = NO_TASK;
    if (operation.op === 'reserve') {
      if (heldRef !== undefined) {
        const id = describeValue(operation.id);
        return this.fail(lineNumber, `reserve of id ${id} that is already held`);
      }
      ops.kind[i] = OP_RESERVE;
      const ref = ids.count;
      if (ref === this.keyOfRef.length) {
        this.keyOfRef = grown(this.keyOfRef, new Int32Array(ref * 2));
      }
      ops.ref[i] = ref;
      ops.key[i] = this.keyOfRef[ref] = this.freeKeys.pop() ?? this.nextKey++;
      ids.add(
        idAt >= 0 ? text.slice(idAt, idAt + operation.id.length + 2) : JSON.stringify(operation.id),
      );
      ops.cpu[i] = operation.cpu;
      ops.type[i] = BP_TYPES.indexOf(operation.type);
      if (operation.task !== null) {
        let task = this.taskKeys.get(operation.task);
        if (task === undefined) {
          task = this.taskKeys.size;
          this.taskKeys.set(operation.task, task);
        }
        ops.task[i] = task;
      }
    } else {
      if (heldRef === undefined) {
        const id = describeValue(operation.id);
        return this.fail(lineNumber, `${operation.op} of id ${id} that is not held`);
      }
      ops.ref[i] = heldRef;
      ops.key[i] = this.keyOfRef[heldRef]!;
      ops.kind[i] = operation.op === 'release' ? OP_RELEASE : OP_MODIFY;
      if (operation.op === 'modify') ops.type[i] = BP_TYPES.indexOf(operation.type);
    }
    ops.length++;
    const result = apply(this.engine, ops, i);
    ops.result[i] = RESULT_CODES[result];
    if (operation.op === 'reserve') {
      if (result === 'ok') this.heldRefs.set(operation.id, ops.ref[i]);
      else this.freeKeys.push(ops.key[i]);
    } else if (operation.op === 'release') {
      this.heldRefs.delete(operation.id);
      this.freeKeys.push(ops.key[i]);
    }
    return true;
  }

  /**
   * The output, in chunks; returns the stderr text and the exit code. Call after end(). With
   * --costs every design runs again beside the output, so no operation's costs are kept.
   */
  *output(): Generator<string, ReplayEnd, void> {
    this.end();
    if (this.error !== null) return { stderr: `${this.error}\n`, exitCode: EXIT_BAD_INPUT };
    const { ops, ids, options, first } = this;
    const designs = options.design === 'all' ? ALL_DESIGNS : [options.design];
    const others = designs.filter((design) => design !== first);
    const answers = new Map<DesignId, number>([[first, 0]]);
    let batch: string[] = [];
    let batchSize = 0;
    const prefix = (i: number): string =>
      `{"id":${ids.get(ops.ref[i]!)},"op":"${OP_NAMES[ops.kind[i]!]!}",` +
      `"result":"${RESULTS[ops.result[i]!]!}"`;
    let disagreeAt = ops.length;

    if (!options.costs) {
      // The other designs, one at a time over every operation (each engine's state stays in
      // cache), each stopping at its first disagreement with the first design.
      const otherResults: Uint8Array[] = [];
      for (const design of others) {
        const engine = this.createEngine(design, options.machine);
        const results = new Uint8Array(ops.length);
        // Past an earlier design's disagreement nothing is printed, so stop there.
        for (let i = 0; i < ops.length && i <= disagreeAt; i++) {
          results[i] = RESULT_CODES[apply(engine, ops, i)];
          if (results[i] !== ops.result[i]) {
            disagreeAt = Math.min(disagreeAt, i);
            break;
          }
        }
        otherResults.push(results);
      }
      for (let i = 0; i < disagreeAt; i++) {
        const line = `${prefix(i)}}`;
        batch.push(line);
        batchSize += line.length + 1;
        if (batchSize >= OUTPUT_CHUNK) {
          yield `${batch.join('\n')}\n`;
          batch = [];
          batchSize = 0;
        }
      }
      if (disagreeAt < ops.length) {
        others.forEach((design, e) => answers.set(design, otherResults[e]![disagreeAt]!));
      }
    } else {
      // Every design, the first one again, side by side: op i's costs are printed as they come.
      const engines = designs.map((design) => this.createEngine(design, options.machine));
      const costs: string[] = [];
      for (let i = 0; i < ops.length; i++) {
        let agree = true;
        for (let e = 0; e < engines.length; e++) {
          const result = RESULT_CODES[apply(engines[e]!, ops, i)];
          costs[e] = `"${designs[e]!}":${costsJson(engines[e]!.lastWork())}`;
          if (designs[e] !== first) answers.set(designs[e]!, result);
          if (designs[e] !== first && result !== ops.result[i]) agree = false;
        }
        if (!agree) {
          disagreeAt = i;
          break;
        }
        const line = `${prefix(i)},"costs":{${costs.join(',')}}}`;
        batch.push(line);
        batchSize += line.length + 1;
        if (batchSize >= OUTPUT_CHUNK) {
          yield `${batch.join('\n')}\n`;
          batch = [];
          batchSize = 0;
        }
      }
    }
    if (batch.length > 0) yield `${batch.join('\n')}\n`;
    if (disagreeAt === ops.length) return { stderr: '', exitCode: EXIT_OK };

    const i = disagreeAt;
    answers.set(first, ops.result[i]!);
    const said = designs.map((design) => `${design}=${RESULTS[answers.get(design)!]!}`);
    const what = `${OP_NAMES[ops.kind[i]!]!} of id ${describeValue(JSON.parse(ids.get(ops.ref[i]!)))}`;
    return {
      stderr: `replay: line ${ops.line[i]}: designs disagree on ${what}: ${said.join(' ')}\n`,
      exitCode: EXIT_DISAGREEMENT,
    };
  }
}

function cannotRead(what: string, error: unknown): ReplayEnd {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  return { stderr: `replay: cannot read ${what}: ${code}\n`, exitCode: EXIT_BAD_INPUT };
}

/** Runs `sim replay` in memory: `stdin` is the input when FILE is '-'. Tests call this. */
export function runReplay(args: readonly string[], stdin: string): ReplayRun {
  const parsed = parseReplayArgs(args);
  if (parsed.ok === 'help') return { stdout: `${REPLAY_USAGE}\n`, stderr: '', exitCode: EXIT_OK };
  if (!parsed.ok) return { stdout: '', stderr: `${parsed.error}\n`, exitCode: EXIT_BAD_INPUT };
  const { options } = parsed;
  if (options.file === '-') return replayInput(options, stdin);
  // FILE is read in pieces, as the streaming command reads it: the same line limit applies.
  const replay = new Replay(options);
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(1 << 16);
  let fd: number;
  try {
    fd = openSync(options.file, 'r');
  } catch (error) {
    return { stdout: '', ...cannotRead(`'${options.file}'`, error) };
  }
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer);
      } catch (error) {
        return { stdout: '', ...cannotRead(`'${options.file}'`, error) };
      }
      if (n === 0 || !replay.push(decoder.write(buffer.subarray(0, n)))) break;
    }
  } finally {
    closeSync(fd);
  }
  replay.push(decoder.end());
  return collect(replay.output());
}

/** Replays already-read input under parsed options. Tests may pass their own engine factory. */
export function replayInput(
  options: ReplayOptions,
  input: string,
  createEngine: EngineFactory = createSlotEngine,
): ReplayRun {
  const replay = new Replay(options, createEngine);
  replay.push(input);
  return collect(replay.output());
}

function collect(output: Generator<string, ReplayEnd, void>): ReplayRun {
  const chunks: string[] = [];
  for (;;) {
    const next = output.next();
    if (next.done === true) return { stdout: chunks.join(''), ...next.value };
    chunks.push(next.value);
  }
}

/** What the streaming replay reads and writes through. */
export interface ReplayIo {
  /** Standard input, as chunks; only read when FILE is '-'. */
  stdin(): AsyncIterable<string | Uint8Array>;
  /**
   * Writes output text. May return a promise, which replay awaits before the next write
   * (backpressure: a slow reader slows replay instead of filling memory).
   */
  stdout(text: string): void | Promise<void>;
  stderr(text: string): void;
}

/**
 * Runs `sim replay` as the process does: FILE or stdin read as a stream of pieces (reading stops
 * at the first bad line), output written chunk by chunk as it is produced. Returns the exit code.
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
  const replay = new Replay(options);
  const stdin = options.file === '-';
  const decoder = new StringDecoder('utf8');
  const input = (stdin ? io.stdin() : createReadStream(options.file))[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<string | Uint8Array>;
    try {
      next = await input.next();
    } catch (error) {
      const end = cannotRead(stdin ? 'stdin' : `'${options.file}'`, error);
      io.stderr(end.stderr);
      return end.exitCode;
    }
    if (next.done === true) break;
    const piece = next.value;
    if (!replay.push(typeof piece === 'string' ? piece : decoder.write(piece))) {
      // The first bad line decides: stop reading (stdin may never end).
      await input.return?.();
      break;
    }
  }
  replay.push(decoder.end());
  const output = replay.output();
  for (;;) {
    const next = output.next();
    if (next.done === true) {
      if (next.value.stderr !== '') io.stderr(next.value.stderr);
      return next.value.exitCode;
    }
    await io.stdout(next.value);
  }
}
