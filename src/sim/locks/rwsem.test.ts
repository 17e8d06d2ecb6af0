import { describe, expect, it } from 'vitest';
import { CpuState } from '../cpuStates.ts';
import { runAction } from '../kernel.ts';
import { holdFor, testMachine } from '../testMachine.ts';
import { SimRwsem } from './rwsem.ts';

describe('rw_semaphore (mmap_lock)', () => {
  it('lets readers share it', () => {
    const { kernel, acquisitions, runAll, start } = testMachine(3);
    const lock = new SimRwsem('mmap_lock');
    lock.attach(kernel);
    start(() => holdFor(lock, 'read', 10_000));
    start(() => holdFor(lock, 'read', 10_000, 1_000));
    runAll();
    expect(acquisitions.map((a) => [a.atNs, a.waitNs])).toEqual([
      [0, 0],
      [1_000, 0],
    ]);
  });

  it('makes a writer wait for the readers, and readers for a writer', () => {
    const { kernel, acquisitions, runAll, start } = testMachine(3);
    const lock = new SimRwsem('mmap_lock');
    lock.attach(kernel);
    start(() => holdFor(lock, 'read', 10_000));
    start(() => holdFor(lock, 'write', 5_000, 1_000));
    runAll();
    // The writer sleeps (readers own it: no spinning) and is woken at 10 µs (+1 µs wake-up).
    expect(acquisitions[1]).toMatchObject({ atNs: 11_000, waitNs: 10_000 });
  });

  it('spins a writer behind a running writer, and puts it to sleep when the lock turns reader-owned', () => {
    const { kernel, cpuIntervals, acquisitions, runAll, start } = testMachine(2, { llcCpus: 2 });
    const lock = new SimRwsem('mmap_lock');
    lock.attach(kernel);
    start(() => holdFor(lock, 'write', 20_000));
    const spinner = start(() => holdFor(lock, 'write', 1_000, 1_000));
    runAll();
    const spun = cpuIntervals.filter((i) => i.cpu === spinner.cpu && i.state === CpuState.lockSpin);
    expect(spun.map((i) => [i.fromNs, i.toNs])).toEqual([[1_000, 20_100]]);
    expect(acquisitions[1]).toMatchObject({ atNs: 20_100 });

    // Same, but the holder downgrades to a read hold at 5 µs: the spinner faces a reader-owned
    // lock, stops spinning and sleeps until the read hold ends at 20 µs (+1 µs wake-up).
    const m = testMachine(2, { llcCpus: 2 });
    const lock2 = new SimRwsem('mmap_lock', false, { sleepState: CpuState.mmapSleep });
    lock2.attach(m.kernel);
    m.start(function* () {
      yield { kind: 'acquire', lock: lock2, mode: 'write' };
      yield runAction(5_000, '__do_munmap', CpuState.lifecycle);
      yield { kind: 'downgrade', lock: lock2 };
      yield runAction(15_000, 'unmap_page_range', CpuState.lifecycle);
      yield { kind: 'release', lock: lock2, mode: 'read' };
    });
    const sleeper = m.start(() => holdFor(lock2, 'write', 1_000, 1_000));
    m.runAll();
    const on = (state: number) =>
      m.cpuIntervals
        .filter((i) => i.cpu === sleeper.cpu && i.state === state)
        .map((i) => [i.fromNs, i.toNs]);
    expect(on(CpuState.lockSpin)).toEqual([[1_000, 5_000]]);
    expect(on(CpuState.mmapSleep)).toEqual([[5_000, 21_000]]);
    expect(m.acquisitions.at(-1)).toMatchObject({ atNs: 21_000, waitNs: 20_000 });
  });

  it('blocks new readers behind a queued writer while readers hold it', () => {
    const { kernel, acquisitions, runAll, start } = testMachine(4);
    const lock = new SimRwsem('mmap_lock');
    lock.attach(kernel);
    const order: string[] = [];
    start(() => holdFor(lock, 'read', 10_000, 0, () => order.push('r1')));
    start(() => holdFor(lock, 'write', 5_000, 1_000, () => order.push('w')));
    start(() => holdFor(lock, 'read', 1_000, 2_000, () => order.push('r2')));
    runAll();
    // Without the queued writer r2 would have shared r1's hold at 2 µs.
    expect(order).toEqual(['r1', 'w', 'r2']);
    expect(acquisitions[2]!.atNs).toBeGreaterThan(15_000);
  });

  it('downgrades a writer to a reader and lets queued readers in', () => {
    const { kernel, acquisitions, runAll, start } = testMachine(3);
    const lock = new SimRwsem('mmap_lock');
    lock.attach(kernel);
    start(function* () {
      yield { kind: 'acquire', lock, mode: 'write' };
      yield runAction(5_000, '__do_munmap', CpuState.lifecycle);
      yield { kind: 'downgrade', lock };
      yield runAction(20_000, 'unmap_page_range', CpuState.lifecycle);
      yield { kind: 'release', lock, mode: 'read' };
    });
    start(() => holdFor(lock, 'read', 1_000, 1_000));
    runAll();
    // The reader is woken at the downgrade (5 µs) and runs after the 1 µs wake-up, while the
    // downgraded holder still reads until 25 µs.
    const reader = acquisitions.filter((a) => a.lock === 'mmap_lock').at(-1)!;
    expect(reader.atNs).toBe(6_000);
    expect(lock.holders).toEqual({ readers: 0, writer: null });
  });
});
