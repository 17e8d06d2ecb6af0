import { describe, expect, it } from 'vitest';
import { CpuState } from '../cpuStates.ts';
import { runAction } from '../kernel.ts';
import { holdFor, testMachine } from '../testMachine.ts';
import { SimSpinlock } from './spinlock.ts';

describe('spinlock', () => {
  it('grants in arrival order, each waiter one hold plus a hand-off after the one before', () => {
    const { kernel, acquisitions, runAll, start } = testMachine(3);
    const lock = new SimSpinlock('s', true);
    lock.attach(kernel);
    const order: string[] = [];
    start(() => holdFor(lock, 'write', 10_000, 0, () => order.push('a')));
    start(() => holdFor(lock, 'write', 10_000, 2_000, () => order.push('c')));
    start(() => holdFor(lock, 'write', 10_000, 1_000, () => order.push('b')));
    runAll();
    expect(order).toEqual(['a', 'b', 'c']);
    expect(acquisitions.map((a) => a.atNs)).toEqual([0, 10_100, 20_200]);
  });

  it('keeps its waiters spinning, never asleep, even when a thread is queued on their CPU', () => {
    const { kernel, cpuIntervals, waiters, runAll, start } = testMachine(2, { llcCpus: 2 });
    const lock = new SimSpinlock('s', true);
    lock.attach(kernel);
    start(() => holdFor(lock, 'write', 50_000));
    const waiter = start(() => holdFor(lock, 'write', 1_000, 1_000));
    kernel.at(5_000, () =>
      start(function* () {
        yield runAction(1_000, 'user', CpuState.work);
      }),
    );
    runAll();
    const spun = cpuIntervals.filter((i) => i.cpu === waiter.cpu && i.state === CpuState.otherSpin);
    expect(spun.map((i) => [i.fromNs, i.toNs])).toEqual([[1_000, 50_100]]);
    expect(cpuIntervals.some((i) => i.state === CpuState.lockSleep)).toBe(false);
    expect(waiters.every((w) => w.sleeping === 0)).toBe(true);
    expect(waiters.some((w) => w.spinning === 1)).toBe(true);
  });
});
