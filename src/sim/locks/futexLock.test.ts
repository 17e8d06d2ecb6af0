import { describe, expect, it } from 'vitest';
import { CpuState } from '../cpuStates.ts';
import { holdFor, testMachine } from '../testMachine.ts';
import { SimFutexLock } from './futexLock.ts';

describe('glibc lll lock (dl_stack_cache_lock)', () => {
  it('never spins: a waiter sleeps and is woken by the unlock', () => {
    const { kernel, cpuIntervals, acquisitions, runAll, start } = testMachine(2);
    const lock = new SimFutexLock('dl_stack_cache_lock', { sleepState: CpuState.childSleep });
    lock.attach(kernel);
    start(() => holdFor(lock, 'write', 10_000));
    const waiter = start(() => holdFor(lock, 'write', 1_000, 1_000));
    runAll();
    expect(cpuIntervals.some((i) => i.state === CpuState.lockSpin)).toBe(false);
    expect(cpuIntervals.some((i) => i.cpu === waiter.cpu && i.state === CpuState.childSleep)).toBe(
      true,
    );
    expect(acquisitions[1]).toMatchObject({ atNs: 11_000, waitNs: 10_000 });
  });
});
