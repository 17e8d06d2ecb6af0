import { describe, expect, it } from 'vitest';
import { createSlotEngine } from '../engine/index.ts';
import type { BreakpointSpec } from '../engine/types.ts';
import { AccountingCall, DesignLocks, type AccountingContext } from './accounting.ts';
import type { Action, Played, Program } from './kernel.ts';
import type { SimLock } from './locks/lock.ts';
import { testMachine } from './testMachine.ts';

/** The final design's locks on a 4-CPU test machine, and a context for calls against them. */
function finalLocks() {
  const m = testMachine(4);
  const engine = createSlotEngine('final', { cpus: 4, slots: 4, pools: 'shared' });
  const locks = new DesignLocks(m.kernel, engine);
  const ctx: AccountingContext = { engine, locks, costs: m.kernel.costs, onOutcome: () => {} };
  return { ...m, locks, ctx };
}

const spec = (task: number): BreakpointSpec => ({ task, cpu: -1, type: 'rw' });

/** The per-task mutex (perf_event_mutex) of a plan: its first acquire. */
function taskMutex(locks: DesignLocks, task: number): SimLock {
  const first = (locks.locksFor(spec(task)).acquire as Played).seq[0] as Action;
  if (first.kind !== 'acquire') throw new Error('the plan does not start with an acquire');
  return first.lock;
}

describe('DesignLocks: per-task mutexes of exited tasks serve new tasks', () => {
  it('gives an exited task’s free mutex to the next task, under the new task’s label', () => {
    const { locks } = finalLocks();
    const old = taskMutex(locks, 7);
    expect(old.name).toBe('perf_event_mutex');
    expect(old.instance).toBe('task 7');
    locks.forgetTask(7);
    const reused = taskMutex(locks, 8);
    expect(reused).toBe(old);
    expect(reused.instance).toBe('task 8');
    // A task still alive keeps its own: the next new task gets a new mutex.
    expect(taskMutex(locks, 9)).not.toBe(old);
  });

  it('keeps a mutex that is still held out of the pool', () => {
    const { locks, start, runAll } = finalLocks();
    const held = taskMutex(locks, 3);
    let forgotten = false;
    start(function* (): Program {
      yield { kind: 'acquire', lock: held, mode: 'write' };
      locks.forgetTask(3);
      forgotten = true;
      yield { kind: 'release', lock: held, mode: 'write' };
    });
    runAll();
    expect(forgotten).toBe(true);
    expect(taskMutex(locks, 4)).not.toBe(held);
  });

  it('a call that looked up an exited task’s locks looks again once the pool gave them away', () => {
    const { kernel, locks, ctx, start, runAll } = finalLocks();
    const call = new AccountingCall(ctx);
    const bp = spec(5);
    let sixReleasedNs = -1;
    let callDoneNs = -1;
    start(function* (): Program {
      yield call.begin('reserve', 1, bp);
      locks.forgetTask(5);
      // Task 6 gets task 5's mutex from the pool and holds it for a while: a later call for
      // task 5 must take a new mutex, not wait for task 6's.
      const six = taskMutex(locks, 6);
      expect(six.instance).toBe('task 6');
      start(function* (): Program {
        yield { kind: 'acquire', lock: six, mode: 'write' };
        yield { kind: 'sleep', ns: 1_000_000 };
        sixReleasedNs = kernel.nowNs;
        yield { kind: 'release', lock: six, mode: 'write' };
      });
      yield { kind: 'sleep', ns: 10_000 };
      yield call.begin('release', 1, bp);
      callDoneNs = kernel.nowNs;
    });
    runAll();
    expect(call.result).toBe('ok');
    expect(sixReleasedNs).toBeGreaterThan(0);
    expect(callDoneNs).toBeGreaterThan(0);
    expect(callDoneNs).toBeLessThan(sixReleasedNs);
  });
});
