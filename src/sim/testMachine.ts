/**
 * A small simulated machine for the kernel and lock tests: round costs (hand-off 100 ns, wake-up
 * 1000 ns, no context-switch cost) and hooks that record what happened, in order.
 */
import { DEFAULT_COSTS, type CostParams } from '../scenario/costs.ts';
import { CpuState, type CpuStateIndex } from './cpuStates.ts';
import { Kernel, runAction, type Program, type SimThread } from './kernel.ts';
import type { LockMode, SimLock } from './locks/lock.ts';
import { createPrng } from './prng.ts';

export interface Acquisition {
  readonly lock: string;
  readonly waitNs: number;
  readonly atNs: number;
}

export interface CpuInterval {
  readonly cpu: number;
  readonly state: CpuStateIndex;
  readonly fromNs: number;
  readonly toNs: number;
}

export interface WaitersInterval {
  readonly spinning: number;
  readonly sleeping: number;
  readonly fromNs: number;
  readonly toNs: number;
}

export function testMachine(cpus: number, costs: Partial<CostParams> = {}) {
  const acquisitions: Acquisition[] = [];
  const cpuIntervals: CpuInterval[] = [];
  const waiters: WaitersInterval[] = [];
  const kernel = new Kernel(
    cpus,
    { ...DEFAULT_COSTS, lockHandoffNs: 100, wakeLatencyNs: 1000, contextSwitchNs: 0, ...costs },
    createPrng(1),
    {
      cpuInterval: (cpu, state, fromNs, toNs) => cpuIntervals.push({ cpu, state, fromNs, toNs }),
      waiters: (spinning, sleeping, fromNs, toNs) =>
        waiters.push({ spinning, sleeping, fromNs, toNs }),
      acquired: (lock, waitNs, atNs) => acquisitions.push({ lock: lock.name, waitNs, atNs }),
      released: () => {},
    },
  );
  const runAll = (): void => {
    while (kernel.runOne()) {
      // drain
    }
    kernel.flushActivity();
  };
  /** Starts a thread running `program`; returns it. */
  const start = (program: (self: SimThread) => Program): SimThread => {
    const t = kernel.newThread();
    kernel.spawn(t, program(t));
    return t;
  };
  return { kernel, acquisitions, cpuIntervals, waiters, runAll, start };
}

/**
 * A thread that runs `delayNs` of user work, takes `lock`, calls `onAcquired` (to log the order),
 * holds it `holdNs` in an accounting section and releases it.
 */
export function holdFor(
  lock: SimLock,
  mode: LockMode,
  holdNs: number,
  delayNs = 0,
  onAcquired: () => void = () => {},
): Program {
  return (function* (): Program {
    if (delayNs > 0) yield runAction(delayNs, 'user', CpuState.work);
    yield { kind: 'acquire', lock, mode };
    onAcquired();
    yield runAction(holdNs, 'toggle_bp_slot', CpuState.accounting);
    yield { kind: 'release', lock, mode };
  })();
}
