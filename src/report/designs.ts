/**
 * How the page and the command line name each design: a short name (the id the URL and the
 * CLI use) and what the series' step changed. Consumers pick the part they show; nobody cuts a
 * label apart. A composition of parts (docs/design-lab.md) is named by its text form
 * (`task_struct+percpu-rwsem+histogram`) and described from its parts' descriptions.
 */
import { isComposed, specParts, specPreset, type DesignSpec } from '../engine/spec.ts';
import { STORE_MEMORY } from '../engine/parts.ts';
import {
  DESIGN_IDS,
  type DesignId,
  type LockPart,
  type MaxPart,
  type StorePart,
} from '../engine/types.ts';

export interface DesignNaming {
  /** The id as typed on the command line and in the URL: `list`, `final`, `lazy+rwlock+histogram`. */
  readonly name: DesignSpec;
  /** What this step of the series changed, in a few words; for a composition, its parts. */
  readonly description: string;
}

export const DESIGNS: Readonly<Record<DesignId, DesignNaming>> = {
  list: { name: 'list', description: 'before the series: global list + nr_bp_mutex' },
  rhltable: { name: 'rhltable', description: 'per-task hash table, global mutex' },
  sharded: { name: 'sharded', description: 'v1: rwlock + sharded task mutexes' },
  rwsem: { name: 'rwsem', description: 'percpu-rwsem + per-task mutex' },
  final: { name: 'final', description: 'Linux 6.1: + CPU-independent histograms' },
  ideal: { name: 'ideal', description: 'accounting disabled' },
};

/**
 * One line per value of each part, as docs/design-lab.md section 1 states what its code does: the
 * options of the page's part pickers and the words of a composition's description.
 */
export const PART_DESCRIPTIONS: {
  readonly store: Readonly<Record<StorePart, string>>;
  readonly lock: Readonly<Record<LockPart, string>>;
  readonly max: Readonly<Record<MaxPart, string>>;
} = {
  store: {
    list: 'one global list of every task breakpoint',
    rhltable: 'per-task hash table (option 1)',
    task_struct: 'list + mutex in task_struct (option 2)',
    lazy: 'lazily allocated per-task data (option 3)',
  },
  lock: {
    'global-mutex': 'global nr_bp_mutex',
    sharded: 'sharded task mutexes + rwlock (v1)',
    'percpu-rwsem': 'per-task mutex + percpu-rwsem',
    rwlock: 'rwlock alone (not a correct kernel design)',
  },
  max: {
    'cpu-loop': 'per-CPU loops',
    'cpu-loop-cached': 'per-CPU loops, first lookup reused (v1 7/8)',
    'cpu-pinned-histogram': 'cpu_pinned histogram for the check only',
    histogram: 'CPU-independent histograms (6.1)',
  },
};

/** The naming of any design: a named one's, or a composition's, built from its parts. */
export function designNaming(design: DesignSpec): DesignNaming {
  if (!isComposed(design)) return DESIGNS[design];
  const parts = specParts(design);
  if (parts === null) return DESIGNS.ideal;
  const description = [
    PART_DESCRIPTIONS.store[parts.store],
    PART_DESCRIPTIONS.lock[parts.lock],
    PART_DESCRIPTIONS.max[parts.max],
  ].join('; ');
  return { name: design, description };
}

/**
 * The name to show: the spec, and for a composition equal to a named design that name too:
 * `rhltable+percpu-rwsem+histogram (= final)`.
 */
export function designName(design: DesignSpec): string {
  if (!isComposed(design)) return design;
  const preset = specPreset(design);
  return preset === null ? design : `${design} (= ${preset})`;
}

/** "list (before the series: global list + nr_bp_mutex)", for pickers. */
export function designLabel(design: DesignSpec): string {
  const { name, description } = designNaming(design);
  return `${name} (${description})`;
}

export const DESIGN_LABELS: Readonly<Record<DesignId, string>> = Object.fromEntries(
  DESIGN_IDS.map((design) => [design, designLabel(design)]),
) as Record<DesignId, string>;

/**
 * Bytes the design's store adds to the kernel per task: in every task_struct, and per task with
 * breakpoints (STORE_MEMORY, docs/design-lab.md section 4). Null for `ideal`.
 */
export function designMemory(
  design: DesignSpec,
): { readonly taskStruct: number; readonly perTaskWithBreakpoints: number } | null {
  const parts = specParts(design);
  return parts === null ? null : STORE_MEMORY[parts.store];
}

/** "+48 B per task_struct", "+8 B per task_struct, +64 B per task with breakpoints", "no bytes added per task". */
export function memoryText(design: DesignSpec): string {
  const memory = designMemory(design);
  if (memory === null || (memory.taskStruct === 0 && memory.perTaskWithBreakpoints === 0))
    return 'no bytes added per task';
  const parts: string[] = [];
  if (memory.taskStruct > 0) parts.push(`+${memory.taskStruct} B per task_struct`);
  if (memory.perTaskWithBreakpoints > 0)
    parts.push(`+${memory.perTaskWithBreakpoints} B per task with breakpoints`);
  return parts.join(', ');
}
