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
  { name: 'otherSpin',  family: 'spin',       glyph: 'X', label: 'Other spin (rwlock, thread lock)',    description: "spinning on another lock (the thread group's lifecycle lock, an rwlock)" },
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

/** Whether the recorder counts time in a state as busy (see the families above). */
export function isBusyState(state: CpuStateIndex): boolean {
  const family = CPU_STATE_TABLE[state]?.family;
  return family !== 'idle' && family !== 'sleep';
}
