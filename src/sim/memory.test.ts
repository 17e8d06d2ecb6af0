/**
 * Memory follows live threads: once a run is over, the threads it created and the per-task lock
 * instances (perf_event_mutex) are garbage, whatever their number. Held through WeakRefs and
 * counted after a forced full GC. `list` is covered too: its heap once measured ~1.5 KB more per
 * created thread, which was garbage not yet collected (heapUsed sampled without a GC), not
 * retained objects; after a full GC its heap is flat in the threads created (bench:engine).
 */
import type { DesignId } from '../engine/types.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { Kernel, type SimThread } from './kernel.ts';
import { SimLock } from './locks/lock.ts';
import { createSimulation } from './simulation.ts';

function forceGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const scenario = (repeat: number): Scenario => ({
  ...DEFAULT_SCENARIO,
  cpus: 16,
  thread: { repeat, breakpoints: 2, parallelism: 4, threads: 32 },
});

let restore = (): void => undefined;

/** Objects of one run still reachable after a GC, taken halfway and at the end. */
async function retainedAfter(repeat: number, design: DesignId) {
  const threads: WeakRef<SimThread>[] = [];
  const locks: WeakRef<SimLock>[] = [];
  // Patched by hand: a vitest spy would keep every thread it returned in its call records.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this)
  const newThread = Kernel.prototype.newThread;
  Kernel.prototype.newThread = function (this: Kernel) {
    const t = newThread.call(this);
    threads.push(new WeakRef(t));
    return t;
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this)
  const attach = SimLock.prototype.attach;
  SimLock.prototype.attach = function (this: SimLock, k: Kernel) {
    locks.push(new WeakRef(this));
    attach.call(this, k);
  };
  restore = () => {
    Kernel.prototype.newThread = newThread;
    SimLock.prototype.attach = attach;
  };
  const gc = forceGc();
  const count = async () => {
    // WeakRef targets stay alive until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    // Distinct objects: the kernel gives a reaped thread's object to a new thread, and
    // DesignLocks an exited task's mutex to a new task.
    const live = <T extends object>(refs: WeakRef<T>[]): number =>
      new Set(refs.map((w) => w.deref()).filter((o) => o !== undefined)).size;
    return { threads: live(threads), locks: live(locks) };
  };
  const sim = createSimulation(scenario(repeat), design);
  let halfway: { threads: number; locks: number } | null = null;
  const halfOps = repeat * 32 * 2; // half of B * R * T * 2 accounting calls
  while (!sim.advance(5_000).done) {
    if (halfway === null && sim.advance(0).fraction >= halfOps / (2 * 2 * (4 + repeat * 32)))
      halfway = await count();
  }
  restore();
  const end = await count();
  const result = sim.result();
  return { created: threads.length, halfway, end, result };
}

describe('memory follows live threads', () => {
  afterEach(() => {
    restore();
  });

  // On a loaded machine two runs and their full GCs take more than the default 5 s.
  it.each<DesignId>(['final', 'list'])(
    '%s keeps no dead thread nor its perf_event_mutex, however many were created',
    { timeout: 120_000 },
    async (design) => {
      const short = await retainedAfter(10, design);
      const long = await retainedAfter(40, design);
      expect(long.created).toBeGreaterThan(3.9 * short.created);
      for (const run of [short, long]) {
        // Halfway: objects of live threads and of exited ones pooled for new threads (the
        // kernel's and DesignLocks' pools), never more together than were alive at once. A
        // thread's object is made when its clone begins, before it counts as live, so each of
        // the 4 workers may add one to the peak of live threads. Locks: that many per-task
        // mutexes, and the globals (a dozen: list's whole count).
        expect(run.halfway).not.toBeNull();
        expect(run.halfway!.threads).toBeLessThanOrEqual(run.result.peakLiveThreads + 4 + 1);
        expect(run.halfway!.locks).toBeLessThanOrEqual(run.result.peakLiveThreads + 4 + 12);
        // At the end every worker and passive thread is gone: main and a few stragglers at most.
        expect(run.end.threads).toBeLessThanOrEqual(6);
        expect(run.end.locks).toBeLessThanOrEqual(8);
      }
      expect(long.end.threads).toBeLessThanOrEqual(short.end.threads + 2);
      expect(long.end.locks).toBeLessThanOrEqual(short.end.locks + 2);
    },
  );
});
