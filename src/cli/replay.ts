/**
 * `sim replay`: the engine's scripted interface. Reads JSON Lines operations, validates all of
 * them, runs them through one design or all of them, and prints one JSON line per operation.
 * The contract (input, output, costs, errors, exit codes) is docs/replay.md; keep them in step.
 *
 * runReplay() is pure apart from reading FILE: it returns stdout, stderr and the exit code, so
 * tests call it directly and sim.ts only does the process I/O.
 *
 * Validation and the first design run in one pass: whether a release's id is held depends on
 * whether its reserve succeeded, so the held set follows that engine's decisions. With
 * `--design all` that pass runs `final`; the other designs then run op by op against its
 * results. Nothing reaches stdout unless every line validated. A million operations stay a few
 * typed-array columns; output is joined in batches.
 */
import { readFileSync } from 'node:fs';
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
import { parseLine } from './replay-input.ts';

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
 * The validated operations as columns, one entry per operation in input order. Engine keys are
 * handed out per reservation (an id released and reserved again gets a new key), so a key is
 * never reused and the id-to-key map only holds the ids currently held.
 */
class OperationColumns {
  length = 0;
  readonly kind: Uint8Array;
  readonly key: Int32Array;
  readonly task: Int32Array;
  readonly cpu: Float64Array;
  readonly type: Uint8Array;
  readonly line: Int32Array;
  readonly result: Uint8Array;
  /**
   * Where each operation's id JSON text starts in the input and how long it is; idAt -1 means
   * the text is in idJsonByOp instead (lines that did not take parseLine()'s fast path).
   */
  readonly idAt: Int32Array;
  readonly idLength: Int32Array;
  readonly idJsonByOp = new Map<number, string>();

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.key = new Int32Array(capacity);
    this.task = new Int32Array(capacity);
    this.cpu = new Float64Array(capacity);
    this.type = new Uint8Array(capacity);
    this.line = new Int32Array(capacity);
    this.result = new Uint8Array(capacity);
    this.idAt = new Int32Array(capacity);
    this.idLength = new Int32Array(capacity);
  }

  idJson(input: string, i: number): string {
    const at = this.idAt[i]!;
    return at < 0 ? this.idJsonByOp.get(i)! : input.slice(at, at + this.idLength[i]!);
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

type ValidationResult = { ok: true; ops: OperationColumns } | { ok: false; error: string };

function lineError(lineNumber: number, reason: string): ValidationResult {
  return { ok: false, error: `replay: line ${lineNumber}: ${reason}` };
}

function countLines(input: string): number {
  let lines = 1;
  for (let at = input.indexOf('\n'); at >= 0; at = input.indexOf('\n', at + 1)) lines++;
  return lines;
}

/**
 * Parses and validates every line while running `engine`, whose decisions say which ids are
 * held. Records each result in ops.result, and each operation's costs JSON in `costs` if given.
 */
function validateAndRun(
  input: string,
  engine: InspectableSlotEngine,
  costs: string[] | null,
): ValidationResult {
  const ops = new OperationColumns(countLines(input));
  const heldKeys = new Map<string, number>();
  const taskKeys = new Map<string, number>();
  let nextKey = 0;
  let lineNumber = 0;

  for (let start = 0; start <= input.length;) {
    let end = input.indexOf('\n', start);
    if (end < 0) end = input.length;
    const lineStart = start;
    const text = input.slice(start, end);
    start = end + 1;
    lineNumber++;
    if (text === '' || text.trim() === '') continue;
    const parsed = parseLine(text);
    if (typeof parsed === 'string') return lineError(lineNumber, parsed);
    const { operation, idAt } = parsed;

    const i = ops.length;
    const heldKey = heldKeys.get(operation.id);
    ops.line[i] = lineNumber;
    ops.task[i] = NO_TASK;
    if (idAt >= 0) {
      ops.idAt[i] = lineStart + idAt;
      ops.idLength[i] = operation.id.length + 2;
    } else {
      ops.idAt[i] = -1;
      ops.idJsonByOp.set(i, JSON.stringify(operation.id));
    }
    if (operation.op === 'reserve') {
      if (heldKey !== undefined) {
        const id = JSON.stringify(operation.id);
        return lineError(lineNumber, `reserve of id ${id} that is already held`);
      }
      ops.kind[i] = OP_RESERVE;
      ops.key[i] = nextKey++;
      ops.cpu[i] = operation.cpu;
      ops.type[i] = BP_TYPES.indexOf(operation.type);
      if (operation.task !== null) {
        let task = taskKeys.get(operation.task);
        if (task === undefined) {
          task = taskKeys.size;
          taskKeys.set(operation.task, task);
        }
        ops.task[i] = task;
      }
    } else {
      if (heldKey === undefined) {
        const id = JSON.stringify(operation.id);
        return lineError(lineNumber, `${operation.op} of id ${id} that is not held`);
      }
      ops.key[i] = heldKey;
      ops.kind[i] = operation.op === 'release' ? OP_RELEASE : OP_MODIFY;
      if (operation.op === 'modify') ops.type[i] = BP_TYPES.indexOf(operation.type);
    }
    ops.length++;
    const result = apply(engine, ops, i);
    ops.result[i] = RESULT_CODES[result];
    costs?.push(costsJson(engine.lastWork()));
    if (operation.op === 'reserve' && result === 'ok') heldKeys.set(operation.id, ops.key[i]);
    if (operation.op === 'release') heldKeys.delete(operation.id);
  }
  return { ok: true, ops };
}

/** Output lines, joined every few thousand so a million lines are not a million live strings. */
class OutputBuffer {
  private readonly chunks: string[] = [];
  private batch: string[] = [];

  push(line: string): void {
    this.batch.push(line);
    if (this.batch.length === 4096) this.flush();
  }

  text(): string {
    this.flush();
    return this.chunks.join('');
  }

  private flush(): void {
    if (this.batch.length > 0) this.chunks.push(`${this.batch.join('\n')}\n`);
    this.batch = [];
  }
}

/** Runs `sim replay`; `stdin` is the input when FILE is '-'. */
export function runReplay(args: readonly string[], stdin: string): ReplayRun {
  const parsed = parseReplayArgs(args);
  if (parsed.ok === 'help') return { stdout: `${REPLAY_USAGE}\n`, stderr: '', exitCode: EXIT_OK };
  if (!parsed.ok) return { stdout: '', stderr: `${parsed.error}\n`, exitCode: EXIT_BAD_INPUT };
  const { options } = parsed;
  let input = stdin;
  if (options.file !== '-') {
    try {
      input = readFileSync(options.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      return {
        stdout: '',
        stderr: `replay: cannot read '${options.file}': ${code}\n`,
        exitCode: EXIT_BAD_INPUT,
      };
    }
  }
  return replayInput(options, input);
}

/** Replays already-read input under parsed options. Tests may pass their own engine factory. */
export function replayInput(
  options: ReplayOptions,
  input: string,
  createEngine: EngineFactory = createSlotEngine,
): ReplayRun {
  const designs = options.design === 'all' ? ALL_DESIGNS : [options.design];
  // The design the validation pass runs: `final` for `all` (the cheapest accounting design).
  const first: DesignId = options.design === 'all' ? 'final' : options.design;
  const firstCosts: string[] | null = options.costs ? [] : null;
  const validated = validateAndRun(input, createEngine(first, options.machine), firstCosts);
  if (!validated.ok) {
    return { stdout: '', stderr: `${validated.error}\n`, exitCode: EXIT_BAD_INPUT };
  }
  const { ops } = validated;

  // The other designs, one at a time over every operation (each engine's state stays in cache),
  // each stopping at its first disagreement with the first design; the earliest one is reported.
  const others = designs.filter((design) => design !== first);
  const otherResults: Uint8Array[] = [];
  const otherCosts: (string[] | null)[] = [];
  let disagreeAt = ops.length;
  for (const design of others) {
    const engine = createEngine(design, options.machine);
    const results = new Uint8Array(ops.length);
    const costs: string[] | null = firstCosts === null ? null : [];
    // Past an earlier design's disagreement nothing is printed, so stop there.
    for (let i = 0; i < ops.length && i <= disagreeAt; i++) {
      results[i] = RESULT_CODES[apply(engine, ops, i)];
      costs?.push(costsJson(engine.lastWork()));
      if (results[i] !== ops.result[i]) {
        disagreeAt = Math.min(disagreeAt, i);
        break;
      }
    }
    otherResults.push(results);
    otherCosts.push(costs);
  }

  const out = new OutputBuffer();
  for (let i = 0; i < disagreeAt; i++) {
    const op = OP_NAMES[ops.kind[i]!]!;
    const line = `{"id":${ops.idJson(input, i)},"op":"${op}","result":"${RESULTS[ops.result[i]!]!}"`;
    if (firstCosts === null) {
      out.push(`${line}}`);
    } else {
      const perDesign = designs.map((design) => {
        const e = others.indexOf(design);
        return `"${design}":${e < 0 ? firstCosts[i]! : otherCosts[e]![i]!}`;
      });
      out.push(`${line},"costs":{${perDesign.join(',')}}}`);
    }
  }
  if (disagreeAt < ops.length) {
    const i = disagreeAt;
    const answers = designs.map((design) => {
      const e = others.indexOf(design);
      return `${design}=${RESULTS[e < 0 ? ops.result[i]! : otherResults[e]![i]!]!}`;
    });
    const what = `${OP_NAMES[ops.kind[i]!]!} of id ${ops.idJson(input, i)}`;
    return {
      stdout: out.text(),
      stderr: `replay: line ${ops.line[i]}: designs disagree on ${what}: ${answers.join(' ')}\n`,
      exitCode: EXIT_DISAGREEMENT,
    };
  }
  return { stdout: out.text(), stderr: '', exitCode: EXIT_OK };
}
