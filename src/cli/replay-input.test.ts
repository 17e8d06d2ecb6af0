/**
 * parseLine()'s fast path must read every line exactly as JSON.parse + parseOperation would.
 * Lines are generated in the compact form the fast path looks for, with awkward values mixed in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLine, parseOperation } from './replay-input.ts';

const awkwardString = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('a"b', 'back\\slash', 'tab\there', '\u2028', '😀', 'é', ''),
);
const awkwardNumber = fc.oneof(
  fc.integer({ min: -5, max: 300 }),
  fc.constantFrom(-0, 1.5, 1e21, -1e-7, 2 ** 53 + 2),
);
const fieldValue = fc.oneof(awkwardString, awkwardNumber, fc.constant(null), fc.boolean());

/** A record in the compact key order, each key present or not. */
const compactRecord = fc.record(
  {
    op: fc.oneof(fc.constantFrom('reserve', 'release', 'modify'), fieldValue),
    id: fc.oneof(awkwardString, fieldValue),
    task: fieldValue,
    cpu: fc.oneof(fc.integer({ min: -3, max: 5000 }), fieldValue),
    type: fc.oneof(fc.constantFrom('rw', 'r', 'w', 'x'), fieldValue),
  },
  { requiredKeys: [] },
);

function viaJson(text: string): unknown {
  const operation = parseOperation(JSON.parse(text));
  return typeof operation === 'string'
    ? operation
    : { operation, idJson: JSON.stringify(operation.id) };
}

function viaParseLine(text: string): unknown {
  const parsed = parseLine(text);
  if (typeof parsed === 'string') return parsed;
  const { operation, idAt } = parsed;
  const idJson =
    idAt < 0 ? JSON.stringify(operation.id) : text.slice(idAt, idAt + operation.id.length + 2);
  return { operation, idJson };
}

describe('parseLine', () => {
  it('agrees with JSON.parse + parseOperation on compact lines', () => {
    fc.assert(
      fc.property(compactRecord, (record) => {
        const text = JSON.stringify(record);
        expect(viaParseLine(text)).toEqual(viaJson(text));
      }),
      { numRuns: 3000, seed: 3 },
    );
  });

  it('takes the fast path for the common form and points at the id text', () => {
    const text = '{"op":"modify","id":"bp-7","type":"x"}';
    const parsed = parseLine(text);
    expect(parsed).toEqual({ operation: { op: 'modify', id: 'bp-7', type: 'x' }, idAt: 20 });
    expect(text.slice(20, 26)).toBe('"bp-7"');
  });

  it('reads other layouts through JSON.parse', () => {
    expect(parseLine(' { "id" : "a\\u0041", "op" : "release" } ')).toEqual({
      operation: { op: 'release', id: 'aA' },
      idAt: -1,
    });
    expect(parseLine('{"op":"reserve","id":"a","cpu":01}')).toBe('not valid JSON');
  });

  it('never takes the fast path for text JSON.parse reads differently', () => {
    for (const text of [
      '{"op":"release","id":"a\tb"}', // a raw control character: not JSON
      '{"op":"release","id":"\ud800"}', // a lone surrogate: JSON.stringify escapes it
      '{"op":"reserve","id":"a","cpu":-0}',
      '{"op":"reserve","id":"a","task":-0}',
    ]) {
      let expected: unknown;
      try {
        expected = viaJson(text);
      } catch {
        expected = 'not valid JSON';
      }
      expect(viaParseLine(text), text).toEqual(expected);
    }
  });
});
