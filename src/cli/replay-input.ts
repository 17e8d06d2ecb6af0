/**
 * replay's input lines: JSON Lines text to validated operations.
 *
 * parseLine() takes a fast path for the compact form every generator writes
 * (`{"op":"reserve","id":"b0","task":"T","cpu":-1,"type":"rw"}`, keys in that order, plain
 * strings and integers): a regular expression pulls the fields out without JSON.parse, which is
 * most of the cost of a million-line replay. Any other line goes through JSON.parse. Both feed
 * the same parseOperation(), and the fast path only accepts text JSON.parse reads identically
 * (replay-input.test.ts checks the two agree).
 */
import { BP_TYPES } from '../engine/index.ts';
import type { BpType } from '../engine/index.ts';

/** One validated input operation. */
export type ReplayOperation =
  | {
      readonly op: 'reserve';
      readonly id: string;
      readonly task: string | null;
      readonly cpu: number;
      readonly type: BpType;
    }
  | { readonly op: 'release'; readonly id: string }
  | { readonly op: 'modify'; readonly id: string; readonly type: BpType };

const OPS = ['reserve', 'release', 'modify'] as const;

function isBpType(value: unknown): value is BpType {
  return typeof value === 'string' && (BP_TYPES as readonly string[]).includes(value);
}

function describeValue(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** A field set to null counts as absent (only `task`, `cpu` and `type` are optional). */
function field(record: Record<string, unknown>, name: string): unknown {
  return record[name] ?? undefined;
}

/**
 * Checks one parsed JSON value; returns the operation or the reason it is not one.
 * Unknown fields are ignored, and so are fields an op does not use (a release's `type`).
 */
export function parseOperation(value: unknown): ReplayOperation | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not a JSON object';
  }
  const record = value as Record<string, unknown>;
  const op = record.op;
  if (op === undefined) return 'missing "op"';
  if (!OPS.includes(op as (typeof OPS)[number])) {
    return `unknown op ${describeValue(op)} (${OPS.join('|')})`;
  }
  const id = record.id;
  if (id === undefined) return 'missing "id"';
  if (typeof id !== 'string' || id === '') {
    return `"id" must be a non-empty string, got ${describeValue(id)}`;
  }
  if (op === 'release') return { op: 'release', id };
  const type = field(record, 'type');
  if (type !== undefined && !isBpType(type)) {
    return `unknown type ${describeValue(type)} (${BP_TYPES.join('|')})`;
  }
  switch (op as 'reserve' | 'modify') {
    case 'modify':
      if (type === undefined) return 'missing "type" (modify needs the new type)';
      return { op: 'modify', id, type };
    case 'reserve': {
      const cpu = field(record, 'cpu') ?? -1;
      if (typeof cpu !== 'number' || !Number.isInteger(cpu)) {
        return `"cpu" must be an integer, got ${describeValue(cpu)}`;
      }
      const task = field(record, 'task') ?? null;
      if (
        task !== null &&
        !(typeof task === 'string' && task !== '') &&
        !(typeof task === 'number' && Number.isFinite(task))
      ) {
        return `"task" must be a non-empty string, a number or null, got ${describeValue(task)}`;
      }
      return {
        op: 'reserve',
        id,
        task: task === null ? null : String(task),
        cpu,
        type: type ?? 'rw',
      };
    }
  }
}

/**
 * A JSON string without escapes, control characters or surrogates, so its raw text is its
 * value and JSON.stringify() gives the same text back.
 */
const PLAIN_STRING = '"([^"\\\\\\u0000-\\u001f\\ud800-\\udfff]+)"';
/** A JSON integer (no leading zeros, no fraction or exponent). */
const INTEGER = '(-?(?:0|[1-9][0-9]*))';

const COMPACT_LINE = new RegExp(
  '^\\{"op":"(reserve|release|modify)","id":' +
    PLAIN_STRING +
    `(?:,"task":(?:${PLAIN_STRING}|${INTEGER}|null))?` +
    `(?:,"cpu":(?:${INTEGER}|null))?` +
    '(?:,"type":"(rw|r|w|x)")?\\}$',
);

/** What parseLine() returns for a line that holds an operation. */
export interface ParsedLine {
  readonly operation: ReplayOperation;
  /**
   * Where the id's JSON text (quotes included) starts in the line, when that text is exactly
   * what the output prints; -1 otherwise (then print JSON.stringify(operation.id)).
   */
  readonly idAt: number;
}

/**
 * Parses one non-blank line: the operation, or the reason the line is not one (without the
 * `replay: line N:` prefix).
 */
export function parseLine(text: string): ParsedLine | string {
  const match = COMPACT_LINE.exec(text);
  if (match !== null) {
    const [, op = '', id, taskString, taskNumber, cpu, type] = match;
    const operation = parseOperation({
      op,
      id,
      task: taskString ?? (taskNumber === undefined ? undefined : Number(taskNumber)),
      cpu: cpu === undefined ? undefined : Number(cpu),
      type,
    });
    // `{"op":"` + op + `","id":` and then the id's JSON text.
    return typeof operation === 'string' ? operation : { operation, idAt: 14 + op.length };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  const operation = parseOperation(value);
  return typeof operation === 'string' ? operation : { operation, idAt: -1 };
}
