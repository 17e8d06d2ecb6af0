import { describe, expect, it } from 'vitest';
import { CpuState } from './cpuStates.ts';
import { played, runAction, type Action, type Program, type SubProgram } from './kernel.ts';
import { SimMutex } from './locks/mutex.ts';
import { holdFor, testMachine } from './testMachine.ts';

describe('scheduler', () => {
  it('makes a mutex spinner give way and sleep when a thread is queued on its CPU', () => {
    // One owner holding 50 us, one spinner from 1 us, and a third thread that arrives at 5 us on
    // the spinner's CPU (the owner's CPU is not free either): need_resched() by wake-up preemption.
    const { kernel, acquisitions, cpuIntervals, waiters, runAll, start } = testMachine(2, {
      llcCpus: 2,
    });
    const mutex = new SimMutex('m', true);
    mutex.attach(kernel);
    const owner = start(() => holdFor(mutex, 'write', 50_000));
    const spinner = start(() => holdFor(mutex, 'write', 1_000, 1_000));
    let thirdCpu = -1;
    kernel.at(5_000, () =>
      start(function* (self): Program {
        thirdCpu = self.cpu;
        yield runAction(2_000, 'user', CpuState.work);
      }),
    );
    runAll();
    expect(owner.cpu).not.toBe(spinner.cpu);
    expect(thirdCpu).toBe(spinner.cpu);
    // The spinner's CPU spun on the owner from 1 us until the third thread arrived, then ran it.
    const spinnerCpu = cpuIntervals.filter((i) => i.cpu === spinner.cpu && i.toNs <= 7_000);
    expect(spinnerCpu.map((i) => [i.state, i.fromNs, i.toNs])).toEqual([
      [CpuState.work, 0, 1_000],
      [CpuState.ownerSpin, 1_000, 5_000],
      [CpuState.work, 5_000, 7_000],
    ]);
    // The waiter columns see one spinner, then one sleeper until it runs again after the unlock.
    const busy = waiters.filter((w) => w.spinning + w.sleeping > 0);
    expect(busy.map((w) => [w.spinning, w.sleeping, w.fromNs, w.toNs])).toEqual([
      [1, 0, 1_000, 5_000],
      [0, 1, 5_000, 50_000],
      [0, 1, 50_000, 51_000],
    ]);
    // Asleep, it is woken at the unlock and runs a wake-up later, not a hand-off later.
    expect(acquisitions[1]?.atNs).toBe(50_000 + 1_000);
  });

  it('plays a prebuilt list in order, through a wait on a lock, before it asks the program again', () => {
    const { kernel, acquisitions, cpuIntervals, runAll, start } = testMachine(2, { llcCpus: 2 });
    const mutex = new SimMutex('m', true);
    mutex.attach(kernel);
    start(() => holdFor(mutex, 'write', 10_000));
    const section = played([
      runAction(1_000, 'user', CpuState.work),
      { kind: 'acquire', lock: mutex, mode: 'write' },
      runAction(3_000, 'toggle_bp_slot', CpuState.accounting),
      { kind: 'release', lock: mutex, mode: 'write' },
    ]);
    const asked: number[] = [];
    // A native program that plays the section twice, noting when it is asked for more.
    const twice: SubProgram = {
      next(): Action | null {
        asked.push(kernel.nowNs);
        return asked.length <= 2 ? section : null;
      },
    };
    const player = start(() => twice as unknown as Program);
    runAll();
    // Asked at the start, once the first playing is done (it spun on the holder until 10 us and
    // was handed the lock 100 ns later) and once the second is.
    expect(asked).toEqual([0, 13_100, 17_100]);
    expect(acquisitions.filter((a) => a.lock === 'm').map((a) => [a.atNs, a.waitNs])).toEqual([
      [0, 0],
      [10_100, 9_100],
      [14_100, 0],
    ]);
    const mine = cpuIntervals.filter(
      (i) => i.cpu === player.cpu && i.state === CpuState.accounting,
    );
    expect(mine.map((i) => [i.fromNs, i.toNs])).toEqual([
      [10_100, 13_100],
      [14_100, 17_100],
    ]);
  });

  it('refuses a list that holds a call or another list', () => {
    const inner = played([runAction(1_000, 'user', CpuState.work)]);
    expect(() => played([inner])).toThrow(/holds a 'play'/);
    const call: Action = { kind: 'call', sub: { next: () => null } };
    expect(() => played([runAction(1_000, 'user', CpuState.work), call])).toThrow(/holds a 'call'/);
  });

  it("runs a spawned thread's start section before its program", () => {
    const { kernel, cpuIntervals, runAll, start } = testMachine(2, { llcCpus: 2 });
    const started = played([runAction(2_000, 'copy_process', CpuState.lifecycle)]);
    let childCpu = -1;
    let programAt = -1;
    start(function* (self): Program {
      const child = kernel.newThread();
      yield {
        kind: 'spawn',
        child,
        start: started,
        program: (function* (): Program {
          childCpu = child.cpu;
          programAt = kernel.nowNs;
          yield runAction(1_000, 'user', CpuState.work);
        })(),
      };
      yield runAction(5_000, 'user', CpuState.work);
      expect(self.cpu).not.toBe(childCpu);
    });
    runAll();
    expect(programAt).toBe(2_000);
    const child = cpuIntervals.filter((i) => i.cpu === childCpu && i.state !== CpuState.idle);
    expect(child.map((i) => [i.state, i.fromNs, i.toNs])).toEqual([
      [CpuState.lifecycle, 0, 2_000],
      [CpuState.work, 2_000, 3_000],
    ]);
  });

  it('gives a reaped thread’s object to a new thread only once it has exited, as new', () => {
    const { kernel, runAll, start } = testMachine(2);
    const mutex = new SimMutex('m', true);
    mutex.attach(kernel);
    // Reaped before it exits: not reused while it runs; exits holding nothing.
    const early = start(() => holdFor(mutex, 'write', 1_000));
    kernel.reap(early);
    const during = kernel.newThread();
    expect(during).not.toBe(early);
    // Exits unreaped: never reused.
    const kept = start(function* (): Program {
      yield runAction(500, 'user', CpuState.work);
    });
    runAll();
    expect(early.dead).toBe(true);
    const next = kernel.newThread();
    expect(next).toBe(early);
    expect(next.id).toBe(kept.id + 1);
    expect([next.dead, next.reaped, next.onCpu, next.cpu, next.heldCount]).toEqual([
      false,
      false,
      false,
      -1,
      0,
    ]);
    expect(kernel.newThread()).not.toBe(kept);
    // Reaped after it exited: reused at once, and it runs a program of its own.
    kernel.reap(kept);
    const again = kernel.newThread();
    expect(again).toBe(kept);
    let ran = false;
    kernel.spawn(
      again,
      (function* (): Program {
        ran = true;
        yield runAction(100, 'user', CpuState.work);
      })(),
    );
    runAll();
    expect([ran, again.dead]).toEqual([true, true]);
  });
});
