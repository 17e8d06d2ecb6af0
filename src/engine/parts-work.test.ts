/**
 * The work and locks the new parts report (docs/design-lab.md): the task_struct and lazy stores,
 * the rwlock lock, v1 7/8's cached CPU loop, the list store under the histogram max, and the
 * memory each store adds per task.
 */
import { describe, expect, it } from 'vitest';
import {
  STORE_MEMORY,
  createSlotEngine,
  machineConfig,
  storeMemoryBytes,
  totalWork,
} from './index.ts';
import type { DesignParts, InspectableSlotEngine, PhaseWork } from './index.ts';

const T = 1;

/** An engine of `parts` with `others` tasks holding one cpu = -1 breakpoint each (keys 1000+). */
function loaded(parts: DesignParts, cpus: number, others: number): InspectableSlotEngine {
  const engine = createSlotEngine(parts, machineConfig({ cpus, slots: 4 }));
  for (let i = 0; i < others; i++) {
    expect(engine.reserve(1000 + i, { task: 100 + i, cpu: -1, type: 'rw' }).result).toBe('ok');
  }
  return engine;
}

function pick(work: PhaseWork, ...fields: (keyof PhaseWork)[]): Partial<PhaseWork> {
  return Object.fromEntries(fields.map((field) => [field, work[field]]));
}

const WALK: (keyof PhaseWork)[] = ['listNodes', 'hashLookups', 'taskEntries'];

describe('task_struct store: a direct pointer, then the task’s own entries', () => {
  it('a cpu = -1 reserve walks C·k_T entries per loop, no hash, no list, whatever L', () => {
    for (const others of [0, 50]) {
      const engine = loaded(
        { store: 'task_struct', lock: 'percpu-rwsem', max: 'cpu-loop' },
        8,
        others,
      );
      engine.reserve(1, { task: T, cpu: 3, type: 'rw' });
      engine.reserve(2, { task: T, cpu: -1, type: 'w' });
      const { work } = engine.reserve(3, { task: T, cpu: -1, type: 'r' });
      expect(pick(work.check, ...WALK)).toEqual({ listNodes: 0, hashLookups: 0, taskEntries: 16 });
      expect(pick(work.toggle, ...WALK)).toEqual({ listNodes: 0, hashLookups: 0, taskEntries: 16 });
      // The release still has bp on the task's list: 3 entries per CPU.
      expect(pick(engine.release(3).work.toggle, ...WALK)).toEqual({
        listNodes: 0,
        hashLookups: 0,
        taskEntries: 24,
      });
    }
  });

  it('under the histogram max, the fast path is one probe of the task’s entries', () => {
    const engine = loaded({ store: 'task_struct', lock: 'percpu-rwsem', max: 'histogram' }, 64, 20);
    engine.reserve(1, { task: T, cpu: -1, type: 'rw' });
    const { work } = engine.reserve(2, { task: T, cpu: -1, type: 'rw' });
    expect(pick(totalWork(work), 'cpuIterations', ...WALK, 'allocations')).toEqual({
      cpuIterations: 0,
      listNodes: 0,
      hashLookups: 0,
      taskEntries: 2,
      allocations: 0,
    });
  });
});

describe('lazy store: as task_struct, plus one allocation per task with breakpoints', () => {
  for (const max of ['cpu-loop', 'cpu-loop-cached', 'histogram'] as const) {
    it(`${max}: allocates on a task's first breakpoint and frees when its last goes`, () => {
      const engine = loaded({ store: 'lazy', lock: 'percpu-rwsem', max }, 4, 3);
      const first = engine.reserve(1, { task: T, cpu: -1, type: 'rw' }).work;
      expect([first.check.allocations, first.toggle.allocations]).toEqual([0, 1]);
      const second = engine.reserve(2, { task: T, cpu: 2, type: 'rw' }).work;
      expect(totalWork(second).allocations).toBe(0);
      expect(totalWork(engine.release(1).work).frees).toBe(0);
      const last = engine.release(2).work;
      expect([last.toggle.frees, totalWork(last).allocations]).toEqual([1, 0]);
      // Same as task_struct for everything but the allocation counters.
      const other = loaded({ store: 'task_struct', lock: 'percpu-rwsem', max }, 4, 3);
      const mirror = other.reserve(1, { task: T, cpu: -1, type: 'rw' }).work;
      expect({ ...totalWork(first), allocations: 0 }).toEqual(totalWork(mirror));
    });
  }

  it('a reserve that fails allocates nothing; a modify of a task’s only bp frees and reallocates', () => {
    const engine = createSlotEngine(
      { store: 'lazy', lock: 'global-mutex', max: 'cpu-loop' },
      machineConfig({ cpus: 2, slots: 1 }),
    );
    expect(engine.reserve(1, { task: null, cpu: 0, type: 'rw' }).result).toBe('ok');
    const failed = engine.reserve(2, { task: T, cpu: -1, type: 'rw' });
    expect([failed.result, totalWork(failed.work).allocations]).toEqual(['ENOSPC', 0]);
    expect(engine.reserve(3, { task: T, cpu: 1, type: 'rw' }).result).toBe('ok');
    // modify_bp_slot(): __release_bp_slot() empties the task, __reserve_bp_slot() refills it.
    const modify = totalWork(engine.modify(3, 'w').work);
    expect([modify.frees, modify.allocations]).toEqual([1, 1]);
  });
});

describe('rwlock: bp_cpuinfo_lock alone', () => {
  it('task bps take it for read (2 atomics), CPU-bound ones for write (1)', () => {
    const engine = loaded({ store: 'rhltable', lock: 'rwlock', max: 'cpu-loop' }, 4, 0);
    expect(engine.locksFor(T)).toEqual([{ lock: 'bp_cpuinfo_lock', mode: 'read', instance: 0 }]);
    expect(engine.locksFor(null)).toEqual([
      { lock: 'bp_cpuinfo_lock', mode: 'write', instance: 0 },
    ]);
    const reserve = engine.reserve(1, { task: T, cpu: -1, type: 'rw' }).work;
    expect([reserve.check.sharedAtomics, reserve.toggle.sharedAtomics]).toEqual([2, 0]);
    expect(reserve.locks).toEqual(engine.locksFor(T));
    const cpuBound = engine.reserve(2, { task: null, cpu: 0, type: 'rw' }).work;
    expect(cpuBound.check.sharedAtomics).toBe(1);
  });
});

describe('cpu-loop-cached (v1 7/8): the first task_bp_pinned() reused when CPU-independent', () => {
  const cached: DesignParts = { store: 'rhltable', lock: 'global-mutex', max: 'cpu-loop-cached' };

  it('a CPU-independent task costs one lookup per loop instead of C; the loops stay', () => {
    const engine = loaded(cached, 16, 5);
    engine.reserve(1, { task: T, cpu: -1, type: 'rw' });
    const { work } = engine.reserve(2, { task: T, cpu: -1, type: 'rw' });
    expect(pick(work.check, 'cpuIterations', 'hashLookups', 'taskEntries')).toEqual({
      cpuIterations: 16,
      hashLookups: 1,
      taskEntries: 1,
    });
    // one task_bp_pinned() plus rhltable_insert()
    expect(pick(work.toggle, 'cpuIterations', 'hashLookups', 'taskEntries')).toEqual({
      cpuIterations: 16,
      hashLookups: 2,
      taskEntries: 1,
    });
    const release = engine.release(2).work.toggle;
    expect([release.cpuIterations, release.hashLookups, release.taskEntries]).toEqual([16, 2, 2]);
  });

  it('a CPU-dependent task pays C lookups, as cpu-loop does', () => {
    const plain = loaded({ ...cached, max: 'cpu-loop' }, 16, 5);
    const engine = loaded(cached, 16, 5);
    for (const e of [plain, engine]) e.reserve(1, { task: T, cpu: 3, type: 'rw' });
    const spec = { task: T, cpu: -1, type: 'rw' } as const;
    const { work } = engine.reserve(2, spec);
    expect(work).toEqual(plain.reserve(2, spec).work);
    expect(work.check.hashLookups).toBe(16);
  });
});

describe('cpu-pinned-histogram (9b1933b864a1 alone): a fast check, a looping toggle', () => {
  const fast: DesignParts = {
    store: 'rhltable',
    lock: 'percpu-rwsem',
    max: 'cpu-pinned-histogram',
  };

  it('a CPU-independent task checks with one probe and histogram_max(cpu_pinned), no C', () => {
    for (const cpus of [4, 256]) {
      const engine = loaded(fast, cpus, 10);
      engine.reserve(1, { task: T, cpu: -1, type: 'rw' });
      const { work } = engine.reserve(2, { task: T, cpu: -1, type: 'rw' });
      // probe: 1 lookup + 1 entry; no CPU-bound bp: the scan reads all 4 buckets
      expect(
        pick(work.check, 'cpuIterations', 'hashLookups', 'taskEntries', 'histogramUpdates'),
      ).toEqual({ cpuIterations: 0, hashLookups: 1, taskEntries: 1, histogramUpdates: 4 });
      // the toggle is still cpu-loop's: C calls + rhltable_insert()
      const loop = loaded({ ...fast, max: 'cpu-loop' }, cpus, 10);
      loop.reserve(1, { task: T, cpu: -1, type: 'rw' });
      expect(work.toggle).toEqual(loop.reserve(2, { task: T, cpu: -1, type: 'rw' }).work.toggle);
    }
  });

  it('a CPU-dependent task pays the probe plus the loop; CPU-bound toggles move the histogram', () => {
    const engine = loaded(fast, 8, 0);
    engine.reserve(1, { task: T, cpu: 2, type: 'rw' });
    const { check } = engine.reserve(2, { task: T, cpu: -1, type: 'rw' }).work;
    expect([check.cpuIterations, check.hashLookups, check.taskEntries]).toEqual([8, 9, 9]);
    const cpuBound = engine.reserve(3, { task: null, cpu: 0, type: 'rw' }).work.toggle;
    expect([cpuBound.histogramUpdates, cpuBound.sharedAtomics]).toEqual([1, 1]);
    const release = engine.release(3).work.toggle;
    expect([release.histogramUpdates, release.sharedAtomics]).toEqual([1, 1]);
  });
});

describe('list store under the histogram max', () => {
  it('the fast-path probe walks the whole global list: L nodes, no C', () => {
    for (const cpus of [4, 256]) {
      const engine = loaded({ store: 'list', lock: 'global-mutex', max: 'histogram' }, cpus, 30);
      const { work } = engine.reserve(1, { task: T, cpu: -1, type: 'rw' });
      // check: probe; toggle: probe (case 1); list_add_tail() uncounted
      expect([work.check.listNodes, work.toggle.listNodes, totalWork(work).cpuIterations]).toEqual([
        30, 30, 0,
      ]);
    }
  });
});

describe('per-task memory of each store (x86-64)', () => {
  it('adds nothing for list and rhltable, 48 bytes for task_struct, 8 + 64 for lazy', () => {
    expect(STORE_MEMORY).toEqual({
      list: { taskStruct: 0, perTaskWithBreakpoints: 0 },
      rhltable: { taskStruct: 0, perTaskWithBreakpoints: 0 },
      task_struct: { taskStruct: 48, perTaskWithBreakpoints: 0 },
      lazy: { taskStruct: 8, perTaskWithBreakpoints: 64 },
    });
    expect(storeMemoryBytes('task_struct', 1000, 10)).toBe(48_000);
    expect(storeMemoryBytes('lazy', 1000, 10)).toBe(8_000 + 640);
  });
});
