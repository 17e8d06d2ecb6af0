import { describe, expect, it } from 'vitest';
import { createSlotEngine } from './index.ts';
import type { DesignId } from './types.ts';

/**
 * The work each design reports for one accounting call, counted from the code's loops rather
 * than guessed (kernel-model.md 2.2, 3.3-3.7), for a cpu = -1 task breakpoint of a task that
 * already has one on C CPUs:
 * - list: task_bp_pinned() walks the global list of L task breakpoints once per CPU, in
 *   fetch_bp_busy_slots() and again in toggle_bp_slot(); a release walks only in the toggle;
 * - rhltable, sharded, rwsem: the same per-CPU loops, one rhltable lookup per CPU each
 *   (max_bp_pinned_slots() and toggle_bp_slot() calling task_bp_pinned(cpu)), plus the insert
 *   (reserve) or remove (release) and the toggle's own task_bp_pinned(-1) probe;
 * - final: no per-CPU loop: one lookup to classify, histograms, the insert or remove.
 */
function secondReserveAndRelease(design: DesignId, cpus: number) {
  const engine = createSlotEngine(design, { cpus, slots: 4, pools: 'shared' });
  engine.reserve(0, { task: 1, cpu: -1, type: 'rw' });
  const reserve = engine.reserve(1, { task: 1, cpu: -1, type: 'rw' }).work;
  const release = engine.release(1).work;
  return { reserve, release };
}

describe('work per accounting call follows the loop structure', () => {
  for (const cpus of [4, 64, 256]) {
    it(`per-CPU rhltable lookups in rhltable, sharded and rwsem (C = ${cpus})`, () => {
      for (const design of ['rhltable', 'sharded', 'rwsem'] as const) {
        const { reserve, release } = secondReserveAndRelease(design, cpus);
        // max_bp_pinned_slots(): one task_bp_pinned(cpu) per CPU.
        expect(reserve.check.hashLookups).toBe(cpus);
        expect(reserve.check.cpuIterations).toBe(cpus);
        // toggle_bp_slot(): one per CPU, plus the insert.
        expect(reserve.toggle.hashLookups).toBe(cpus + 1);
        // release: the toggle's per-CPU loop plus the remove; no check.
        expect(release.check.hashLookups).toBe(0);
        expect(release.toggle.hashLookups).toBe(cpus + 1);
        expect(reserve.check.listNodes + reserve.toggle.listNodes).toBe(0);
      }
    });

    it(`list walks L nodes per CPU, twice per reserve and once per release (C = ${cpus})`, () => {
      const { reserve, release } = secondReserveAndRelease('list', cpus);
      // One task breakpoint in the list when the second reserve runs (L = 1), two at release.
      expect(reserve.check.listNodes).toBe(cpus * 1);
      expect(reserve.toggle.listNodes).toBe(cpus * 1);
      expect(release.toggle.listNodes).toBe(cpus * 2);
      expect(reserve.check.hashLookups + reserve.toggle.hashLookups).toBe(0);
    });

    it(`final does no per-CPU loop (C = ${cpus})`, () => {
      const { reserve, release } = secondReserveAndRelease('final', cpus);
      expect(reserve.check.hashLookups + reserve.toggle.hashLookups).toBe(3);
      expect(release.check.hashLookups + release.toggle.hashLookups).toBe(2);
      expect(reserve.check.cpuIterations + reserve.toggle.cpuIterations).toBe(0);
    });
  }
});
