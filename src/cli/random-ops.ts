/**
 * Seeded random replay input: valid JSON Lines operations over many tasks, for the replay bench
 * and the CLI tests. The generator runs the `final` engine itself so that it only releases and
 * modifies ids that are held (a reserve may fail, and a failed reserve creates no id).
 */
import { createSlotEngine, machineConfig } from '../engine/index.ts';
import type { BpType, PoolMode } from '../engine/index.ts';
import { createPrng } from '../sim/prng.ts';

export interface RandomReplayOptions {
  readonly ops: number;
  readonly cpus: number;
  readonly tasks: number;
  readonly seed: number;
  readonly slots?: number;
  readonly pools?: PoolMode;
}

const TYPES: readonly BpType[] = ['rw', 'rw', 'rw', 'rw', 'rw', 'rw', 'r', 'w', 'x', 'x'];

/**
 * The mix: about half reserves while fewer than 2 breakpoints per task are held, else fewer;
 * reserves are mostly task breakpoints on every CPU (perf bench's kind), some pinned to one
 * CPU, a few CPU-bound and a few invalid (EINVAL); modifies are one op in ten.
 */
export function randomReplayInput(options: RandomReplayOptions): string {
  const { ops, cpus, tasks, seed } = options;
  const machine = machineConfig({ cpus, slots: options.slots, pools: options.pools });
  const engine = createSlotEngine('final', machine);
  const prng = createPrng(seed);
  const heldIds: string[] = [];
  const heldKeys: number[] = [];
  const target = 2 * tasks;
  const lines: string[] = [];
  let nextKey = 0;

  for (let i = 0; i < ops; i++) {
    const r = prng.next();
    const reserveShare = heldIds.length < target ? 0.55 : 0.4;
    if (heldIds.length === 0 || r < reserveShare) {
      const key = nextKey++;
      const id = `b${key}`;
      const kind = prng.next();
      const type = TYPES[prng.int(TYPES.length)]!;
      let task: number | null = prng.int(tasks);
      let cpu = -1;
      if (kind < 0.12) cpu = prng.int(cpus);
      else if (kind < 0.13) task = null;
      if (task === null) cpu = prng.int(cpus);
      if (kind >= 0.995) cpu = task === null ? -1 : cpus; // EINVAL
      const line =
        task === null
          ? { op: 'reserve', id, cpu, type }
          : { op: 'reserve', id, task: `t${task}`, cpu, type };
      lines.push(JSON.stringify(line));
      const taskKey = task === null ? null : task;
      if (engine.reserve(key, { task: taskKey, cpu, type }).result === 'ok') {
        heldIds.push(id);
        heldKeys.push(key);
      }
    } else if (r < 0.9) {
      // release a random held id (swap-remove keeps this O(1))
      const index = prng.int(heldIds.length);
      const last = heldIds.length - 1;
      lines.push(JSON.stringify({ op: 'release', id: heldIds[index] }));
      engine.release(heldKeys[index]!);
      heldIds[index] = heldIds[last]!;
      heldKeys[index] = heldKeys[last]!;
      heldIds.pop();
      heldKeys.pop();
    } else {
      const index = prng.int(heldIds.length);
      const type = TYPES[prng.int(TYPES.length)]!;
      lines.push(JSON.stringify({ op: 'modify', id: heldIds[index], type }));
      engine.modify(heldKeys[index]!, type);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
