/**
 * Work-count helpers and the lock acquisitions each design reports.
 *
 * Counts are kernel work, not engine work: the engine fills them arithmetically (see designs.ts).
 * Shared outcomes are frozen so that a consumer that mutates one fails loudly instead of
 * corrupting every later operation.
 */
import { IntKeyMap } from './int-key-map.ts';
import type { LockTaken, OpOutcome, OpWork, PhaseWork } from './types.ts';

export function emptyPhase(): PhaseWork {
  return {
    listNodes: 0,
    cpuIterations: 0,
    hashLookups: 0,
    taskEntries: 0,
    histogramUpdates: 0,
    sharedAtomics: 0,
    allocations: 0,
    frees: 0,
  };
}

export function clearPhase(phase: PhaseWork): void {
  phase.listNodes = 0;
  phase.cpuIterations = 0;
  phase.hashLookups = 0;
  phase.taskEntries = 0;
  phase.histogramUpdates = 0;
  phase.sharedAtomics = 0;
  phase.allocations = 0;
  phase.frees = 0;
}

export const PHASE_FIELDS: readonly (keyof PhaseWork)[] = [
  'listNodes',
  'cpuIterations',
  'hashLookups',
  'taskEntries',
  'histogramUpdates',
  'sharedAtomics',
  'allocations',
  'frees',
];

/** check + toggle, field by field. */
export function totalWork(work: OpWork): PhaseWork {
  const total = emptyPhase();
  for (const field of PHASE_FIELDS) total[field] = work.check[field] + work.toggle[field];
  return total;
}

const FROZEN_EMPTY_PHASE: PhaseWork = Object.freeze(emptyPhase());
const NO_LOCKS: readonly LockTaken[] = Object.freeze([]);

/** The work of an operation that never reaches the accounting code. */
export const NO_WORK: OpWork = Object.freeze({
  check: FROZEN_EMPTY_PHASE,
  toggle: FROZEN_EMPTY_PHASE,
  locks: NO_LOCKS,
});

export const EINVAL_OUTCOME: OpOutcome = Object.freeze({ result: 'EINVAL', work: NO_WORK });
export const OK_NO_WORK_OUTCOME: OpOutcome = Object.freeze({ result: 'ok', work: NO_WORK });

function lock(lockId: LockTaken['lock'], mode: LockTaken['mode'], instance = 0): LockTaken {
  return Object.freeze({ lock: lockId, mode, instance });
}

/** Global lock acquisitions, shared by every outcome that takes them. */
export const LOCKS = {
  nrBpMutex: Object.freeze([lock('nr_bp_mutex', 'exclusive')]),
  cpuinfoLockWrite: Object.freeze([lock('bp_cpuinfo_lock', 'write')]),
  cpuinfoSemWrite: Object.freeze([lock('bp_cpuinfo_sem', 'write')]),
  cpuinfoLockRead: lock('bp_cpuinfo_lock', 'read'),
  cpuinfoSemRead: lock('bp_cpuinfo_sem', 'read'),
  cpuinfoLockReadOnly: Object.freeze([lock('bp_cpuinfo_lock', 'read')]),
} as const;

/**
 * Per-instance lock lists (one per shard or per task), built once and reused, so an operation
 * does not allocate its lock list.
 */
export class LockListCache {
  private readonly lists = new IntKeyMap<readonly LockTaken[]>();
  constructor(private readonly build: (instance: number) => readonly LockTaken[]) {}

  get(instance: number): readonly LockTaken[] {
    let list = this.lists.get(instance);
    if (list === undefined) {
      list = Object.freeze(this.build(instance));
      this.lists.set(instance, list);
    }
    return list;
  }
}

export function taskLock(
  lockId: 'task_sharded_mtx' | 'perf_event_mutex',
  instance: number,
  then: LockTaken,
): readonly LockTaken[] {
  return [lock(lockId, 'exclusive', instance), then];
}
