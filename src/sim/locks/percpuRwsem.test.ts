import { describe, expect, it } from 'vitest';
import { holdFor, testMachine } from '../testMachine.ts';
import { SimPercpuRwsem } from './percpuRwsem.ts';

describe('percpu-rwsem', () => {
  it('makes a writer wait for the readers and stalls readers that come after it', () => {
    const grace = 3_000_000;
    const { kernel, acquisitions, runAll, start } = testMachine(4, { rcuGracePeriodNs: grace });
    const sem = new SimPercpuRwsem('sem', true);
    sem.attach(kernel);
    // A reader holds it for 5 ms; a writer arrives at 1 us; a second reader arrives at 4 ms.
    start(() => holdFor(sem, 'read', 5_000_000));
    start(() => holdFor(sem, 'write', 1_000, 1_000));
    start(() => holdFor(sem, 'read', 1_000, 4_000_000));
    runAll();
    const [first, writer, late] = acquisitions.map((a) => a.atNs);
    expect(first).toBe(0);
    // Writer: grace period from 1 us to 3.001 ms, then `block` is set and it waits for the
    // reader to drain: the last reader's unlock grants it at exactly 5 ms.
    expect(writer).toBe(5_000_000);
    // The late reader found `block` set at 4 ms and slept until the writer released.
    expect(late).toBeGreaterThan((writer as number) + 1_000);
    expect(acquisitions[2]?.waitNs).toBeGreaterThan(1_000_000);
  });

  it('lets readers through without waiting when no writer is about', () => {
    const { kernel, acquisitions, runAll, start } = testMachine(4);
    const sem = new SimPercpuRwsem('sem', true);
    sem.attach(kernel);
    for (let i = 0; i < 4; i++) start(() => holdFor(sem, 'read', 10_000, i * 100));
    runAll();
    expect(acquisitions.map((a) => a.waitNs)).toEqual([0, 0, 0, 0]);
  });
});
