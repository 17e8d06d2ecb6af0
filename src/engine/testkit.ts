/**
 * Test helpers: run a literal scenario script against engines and render what they answered.
 *
 * A script is one operation a line, `#` starts a comment:
 *
 *     reserve b0 task=T cpu=-1 rw -> ok     # task-bound on every CPU
 *     reserve c0 cpu=0 x -> ok              # no task: CPU-bound
 *     modify b0 x -> ok
 *     release b0 -> ok
 *
 * `task=` absent means CPU-bound, `cpu=` defaults to -1, the type to rw. runScript() returns the
 * script as each design saw it, with its own results after `->`, so a test compares text and a
 * failure shows a readable diff. Used by the tests only; pure, like the rest of the engine.
 */
import { createSlotEngine } from './designs.ts';
import { BP_TYPES } from './types.ts';
import type {
  BpType,
  BreakpointSpec,
  DesignId,
  InspectableSlotEngine,
  MachineConfig,
  OpOutcome,
} from './types.ts';

export type ScriptOp =
  | { readonly op: 'reserve'; readonly id: string; readonly spec: BreakpointSpec }
  | { readonly op: 'release'; readonly id: string }
  | { readonly op: 'modify'; readonly id: string; readonly type: BpType };

export interface ScriptLine {
  readonly text: string;
  readonly op: ScriptOp;
  readonly expected: string;
}

function isBpType(word: string): word is BpType {
  return (BP_TYPES as readonly string[]).includes(word);
}

/** Parses a script; task names become keys in order of first use. Throws on a malformed line. */
export function parseScript(script: string): ScriptLine[] {
  const taskKeys = new Map<string, number>();
  const lines: ScriptLine[] = [];
  for (const raw of script.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const match = /^(\S+)\s+(\S+)((?:\s+\S+)*?)\s*->\s*(\S+)$/.exec(line);
    if (match === null) throw new Error(`bad script line: ${raw}`);
    const [, op = '', id = '', rest = '', expected = ''] = match;
    const words = rest.trim() === '' ? [] : rest.trim().split(/\s+/);
    const text = [op, id, ...words].join(' ');
    if (op === 'release' && words.length === 0) {
      lines.push({ text, op: { op, id }, expected });
    } else if (op === 'modify' && words.length === 1 && isBpType(words[0]!)) {
      lines.push({ text, op: { op, id, type: words[0] }, expected });
    } else if (op === 'reserve') {
      let task: number | null = null;
      let cpu = -1;
      let type: BpType = 'rw';
      for (const word of words) {
        if (word.startsWith('task=')) {
          const name = word.slice(5);
          if (!taskKeys.has(name)) taskKeys.set(name, taskKeys.size);
          task = taskKeys.get(name)!;
        } else if (word.startsWith('cpu=')) {
          cpu = Number(word.slice(4));
        } else if (isBpType(word)) {
          type = word;
        } else {
          throw new Error(`bad script word '${word}' in: ${raw}`);
        }
      }
      lines.push({ text, op: { op, id, spec: { task, cpu, type } }, expected });
    } else {
      throw new Error(`bad script line: ${raw}`);
    }
  }
  return lines;
}

/** Applies one script operation; ids map to keys through `keys`. */
export function applyOp(
  engine: InspectableSlotEngine,
  keys: Map<string, number>,
  op: ScriptOp,
): OpOutcome {
  if (!keys.has(op.id)) keys.set(op.id, keys.size);
  const key = keys.get(op.id)!;
  switch (op.op) {
    case 'reserve':
      return engine.reserve(key, op.spec);
    case 'release':
      return engine.release(key);
    case 'modify':
      return engine.modify(key, op.type);
  }
}

/** Runs the script on a fresh engine of each design; returns the script with each one's results. */
export function runScript(
  machine: MachineConfig,
  script: string,
  designs: readonly DesignId[],
): Record<string, string> {
  const lines = parseScript(script);
  const rendered: Record<string, string> = {};
  for (const design of designs) {
    const engine = createSlotEngine(design, machine);
    const keys = new Map<string, number>();
    rendered[design] = lines
      .map((line) => `${line.text} -> ${applyOp(engine, keys, line.op).result}`)
      .join('\n');
  }
  return rendered;
}

/** The script with its expected results, normalised the way runScript() renders it. */
export function expectedScript(script: string): string {
  return parseScript(script)
    .map((line) => `${line.text} -> ${line.expected}`)
    .join('\n');
}
