/**
 * What a CPU can be doing: the one declaration of the CPU states. The kernel's numeric state
 * indices, the recorder's columns, the palette and the legend all read this table, in this order
 * (the order the panels stack them). Adding a state is one line here: the palette gives it a
 * colour of its family and the texture its family has.
 *
 * Families: `idle` and `sleep` are a CPU with nothing to do (the recorder shows a frame as busy
 * only when the other families fill a quarter of it); `spin` is a waiter burning its CPU; `work`
 * and `accounting` are useful work outside and inside an accounting critical section.
 */

export type CpuStateFamily = 'idle' | 'work' | 'accounting' | 'spin' | 'sleep';

export interface CpuStateSpec {
  readonly name: string;
  /** What the legend and the tooltip say. */
  readonly label: string;
  /** One character, the second cue beside colour in legends and tooltips. */
  readonly glyph: string;
  readonly family: CpuStateFamily;
  readonly description: string;
}

// One line per state; the order is the panels' stacking order and the sample columns' index.
// prettier-ignore
export const CPU_STATE_TABLE = [
  { name: 'idle',       family: 'idle',       glyph: '·', label: 'Idle',                                description: 'nothing runnable' },
  { name: 'work',       family: 'work',       glyph: 'W', label: 'User / other kernel work',            description: 'user work and kernel work outside accounting (clone, exit, perf inherit, futex)' },
  { name: 'accounting', family: 'accounting', glyph: 'A', label: 'Accounting critical section',         description: 'inside an accounting critical section (reserve/release/modify under its locks)' },
  { name: 'osqSpin',    family: 'spin',       glyph: 'Q', label: 'OSQ spin (osq_lock)',                 description: "queued in a mutex's OSQ (osq_lock)" },
  { name: 'ownerSpin',  family: 'spin',       glyph: 'O', label: 'Spin on owner (mutex_spin_on_owner)', description: 'spinning on a running mutex owner (mutex_spin_on_owner), OSQ head or woken waiter' },
  { name: 'lockSleep',  family: 'sleep',      glyph: 'S', label: 'Asleep on a lock',                    description: 'idle because the thread that ran here sleeps on an accounting lock' },
  { name: 'otherSpin',  family: 'spin',       glyph: 'X', label: 'Accounting rwlock spin',              description: "spinning on the accounting rwlock (v1's bp_cpuinfo_lock)" },
  { name: 'lifecycle',  family: 'work',       glyph: 'L', label: 'Thread create / exit work',           description: 'clone(), exit, perf inherit/exit, stack mmap/munmap, page faults, futex, join (outside accounting)' },
  { name: 'tlbFlush',   family: 'work',       glyph: 'T', label: 'IPI and TLB flush',                   description: "a TLB shootdown: sending IPIs, flushing, waiting for every CPU's ack (smp_call_function_many_cond)" },
  { name: 'lockSpin',   family: 'spin',       glyph: 'K', label: 'Spin on a non-accounting lock',       description: 'spinning on tasklist_lock, siglock, a futex bucket, or optimistically on mmap_lock / child_mutex' },
  { name: 'mmapSleep',  family: 'sleep',      glyph: 'M', label: 'Asleep on mmap_lock',                 description: "idle because the thread that ran here sleeps on the process's mmap_lock" },
  { name: 'childSleep', family: 'sleep',      glyph: 'C', label: 'Asleep on child_mutex / stack cache', description: "idle because the thread that ran here sleeps on an original event's child_mutex or glibc's stack-cache lock" },
] as const satisfies readonly CpuStateSpec[];

export type CpuStateName = (typeof CPU_STATE_TABLE)[number]['name'];
/** A state's index into CPU_STATE_TABLE: what the sample columns store. */
export type CpuStateIndex = number;

/** The state names, indexed like the sample columns. */
export const CPU_STATES: readonly CpuStateName[] = CPU_STATE_TABLE.map((s) => s.name);
export const CPU_STATE_COUNT = CPU_STATE_TABLE.length;

/** Each state's index by name: `CpuState.work`. */
export const CpuState = Object.fromEntries(CPU_STATE_TABLE.map((s, i) => [s.name, i])) as {
  readonly [Name in CpuStateName]: CpuStateIndex;
};

/**
 * 1 where the recorder counts time in a state as busy (see the families above), by state index:
 * read for every state of every closed frame, so a table rather than a family compare.
 */
const BUSY = Uint8Array.from(CPU_STATE_TABLE, (s) =>
  s.family !== 'idle' && s.family !== 'sleep' ? 1 : 0,
);

/** Whether the recorder counts time in a state as busy (see the families above). */
export function isBusyState(state: CpuStateIndex): boolean {
  return BUSY[state] === 1;
}
