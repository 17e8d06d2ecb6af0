import { describe, expect, it } from 'vitest';
import { createSlotEngine } from '../../engine/index.ts';
import { DesignLocks } from '../accounting.ts';
import { CpuState } from '../cpuStates.ts';
import { Futex, runAction, type Program, type SimThread } from '../kernel.ts';
import type { SimFutexLock } from '../locks/futexLock.ts';
import { testMachine } from '../testMachine.ts';
import {
  cloneThread,
  exitThread,
  joinThread,
  ProcessState,
  StackCache,
  type OwnedBreakpoint,
  type WorkloadContext,
} from './common.ts';
import { futexBucket, futexWakeAll } from './thread.ts';

/** A small machine with the process state and the final design's accounting, logging in order. */
function lifecycleMachine(cpus: number) {
  const m = testMachine(cpus, { llcCpus: cpus });
  const engine = createSlotEngine('final', { cpus, slots: 4, pools: 'shared' });
  const log: string[] = [];
  const process = new ProcessState(m.kernel);
  let key = 0;
  const ctx: WorkloadContext = {
    kernel: m.kernel,
    costs: m.kernel.costs,
    accounting: {
      engine,
      locks: new DesignLocks(m.kernel, engine),
      costs: m.kernel.costs,
      onOutcome: (request) => log.push(request.op),
    },
    process,
    nextKey: () => key++,
  };
  // Log every lock acquisition by name, beside the accounting outcomes.
  const hooks = m.kernel.hooks as { acquired: typeof m.kernel.hooks.acquired };
  const acquired = hooks.acquired.bind(hooks);
  hooks.acquired = (lock, waitNs, atNs, thread) => {
    log.push(lock.name);
    acquired(lock, waitNs, atNs, thread);
  };
  return { ...m, ctx, log, process };
}

describe('glibc stack cache', () => {
  it('keeps at most 4 stacks: hits take one, a fifth freed stack is munmapped', () => {
    const cache = new StackCache(4);
    expect(cache.take()).toBe(false);
    expect([cache.put(), cache.put(), cache.put(), cache.put()]).toEqual([0, 0, 0, 0]);
    expect(cache.put()).toBe(1);
    expect(cache.cached).toBe(4);
    expect(cache.take()).toBe(true);
    expect(cache.cached).toBe(3);
    expect([cache.hits, cache.misses, cache.unmapped]).toEqual([1, 1, 1]);
  });

  it('munmaps trimmed stacks while holding dl_stack_cache_lock, each with a TLB shootdown', () => {
    const { kernel, ctx, process, runAll, start } = lifecycleMachine(8);
    // tlbShootdown() asks whether each CPU of the mask is idle: record who holds the cache lock.
    const shootdownUnderCacheLock: boolean[] = [];
    const cpuIdle = kernel.cpuIdle.bind(kernel);
    kernel.cpuIdle = (cpu: number) => {
      shootdownUnderCacheLock.push((process.stackCacheLock as SimFutexLock).holder === main);
      return cpuIdle(cpu);
    };
    const main = start(function* (self: SimThread): Program {
      const children: SimThread[] = [];
      for (let i = 0; i < 7; i++) {
        const child = kernel.newThread();
        const owned: OwnedBreakpoint[] = [];
        yield* cloneThread(ctx, child, 0, owned, (c) => exitThread(ctx, c, owned));
        children.push(child);
      }
      for (const child of children) yield* joinThread(ctx, self, child);
    });
    runAll();
    expect(process.stackCache.misses).toBe(7);
    expect(process.stackCache.cached).toBe(4);
    expect(process.stackCache.unmapped).toBe(3);
    expect(kernel.mm.shootdowns).toBe(3);
    expect(shootdownUnderCacheLock.length).toBeGreaterThan(0);
    expect(shootdownUnderCacheLock.every(Boolean)).toBe(true);
  });
});

describe('child_mutex ordering', () => {
  it('reserves in perf_event_alloc before linking under child_mutex, and unlinks before releasing', () => {
    const { kernel, ctx, log, runAll, start } = lifecycleMachine(4);
    start(function* (self: SimThread): Program {
      const child = kernel.newThread();
      const owned: OwnedBreakpoint[] = [];
      yield* cloneThread(ctx, child, 2, owned, (c) => exitThread(ctx, c, owned));
      yield* joinThread(ctx, self, child);
    });
    runAll();
    const perf = log.filter((e) => ['reserve', 'release', 'child_mutex'].includes(e));
    expect(perf).toEqual([
      'reserve',
      'child_mutex',
      'reserve',
      'child_mutex',
      'child_mutex',
      'release',
      'child_mutex',
      'release',
    ]);
    // Publishing the task takes tasklist_lock with siglock nested, after the inherits.
    const tasklist = log.indexOf('tasklist_lock');
    expect(log[tasklist + 1]).toBe('siglock');
    const childMutex = log.flatMap((e, i) => (e === 'child_mutex' ? [i] : []));
    expect(tasklist).toBeGreaterThan(childMutex[1] as number);
    expect(tasklist).toBeLessThan(childMutex[2] as number);
  });

  it('serializes every thread of the process on the same original event child_mutex', () => {
    const { ctx } = lifecycleMachine(4);
    expect(ctx.process.childMutex(0)).toBe(ctx.process.childMutex(0));
    expect(ctx.process.childMutex(0)).not.toBe(ctx.process.childMutex(1));
  });
});

describe('futex bucket of done', () => {
  it('marks all T waiters under the bucket lock, then wakes them one by one on the waker CPU', () => {
    const T = 5;
    const m = testMachine(8, { llcCpus: 8, futexMarkNs: 100, futexWakeNs: 2_000 });
    const done = new Futex();
    const bucket = futexBucket(m.kernel);
    const wokenAt: number[] = [];
    for (let i = 0; i < T; i++) {
      m.start(function* (): Program {
        yield { kind: 'acquire', lock: bucket, mode: 'write' };
        yield runAction(300, 'futex', CpuState.lifecycle);
        yield { kind: 'release', lock: bucket, mode: 'write' };
        yield { kind: 'futexWait', futex: done };
        wokenAt.push(m.kernel.nowNs);
      });
    }
    let wakerCpu = -1;
    m.kernel.at(50_000, () =>
      m.start(function* (self: SimThread): Program {
        wakerCpu = self.cpu;
        yield* futexWakeAll(m.kernel.costs, done, bucket);
      }),
    );
    m.runAll();
    expect(wokenAt).toHaveLength(T);
    // The bucket section of the waker is T marks long; the wakes follow it 2 µs apart, each
    // reaching its thread after the 1 µs wake-up latency.
    const bucketTimes = m.acquisitions.filter((a) => a.lock === 'futex_bucket').map((a) => a.atNs);
    const wakerTook = bucketTimes.at(-1) as number;
    expect(wakerTook).toBe(50_000);
    const expected = Array.from(
      { length: T },
      (_, i) => wakerTook + T * 100 + (i + 1) * 2_000 + 1_000,
    );
    expect(wokenAt).toEqual(expected);
    expect(wakerCpu).toBeGreaterThanOrEqual(0);
  });
});
