import { describe, expect, it } from 'vitest';
import { CpuState } from '../cpuStates.ts';
import { holdFor, testMachine } from '../testMachine.ts';
import { SimRwlock } from './rwlock.ts';

describe('rwlock', () => {
  it('lets readers share, makes a writer wait for all of them, and queues later readers behind it', () => {
    const { kernel, cpuIntervals, runAll, start } = testMachine(4);
    const lock = new SimRwlock('bp_cpuinfo_lock', true);
    lock.attach(kernel);
    const order: [string, number][] = [];
    const log = (name: string) => () => order.push([name, kernel.nowNs]);
    start(() => holdFor(lock, 'read', 10_000, 0, log('r1')));
    start(() => holdFor(lock, 'read', 10_000, 1_000, log('r2')));
    const writer = start(() => holdFor(lock, 'write', 5_000, 2_000, log('w')));
    const late = start(() => holdFor(lock, 'read', 1_000, 3_000, log('r3')));
    runAll();
    // r2 shares with r1 at once; w waits until r2, the last reader, unlocks at 11 us; r3 came
    // after w and does not overtake it (queued rwlock: FIFO once anyone waits).
    expect(order).toEqual([
      ['r1', 0],
      ['r2', 1_000],
      ['w', 11_100],
      ['r3', 16_200],
    ]);
    const spinOf = (cpu: number) =>
      cpuIntervals.find((i) => i.cpu === cpu && i.state === CpuState.otherSpin);
    expect(spinOf(writer.cpu)).toMatchObject({ fromNs: 2_000, toNs: 11_100 });
    expect(spinOf(late.cpu)).toMatchObject({ fromNs: 3_000, toNs: 16_200 });
  });

  it('grants every reader queued behind a writer together when it releases', () => {
    const { kernel, acquisitions, runAll, start } = testMachine(4);
    const lock = new SimRwlock('l', true);
    lock.attach(kernel);
    start(() => holdFor(lock, 'write', 10_000));
    for (const delayNs of [1_000, 2_000, 3_000]) start(() => holdFor(lock, 'read', 1_000, delayNs));
    runAll();
    expect(acquisitions.map((a) => a.atNs)).toEqual([0, 10_100, 10_100, 10_100]);
  });
});
