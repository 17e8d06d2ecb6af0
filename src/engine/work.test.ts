/**
 * Work counts pin the complexity of kernel-model.md's tables: what grows with L (task breakpoints
 * in the system) and with C (CPUs), and what does not; plus the locks each design takes.
 */
import { describe, expect, it } from 'vitest';
import { DESIGN_IDS, createSlotEngine, machineConfig, totalWork } from './index.ts';
import type { DesignId, InspectableSlotEngine, OpOutcome, PhaseWork, PoolMode } from './index.ts';

/** An engine with `others` tasks holding one cpu = -1 breakpoint each (keys 1000+). */
function loaded(
  design: DesignId,
  cpus: number,
  others: number,
  pools: PoolMode = 'shared',
): InspectableSlotEngine {
  const engine = createSlotEngine(design, machineConfig({ cpus, slots: 4, pools }));
  for (let i = 0; i < others; i++) {
    expect(engine.reserve(1000 + i, { task: 100 + i, cpu: -1, type: 'rw' }).result).toBe('ok');
  }
  return engine;
}

const T = 1;

function pick(work: PhaseWork, ...fields: (keyof PhaseWork)[]): Partial<PhaseWork> {
  return Object.fromEntries(fields.map((field) => [field, work[field]]));
}

describe('list: task_bp_pinned() walks the whole global list', () => {
  it('a cpu = -1 reserve visits C*L nodes in the check and C*L in the toggle', () => {
    for (const cpus of [4, 8, 16]) {
      for (const others of [0, 10, 20]) {
        const { work } = loaded('list', cpus, others).reserve(1, { task: T, cpu: -1, type: 'rw' });
        expect([cpus, others, work.check.listNodes, work.toggle.listNodes]).toEqual([
          cpus,
          others,
          cpus * others,
          cpus * others,
        ]);
        expect(work.check.cpuIterations).toBe(cpus);
        expect(work.toggle.cpuIterations).toBe(cpus);
      }
    }
  });

  it('a cpu = -1 release visits C*L nodes with the breakpoint still on the list', () => {
    const engine = loaded('list', 8, 10);
    engine.reserve(1, { task: T, cpu: -1, type: 'rw' });
    const { work } = engine.release(1);
    expect(work.check.listNodes).toBe(0);
    expect(work.toggle.listNodes).toBe(8 * 11);
  });

  it('a one-CPU task breakpoint visits L + L on reserve and L on release', () => {
    const engine = loaded('list', 64, 12);
    const reserve = engine.reserve(1, { task: T, cpu: 5, type: 'rw' }).work;
    expect([reserve.check.listNodes, reserve.toggle.listNodes]).toEqual([12, 12]);
    expect(engine.release(1).work.toggle.listNodes).toBe(13);
  });

  it('a CPU-bound breakpoint visits no list node: an O(S) histogram scan', () => {
    const { work } = loaded('list', 64, 30).reserve(1, { task: null, cpu: 3, type: 'rw' });
    expect(totalWork(work).listNodes).toBe(0);
    // max_task_bp_pinned() scans buckets 3, 2, 1, 0 and finds the tasks' single bps in bucket 0.
    expect(work.check.histogramUpdates).toBe(4);
  });

  it('counts the histogram buckets toggle_bp_task_slot() writes', () => {
    const engine = loaded('list', 8, 0);
    // First bp of T: every CPU only gains a bucket; the second moves T on every CPU.
    expect(engine.reserve(1, { task: T, cpu: -1, type: 'rw' }).work.toggle.histogramUpdates).toBe(
      8,
    );
    expect(engine.reserve(2, { task: T, cpu: 3, type: 'rw' }).work.toggle.histogramUpdates).toBe(2);
    expect(engine.reserve(3, { task: T, cpu: -1, type: 'rw' }).work.toggle.histogramUpdates).toBe(
      16,
    );
    expect(engine.release(3).work.toggle.histogramUpdates).toBe(16);
    // T keeps bp 2 on CPU 3: releasing its last cpu = -1 bp empties 7 CPUs, moves CPU 3
    expect(engine.release(1).work.toggle.histogramUpdates).toBe(8 + 1);
    expect(engine.release(2).work.toggle.histogramUpdates).toBe(1);
  });
});

describe('rhltable, sharded, rwsem: one hash lookup and k_T entries per CPU', () => {
  for (const design of ['rhltable', 'sharded', 'rwsem'] as const) {
    it(`${design}: independent of L, linear in C`, () => {
      for (const cpus of [4, 32]) {
        for (const others of [0, 25]) {
          const engine = loaded(design, cpus, others);
          engine.reserve(1, { task: T, cpu: -1, type: 'rw' });
          engine.reserve(2, { task: T, cpu: -1, type: 'x' });
          const { work } = engine.reserve(3, { task: T, cpu: -1, type: 'w' });
          // C lookups in the check, C in the toggle, + rhltable_insert(); k_T = 2 per lookup.
          expect(totalWork(work)).toMatchObject({
            listNodes: 0,
            hashLookups: 2 * cpus + 1,
            taskEntries: 2 * cpus * 2,
            cpuIterations: 2 * cpus,
          });
          const release = engine.release(3).work.toggle;
          expect([release.hashLookups, release.taskEntries]).toEqual([cpus + 1, cpus * 3]);
        }
      }
    });
  }
});

describe('final', () => {
  it('a cpu = -1 reserve of a CPU-independent task grows with neither C nor L', () => {
    const seen = new Set<string>();
    for (const cpus of [4, 256, 4096]) {
      for (const others of [0, 100, 1000]) {
        const engine = loaded('final', cpus, others);
        engine.reserve(1, { task: T, cpu: -1, type: 'rw' });
        const { work } = engine.reserve(2, { task: T, cpu: -1, type: 'rw' });
        seen.add(JSON.stringify(totalWork(work)));
        const release = engine.release(2).work;
        seen.add(`release ${JSON.stringify(totalWork(release))}`);
      }
    }
    expect([...seen]).toEqual([
      // check: probe (1 lookup, 1 entry) + histogram_max(cpu_pinned) (4 buckets);
      // toggle: probe + case 1 (2 buckets, 2 atomics on tsk_pinned_all) + rhltable_insert().
      JSON.stringify({
        listNodes: 0,
        cpuIterations: 0,
        hashLookups: 3,
        taskEntries: 2,
        histogramUpdates: 6,
        sharedAtomics: 2,
        allocations: 0,
        frees: 0,
      }),
      `release ${JSON.stringify({
        listNodes: 0,
        cpuIterations: 0,
        hashLookups: 2,
        taskEntries: 1,
        histogramUpdates: 2,
        sharedAtomics: 2,
        allocations: 0,
        frees: 0,
      })}`,
    ]);
  });

  it('case 2a and case 2b loop over every CPU once; case 3 costs C lookups when dependent', () => {
    const cpus = 64;
    const engine = loaded('final', cpus, 50);
    engine.reserve(1, { task: T, cpu: -1, type: 'rw' });
    const case2a = engine.reserve(2, { task: T, cpu: 7, type: 'rw' }).work;
    expect(pick(case2a.check, 'cpuIterations', 'hashLookups')).toEqual({
      cpuIterations: 1,
      hashLookups: 1,
    });
    // every CPU gets T's count (1 bucket each), bp's CPU moves (2), tsk_pinned_all loses T (1)
    expect(pick(case2a.toggle, 'cpuIterations', 'histogramUpdates', 'sharedAtomics')).toEqual({
      cpuIterations: cpus,
      histogramUpdates: cpus + 2 + 1,
      sharedAtomics: 1,
    });
    const case3 = engine.reserve(3, { task: T, cpu: -1, type: 'rw' }).work;
    expect(totalWork(case3)).toMatchObject({
      cpuIterations: 2 * cpus,
      hashLookups: 1 + cpus + 1 + cpus + 1,
      taskEntries: 2 + cpus * 2 + 2 + cpus * 2,
    });
    engine.release(3);
    const case2b = engine.release(2).work.toggle;
    expect(pick(case2b, 'cpuIterations', 'histogramUpdates', 'sharedAtomics')).toEqual({
      cpuIterations: cpus,
      histogramUpdates: 2 + cpus + 1,
      sharedAtomics: 1,
    });
  });

  it('case 2a/2b of a task without cpu = -1 breakpoints still loop but write no bucket', () => {
    const engine = loaded('final', 32, 5);
    const case2a = engine.reserve(1, { task: T, cpu: 4, type: 'rw' }).work.toggle;
    expect(pick(case2a, 'cpuIterations', 'histogramUpdates', 'sharedAtomics')).toEqual({
      cpuIterations: 32,
      histogramUpdates: 1,
      sharedAtomics: 0,
    });
    const case2b = engine.release(1).work.toggle;
    expect(pick(case2b, 'cpuIterations', 'histogramUpdates', 'sharedAtomics')).toEqual({
      cpuIterations: 32,
      histogramUpdates: 1,
      sharedAtomics: 0,
    });
  });

  it('a CPU-bound reserve scans histogram_max_merge() and updates the global cpu_pinned histogram', () => {
    const engine = loaded('final', 16, 3);
    const { work } = engine.reserve(1, { task: null, cpu: 2, type: 'rw' });
    expect(pick(work.check, 'cpuIterations', 'histogramUpdates', 'hashLookups')).toEqual({
      cpuIterations: 1,
      histogramUpdates: 2 * 4,
      hashLookups: 0,
    });
    expect(pick(work.toggle, 'histogramUpdates', 'sharedAtomics')).toEqual({
      histogramUpdates: 1,
      sharedAtomics: 1,
    });
  });
});

describe('locks', () => {
  function locksOf(outcome: OpOutcome): string[] {
    return outcome.work.locks.map((lock) => `${lock.lock}[${lock.instance}]:${lock.mode}`);
  }

  it('each design takes its own locks, in order, for task and CPU-bound breakpoints', () => {
    const table: Record<string, string[]> = {};
    for (const design of DESIGN_IDS) {
      const engine = createSlotEngine(design, machineConfig({ cpus: 8 }));
      table[design] = [
        locksOf(engine.reserve(1, { task: 13, cpu: -1, type: 'rw' })).join(' '),
        locksOf(engine.reserve(2, { task: null, cpu: 0, type: 'rw' })).join(' '),
        locksOf(engine.release(1)).join(' '),
      ];
    }
    expect(table).toEqual({
      list: ['nr_bp_mutex[0]:exclusive', 'nr_bp_mutex[0]:exclusive', 'nr_bp_mutex[0]:exclusive'],
      rhltable: [
        'nr_bp_mutex[0]:exclusive',
        'nr_bp_mutex[0]:exclusive',
        'nr_bp_mutex[0]:exclusive',
      ],
      sharded: [
        'task_sharded_mtx[5]:exclusive bp_cpuinfo_lock[0]:read',
        'bp_cpuinfo_lock[0]:write',
        'task_sharded_mtx[5]:exclusive bp_cpuinfo_lock[0]:read',
      ],
      rwsem: [
        'perf_event_mutex[13]:exclusive bp_cpuinfo_sem[0]:read',
        'bp_cpuinfo_sem[0]:write',
        'perf_event_mutex[13]:exclusive bp_cpuinfo_sem[0]:read',
      ],
      final: [
        'perf_event_mutex[13]:exclusive bp_cpuinfo_sem[0]:read',
        'bp_cpuinfo_sem[0]:write',
        'perf_event_mutex[13]:exclusive bp_cpuinfo_sem[0]:read',
      ],
      ideal: ['', '', ''],
    });
  });

  it("sharded: the rwlock's reader atomics count in check for a reserve, in toggle for a release", () => {
    const engine = createSlotEngine('sharded', machineConfig({ cpus: 8 }));
    const reserve = engine.reserve(1, { task: 3, cpu: -1, type: 'rw' }).work;
    expect([reserve.check.sharedAtomics, reserve.toggle.sharedAtomics]).toEqual([2, 0]);
    const release = engine.release(1).work;
    expect([release.check.sharedAtomics, release.toggle.sharedAtomics]).toEqual([0, 2]);
    expect(engine.reserve(2, { task: null, cpu: 1, type: 'rw' }).work.check.sharedAtomics).toBe(1);
  });
});

describe('operations without accounting work', () => {
  it('EINVAL, an unchanged modify and every ideal operation take no lock and do no work', () => {
    for (const design of DESIGN_IDS) {
      const engine = createSlotEngine(design, machineConfig({ cpus: 4 }));
      const outcomes = [
        engine.reserve(1, { task: null, cpu: -1, type: 'rw' }),
        engine.reserve(1, { task: 1, cpu: 4, type: 'rw' }),
        (engine.reserve(2, { task: 1, cpu: -1, type: 'rw' }), engine.modify(2, 'rw')),
      ];
      for (const outcome of outcomes) {
        expect(outcome.work.locks).toEqual([]);
        expect(Object.values(totalWork(outcome.work)).every((count) => count === 0)).toBe(true);
      }
    }
    const ideal = createSlotEngine('ideal', machineConfig({ cpus: 4 }));
    for (const outcome of [
      ideal.reserve(1, { task: 1, cpu: -1, type: 'rw' }),
      ideal.modify(1, 'x'),
      ideal.release(1),
    ]) {
      expect(outcome.work.locks).toEqual([]);
      expect(Object.values(totalWork(outcome.work)).every((count) => count === 0)).toBe(true);
    }
  });

  it('a release has toggle work only', () => {
    for (const design of DESIGN_IDS) {
      const engine = loaded(design, 4, 3);
      engine.reserve(1, { task: T, cpu: 2, type: 'rw' });
      const { check } = engine.release(1).work;
      expect(
        Object.values(check).every((count) => count === 0),
        design,
      ).toBe(true);
    }
  });
});

describe('modify', () => {
  it('costs one release plus one reserve under one lock acquisition', () => {
    for (const design of DESIGN_IDS) {
      const modified = loaded(design, 8, 5);
      modified.reserve(1, { task: T, cpu: -1, type: 'rw' });
      const modify = modified.modify(1, 'x');

      const separate = loaded(design, 8, 5);
      separate.reserve(1, { task: T, cpu: -1, type: 'rw' });
      const release = separate.release(1);
      const reserve = separate.reserve(1, { task: T, cpu: -1, type: 'x' });

      expect(modify.result).toBe('ok');
      expect(modify.work.locks, design).toEqual(release.work.locks);
      const expected = totalWork(release.work);
      const reserveTotal = totalWork(reserve.work);
      for (const field of Object.keys(expected) as (keyof PhaseWork)[]) {
        expected[field] += reserveTotal[field];
        // Lock-word atomics are paid once, not once per inner operation.
        if (field === 'sharedAtomics' && design === 'sharded') expected[field] -= 2;
      }
      expect(totalWork(modify.work), design).toEqual(expected);
      expect(modify.work.check.listNodes, design).toBe(reserve.work.check.listNodes);
    }
  });

  it('a failed modify also pays for the rollback reserve', () => {
    const engine = createSlotEngine('list', machineConfig({ cpus: 4, pools: 'split' }));
    for (let key = 0; key < 4; key++) engine.reserve(key, { task: T, cpu: -1, type: 'w' });
    engine.reserve(9, { task: T, cpu: -1, type: 'x' });
    // release: C*L (L = 5); reserve rw: check C*4 (fails); rollback x: check + toggle C*4
    const { result, work } = engine.modify(9, 'rw');
    expect(result).toBe('ENOSPC');
    expect([work.check.listNodes, work.toggle.listNodes]).toEqual([4 * 4 * 2, 4 * 5 + 4 * 4]);
  });
});

describe('locksFor', () => {
  it.each(DESIGN_IDS)('names the locks %s reports taking, in the same order', (design) => {
    const engine = createSlotEngine(design, { cpus: 8, slots: 4, pools: 'shared' });
    const task = engine.reserve(1, { task: 13, cpu: -1, type: 'rw' });
    const cpuBound = engine.reserve(2, { task: null, cpu: 3, type: 'rw' });
    expect(engine.locksFor(13)).toEqual(task.work.locks);
    expect(engine.locksFor(null)).toEqual(cpuBound.work.locks);
  });
});
