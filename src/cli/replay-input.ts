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

/** A number's shortest text, for when the caller has no literal (`1e+21`; `Infinity`, which no
 * JSON literal is, so it is out of range). */
function numberText(value: number): string {
  return String(value);
}

function isBpType(value: unknown): value is BpType {
  return typeof value === 'string' && (BP_TYPES as readonly string[]).includes(value);
}

/** How much of a bad value a message quotes. */
export const QUOTE_LENGTH = 40;

/**
 * A value for a one-line message, as JSON: whole when short, else cut to QUOTE_LENGTH
 * characters with its length (`"xxxx…" (10,485,760 characters)` for a string, counting the
 * string's characters; `[[[[…] (10,000 characters)` for other values, counting JSON text).
 * Works without recursion, so a value nested 100,000 deep costs no stack, and builds no more
 * text than the quote.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= QUOTE_LENGTH) return JSON.stringify(value);
    const quoted = JSON.stringify(value.slice(0, cutAt(value)));
    return `${quoted.slice(0, -1)}…" (${value.length.toLocaleString('en-US')} characters)`;
  }
  let text = '';
  let length = 0;
  const emit = (part: string): void => {
    if (text.length <= QUOTE_LENGTH) text += part.slice(0, QUOTE_LENGTH + 1 - text.length);
    length += part.length;
  };
  // Work items, last first: a value to write, or literal text (boxed, so it is not a value).
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Literal) {
      emit(item.text);
    } else if (Array.isArray(item)) {
      emit('[');
      stack.push(CLOSE_ARRAY);
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]);
        if (i > 0) stack.push(COMMA);
      }
    } else if (typeof item === 'object' && item !== null) {
      emit('{');
      stack.push(CLOSE_OBJECT);
      const keys = Object.keys(item);
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push((item as Record<string, unknown>)[keys[i]!]);
        stack.push(new Literal(`${JSON.stringify(keys[i])}:`));
        if (i > 0) stack.push(COMMA);
      }
    } else if (typeof item === 'number') {
      emit(Number.isFinite(item) ? JSON.stringify(item) : String(item));
    } else {
      emit(JSON.stringify(item) ?? String(item));
    }
  }
  return describeText(text, length);
}

/**
 * Text as written (a number literal), cut as describeValue() cuts. `start` may be just the
 * beginning of it when `length` gives the whole length.
 */
export function describeText(start: string, length = start.length): string {
  if (length <= QUOTE_LENGTH) return start;
  return `${start.slice(0, cutAt(start))}… (${length.toLocaleString('en-US')} characters)`;
}

/** QUOTE_LENGTH, or one less so as not to split a surrogate pair. */
function cutAt(text: string): number {
  const last = text.charCodeAt(QUOTE_LENGTH - 1);
  return last >= 0xd800 && last <= 0xdbff ? QUOTE_LENGTH - 1 : QUOTE_LENGTH;
}

class Literal {
  constructor(readonly text: string) {}
}
const COMMA = new Literal(',');
const CLOSE_ARRAY = new Literal(']');
const CLOSE_OBJECT = new Literal('}');

/** A JSON number's text: sign, integer part, fraction, exponent. */
const NUMBER_PARTS = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;

/**
 * The exact value of a JSON number literal as a plain decimal (`1e21` → `1000000000000000000000`,
 * `5.0` → `5`, `-0` → `0`, `12345678901234567890123` keeps every digit), or null when the literal
 * is beyond what a double holds (it reads as ±Infinity, or as 0 although it is not 0). The
 * result is at most a few hundred characters longer than the literal.
 */
export function exactDecimal(literal: string): string | null {
  const parts = NUMBER_PARTS.exec(literal);
  if (parts === null) return null;
  const [, sign, whole = '', fraction = '', exponent = '0'] = parts;
  const value = Number(literal);
  let digits = whole + fraction;
  const firstNonZero = digits.search(/[1-9]/);
  if (firstNonZero < 0) return '0';
  if (!Number.isFinite(value) || value === 0) return null;
  // The value is 0.digits × 10^point once leading zeros are gone; a finite double bounds point.
  const point = whole.length + Number(exponent) - firstNonZero;
  digits = digits.slice(firstNonZero).replace(/0+$/, '');
  let text: string;
  if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + text;
}

/** A JSON number token, matched at a position (sticky). */
const NUMBER_TOKEN = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * The literal text of a top-level member's number value in a JSON object text that JSON.parse
 * accepted (the last one when the key repeats, as JSON.parse keeps), or undefined. One linear
 * pass without recursion: JSON.parse has already turned the digits into a double, which loses
 * `1e400` and the 17th digit of `12345678901234567890`.
 */
export function numberLiteral(text: string, name: string): string | undefined {
  let depth = 0;
  let expectKey = false;
  let found: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      if (depth !== 1 || !expectKey) continue;
      expectKey = false;
      if (JSON.parse(text.slice(start, i + 1)) !== name) continue;
      let at = i + 1;
      while (/[\s:]/.test(text.charAt(at))) at++;
      NUMBER_TOKEN.lastIndex = at;
      found = NUMBER_TOKEN.exec(text)?.[0];
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      expectKey = depth === 1;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2c && depth === 1) {
      expectKey = true;
    }
  }
  return found;
}

/** The literal text of a field's number value, when the caller has the line's text. */
export type NumberLiterals = (name: 'task' | 'cpu') => string | undefined;

/** A field set to null counts as absent (only `task`, `cpu` and `type` are optional). */
function field(record: Record<string, unknown>, name: string): unknown {
  return record[name] ?? undefined;
}

/**
 * Checks one parsed JSON value; returns the operation or the reason it is not one.
 * Unknown fields are ignored, and so are fields an op does not use (a release's `type`).
 */
export function parseOperation(
  value: unknown,
  literals?: NumberLiterals,
): ReplayOperation | string {
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
      if (typeof cpu !== 'number') {
        return `"cpu" must be an integer, got ${describeValue(cpu)}`;
      }
      // The literal decides: `1e400` is out of range, `1e-400` and `1.0000000000000000001` are
      // not integers although JSON.parse reads them as 0 and 1.
      const cpuLiteral = literals?.('cpu') ?? numberText(cpu);
      const cpuExact = exactDecimal(cpuLiteral);
      // null: beyond a double, too large (Infinity) or too small to be anything but a fraction.
      if (cpuExact === null && !Number.isFinite(cpu)) {
        return `"cpu" is out of range, got ${describeText(cpuLiteral)}`;
      }
      if (cpuExact === null || cpuExact.includes('.')) {
        return `"cpu" must be an integer, got ${describeText(cpuLiteral)}`;
      }
      const task = field(record, 'task') ?? null;
      let taskName: string | null = null;
      if (typeof task === 'number') {
        // A number is the task named by its exact decimal: 5, 5.0 and "5" are one task.
        const taskLiteral = literals?.('task') ?? numberText(task);
        taskName = exactDecimal(taskLiteral);
        if (taskName === null) return `"task" is out of range, got ${describeText(taskLiteral)}`;
      } else if (typeof task === 'string' && task !== '') {
        taskName = task;
      } else if (task !== null) {
        return `"task" must be a non-empty string, a number or null, got ${describeValue(task)}`;
      }
      return { op: 'reserve', id, task: taskName, cpu, type: type ?? 'rw' };
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
    const operation = parseOperation(
      {
        op,
        id,
        task: taskString ?? (taskNumber === undefined ? undefined : Number(taskNumber)),
        cpu: cpu === undefined ? undefined : Number(cpu),
        type,
      },
      (name) => (name === 'task' ? taskNumber : cpu),
    );
    // `{"op":"` + op + `","id":` and then the id's JSON text.
    return typeof operation === 'string' ? operation : { operation, idAt: 14 + op.length };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  const operation = parseOperation(value, (name) => numberLiteral(text, name));
  return typeof operation === 'string' ? operation : { operation, idAt: -1 };
}
