import { describe, expect, it } from 'vitest';
import { CpuState } from '../cpuStates.ts';
import { holdFor, testMachine } from '../testMachine.ts';
import { SimMutex } from './mutex.ts';

const MS = 1_000_000;

function mutexMachine(cpus: number) {
  const machine = testMachine(cpus);
  const mutex = new SimMutex('m', true);
  mutex.attach(machine.kernel);
  const order: [name: string, atNs: number][] = [];
  const thread = (name: string, holdNs: number, delayNs: number) =>
    machine.start(() =>
      holdFor(mutex, 'write', holdNs, delayNs, () => order.push([name, machine.kernel.nowNs])),
    );
  return { ...machine, mutex, order, thread };
}

describe('mutex', () => {
  it('makes the second of two threads spin for the first hold, then pass after the hand-off', () => {
    const { acquisitions, cpuIntervals, runAll, thread } = mutexMachine(2);
    thread('a', 10_000, 0);
    const b = thread('b', 10_000, 1_000);
    runAll();
    // a takes it at 0 and holds 10 us; b asks at 1 us, spins, gets it at 10 us + 100 ns.
    expect(acquisitions.map((a) => [a.atNs, a.waitNs])).toEqual([
      [0, 0],
      [10_100, 9_100],
    ]);
    const spun = cpuIntervals.find((i) => i.cpu === b.cpu && i.state === CpuState.ownerSpin);
    expect(spun).toMatchObject({ fromNs: 1_000, toNs: 10_100 });
  });

  it('queues spinners in the OSQ: the head spins on the owner, the others on their node', () => {
    const { cpuIntervals, order, runAll, thread } = mutexMachine(3);
    thread('a', 10_000, 0);
    const b = thread('b', 1_000, 1_000);
    const c = thread('c', 1_000, 2_000);
    runAll();
    expect(order).toEqual([
      ['a', 0],
      ['b', 10_100],
      ['c', 11_200],
    ]);
    const stateAt = (cpu: number, atNs: number) =>
      cpuIntervals.find((i) => i.cpu === cpu && i.fromNs <= atNs && atNs < i.toNs)?.state;
    expect([stateAt(b.cpu, 5_000), stateAt(c.cpu, 5_000)]).toEqual([
      CpuState.ownerSpin,
      CpuState.osqSpin,
    ]);
    // Once b owns it, c heads the OSQ and spins on b.
    expect(stateAt(c.cpu, 10_500)).toBe(CpuState.ownerSpin);
  });

  it('stops a spinner that went without a quiescent state for too long: RCU forces a reschedule', () => {
    // jiffies_till_sched_qs at HZ=1000 on 2 CPUs: 100 jiffies, plus one tick: 101 ms after the
    // spinner's last quiescent state (the end of its user work at 1 us).
    const { kernel, acquisitions, waiters, runAll, thread } = mutexMachine(2);
    expect(kernel.rcuForcedReschedNs()).toBe(101 * MS);
    thread('owner', 300 * MS, 0);
    thread('spinner', 1_000, 1_000);
    runAll();
    const busy = waiters.filter((w) => w.spinning + w.sleeping > 0);
    expect(busy[0]).toMatchObject({
      spinning: 1,
      sleeping: 0,
      fromNs: 1_000,
      toNs: 101 * MS + 1_000,
    });
    expect(busy[1]).toMatchObject({ spinning: 0, sleeping: 1, fromNs: 101 * MS + 1_000 });
    // Asleep at the unlock: it runs a wake-up latency later, not a hand-off later.
    expect(acquisitions[1]?.atNs).toBe(300 * MS + 1_000);
  });

  it('hands the lock to a woken waiter that set HANDOFF, ahead of a thread spinning in the OSQ', () => {
    // b spins, RCU sends it to sleep at 101 ms; c spins from 200 ms and takes the lock when a
    // releases at 300 ms, which also wakes b. b runs at 300.001 ms, finds the lock taken, sets
    // HANDOFF and spins on c. d joins the OSQ at 305 ms. c's unlock hands the lock to b
    // (__mutex_handoff, PICKUP), not to d, the OSQ head.
    const { order, runAll, thread } = mutexMachine(4);
    thread('a', 300 * MS, 0);
    thread('b', 10 * MS, 1_000);
    thread('c', 10 * MS, 200 * MS);
    thread('d', 10 * MS, 305 * MS);
    runAll();
    expect(order).toEqual([
      ['a', 0],
      ['c', 300 * MS + 100],
      ['b', 310 * MS + 200],
      ['d', 320 * MS + 300],
    ]);
  });

  it('shows a non-accounting mutex (child_mutex) spinning as lifecycle spin, not accounting spin', () => {
    const { kernel, cpuIntervals, waiters, runAll, start } = testMachine(3);
    const childMutex = new SimMutex('child_mutex', false, { sleepState: CpuState.childSleep });
    childMutex.attach(kernel);
    start(() => holdFor(childMutex, 'write', 10_000));
    const head = start(() => holdFor(childMutex, 'write', 1_000, 1_000));
    const queued = start(() => holdFor(childMutex, 'write', 1_000, 2_000));
    runAll();
    for (const t of [head, queued]) {
      const states = new Set(cpuIntervals.filter((i) => i.cpu === t.cpu).map((i) => i.state));
      expect(states.has(CpuState.lockSpin)).toBe(true);
      expect(states.has(CpuState.osqSpin) || states.has(CpuState.ownerSpin)).toBe(false);
    }
    // Not an accounting lock: the accounting waiter columns stay empty.
    expect(waiters.every((w) => w.spinning === 0 && w.sleeping === 0)).toBe(true);
  });

  it('counts its waiters without walking the list: the waiter-spinner, if any, is the first', () => {
    // Many threads on few CPUs: OSQ spinners, sleepers, woken waiters and hand-offs.
    const machine = testMachine(3);
    class Walked extends SimMutex {
      checks = 0;
      spinnerSeen = false;
      protected override spinningWaiters(): number {
        const list = (this as unknown as { waitList: { waitMode: string }[] }).waitList;
        const spinners = list.filter((w) => w.waitMode === 'waiterSpin').length;
        expect(spinners).toBeLessThanOrEqual(1);
        if (spinners === 1) {
          expect(list[0]?.waitMode).toBe('waiterSpin');
          this.spinnerSeen = true;
        }
        this.checks++;
        return super.spinningWaiters();
      }
    }
    const mutex = new Walked('m', true);
    mutex.attach(machine.kernel);
    for (let i = 0; i < 12; i++) {
      machine.start(() => holdFor(mutex, 'write', 3_000 + 700 * i, 250 * i));
    }
    machine.runAll();
    expect(mutex.checks).toBeGreaterThan(20);
    expect(mutex.spinnerSeen).toBe(true);
  });
});
