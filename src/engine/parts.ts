/**
 * The design lab's parts: the preset table of the named designs, the canonical text form
 * (`store+lock+max`, e.g. `task_struct+percpu-rwsem+histogram`) with its parser, and the memory
 * each store adds per task. See docs/design-lab.md.
 */
import { DESIGN_PART_VALUES } from './types.ts';
import type { DesignId, DesignParts, PresetDesignId, StorePart } from './types.ts';

function parts(store: DesignParts['store'], lock: DesignParts['lock'], max: DesignParts['max']) {
  return Object.freeze({ store, lock, max });
}

/** Every named design but `ideal` as a composition of parts (kernel-model.md 3.7). */
export const DESIGN_PRESETS: Readonly<Record<PresetDesignId, DesignParts>> = Object.freeze({
  list: parts('list', 'global-mutex', 'cpu-loop'),
  rhltable: parts('rhltable', 'global-mutex', 'cpu-loop'),
  sharded: parts('rhltable', 'sharded', 'cpu-loop'),
  rwsem: parts('rhltable', 'percpu-rwsem', 'cpu-loop'),
  final: parts('rhltable', 'percpu-rwsem', 'histogram'),
});

const PRESET_IDS = Object.keys(DESIGN_PRESETS) as PresetDesignId[];

/** A named design's parts; null for `ideal`, which has no accounting to break down. */
export function designParts(id: PresetDesignId): DesignParts;
export function designParts(id: DesignId): DesignParts | null;
export function designParts(id: DesignId): DesignParts | null {
  return id === 'ideal' ? null : DESIGN_PRESETS[id];
}

export function sameParts(a: DesignParts, b: DesignParts): boolean {
  return a.store === b.store && a.lock === b.lock && a.max === b.max;
}

/** The named design these parts are, or null for a composition no named design matches. */
export function presetOf(candidate: DesignParts): PresetDesignId | null {
  return PRESET_IDS.find((id) => sameParts(DESIGN_PRESETS[id], candidate)) ?? null;
}

/** Every composition, store-major in DESIGN_PART_VALUES order (4 × 4 × 4 = 64). */
export function allDesignParts(): DesignParts[] {
  const all: DesignParts[] = [];
  for (const store of DESIGN_PART_VALUES.store) {
    for (const lock of DESIGN_PART_VALUES.lock) {
      for (const max of DESIGN_PART_VALUES.max) all.push(parts(store, lock, max));
    }
  }
  return all;
}

/** The canonical text form: `store+lock+max`. */
export function formatDesignParts(p: DesignParts): string {
  return `${p.store}+${p.lock}+${p.max}`;
}

export type DesignPartsParse =
  | { readonly ok: true; readonly parts: DesignParts }
  | { readonly ok: false; readonly error: string };

const PART_NAMES = ['store', 'lock', 'max'] as const;

/**
 * Parses the canonical text form. Parts come in the order store+lock+max; errors read
 * `invalid design part 'x' (store: list|rhltable|task_struct|lazy)`.
 */
export function parseDesignParts(text: string): DesignPartsParse {
  const words = text.split('+');
  if (words.length !== 3) {
    return {
      ok: false,
      error: `invalid design parts '${text}' (store+lock+max, e.g. ${formatDesignParts(DESIGN_PRESETS.final)})`,
    };
  }
  for (let i = 0; i < 3; i++) {
    const name = PART_NAMES[i]!;
    const allowed: readonly string[] = DESIGN_PART_VALUES[name];
    if (!allowed.includes(words[i]!)) {
      return {
        ok: false,
        error: `invalid design part '${words[i]!}' (${name}: ${allowed.join('|')})`,
      };
    }
  }
  const [store, lock, max] = words as [
    DesignParts['store'],
    DesignParts['lock'],
    DesignParts['max'],
  ];
  return { ok: true, parts: parts(store, lock, max) };
}

/**
 * What a store costs in memory, x86-64, a typical config (no lock debugging, CONFIG_SMP,
 * CONFIG_MUTEX_SPIN_ON_OWNER):
 * - `taskStruct`: bytes the store adds to EVERY task_struct, whether or not it has breakpoints.
 * - `perTaskWithBreakpoints`: bytes allocated per task that has breakpoints (the slab object the
 *   lazily allocated struct lands in).
 * The perf_event side (hw.bp_list or the rhlist_head in every breakpoint, 16 bytes either way)
 * and the rhltable's bucket array are left out: they do not grow with the number of tasks.
 */
export interface StoreMemory {
  readonly taskStruct: number;
  readonly perTaskWithBreakpoints: number;
}

/** struct mutex: owner (8) + wait_lock (4) + osq (4) + wait_list (16). */
const MUTEX_BYTES = 32;
const LIST_HEAD_BYTES = 16;
const POINTER_BYTES = 8;
/** kmalloc() rounds the 48-byte struct up to the kmalloc-64 cache. */
const LAZY_SLAB_BYTES = 64;

export const STORE_MEMORY: Readonly<Record<StorePart, StoreMemory>> = Object.freeze({
  list: Object.freeze({ taskStruct: 0, perTaskWithBreakpoints: 0 }),
  rhltable: Object.freeze({ taskStruct: 0, perTaskWithBreakpoints: 0 }),
  // Option 2: the breakpoint mutex and list head in task_struct itself.
  task_struct: Object.freeze({
    taskStruct: MUTEX_BYTES + LIST_HEAD_BYTES,
    perTaskWithBreakpoints: 0,
  }),
  // Option 3: a pointer in task_struct; the mutex and list head (48 bytes) allocated on first use.
  lazy: Object.freeze({ taskStruct: POINTER_BYTES, perTaskWithBreakpoints: LAZY_SLAB_BYTES }),
});

/** The bytes a store adds for `tasks` tasks of which `tasksWithBreakpoints` have breakpoints. */
export function storeMemoryBytes(
  store: StorePart,
  tasks: number,
  tasksWithBreakpoints: number,
): number {
  const memory = STORE_MEMORY[store];
  return tasks * memory.taskStruct + tasksWithBreakpoints * memory.perTaskWithBreakpoints;
}
