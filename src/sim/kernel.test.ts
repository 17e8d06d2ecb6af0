import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { DEFAULT_COSTS, type CostParams } from '../scenario/costs.ts';
import { CpuState, Kernel, type Program } from './kernel.ts';
import type { SimLock } from './locks/lock.ts';
import { SimMutex } from './locks/mutex.ts';
import { SimPercpuRwsem } from './locks/percpuRwsem.ts';
import { createPrng } from './prng.ts';
import { createSimulation, threadAccountingOps } from './simulation.ts';

interface Acquisition {
  lock: string;
  waitNs: number;
  atNs: number;
}

/** A small machine with round numbers: hand-off 100 ns, wake-up 1000 ns, no switch cost. */
function machine(cpus: number, costs: Partial<CostParams> = {}) {
  const acquisitions: Acquisition[] = [];
  const kernel = new Kernel(
    cpus,
    { ...DEFAULT_COSTS, lockHandoffNs: 100, wakeLatencyNs: 1000, contextSwitchNs: 0, ...costs },
    createPrng(1),
    {
      cpuInterval: () => {},
      waiters: () => {},
      acquired: (lock, waitNs, atNs) => acquisitions.push({ lock: lock.name, waitNs, atNs }),
      released: () => {},
    },
  );
  const runAll = () => {
    while (kernel.runOne()) {
      // drain
    }
  };
  return { kernel, acquisitions, runAll };
}

function* holdFor(lock: SimLock, mode: 'read' | 'write', holdNs: number, delayNs = 0): Program {
  if (delayNs > 0) yield { kind: 'run', ns: delayNs, sym: 'user', state: CpuState.Work };
  yield { kind: 'acquire', lock, mode };
  yield { kind: 'run', ns: holdNs, sym: 'toggle_bp_slot', state: CpuState.Accounting };
  yield { kind: 'release', lock, mode };
}

describe('mutex', () => {
  it('makes the second of two threads wait exactly the first hold plus the hand-off', () => {
    const { kernel, acquisitions, runAll } = machine(2);
    const mutex = new SimMutex('m', true);
    mutex.attach(kernel);
    kernel.spawn(kernel.newThread(), holdFor(mutex, 'write', 10_000));
    kernel.spawn(kernel.newThread(), holdFor(mutex, 'write', 10_000, 1_000));
    runAll();
    // First takes it at 0 and holds 10 us; second asks at 1 us, spins, gets it at 10 us + 100 ns.
    expect(acquisitions.map((a) => [a.atNs, a.waitNs])).toEqual([
      [0, 0],
      [10_100, 9_100],
    ]);
  });

  it('lets a spinner give way and sleep when a runnable thread needs its CPU', () => {
    // One CPU-bound owner, one spinner, and a third thread woken onto the spinner's CPU.
    const { kernel, acquisitions, runAll } = machine(2, { llcCpus: 2 });
    const mutex = new SimMutex('m', true);
    mutex.attach(kernel);
    const states: CpuState[] = [];
    kernel.spawn(kernel.newThread(), holdFor(mutex, 'write', 50_000));
    kernel.spawn(kernel.newThread(), holdFor(mutex, 'write', 1_000, 1_000));
    // A third thread arrives on a CPU while both are busy: it queues behind the spinner.
    kernel.at(5_000, () => {
      kernel.spawn(
        kernel.newThread(),
        (function* (): Program {
          states.push(CpuState.Work);
          yield { kind: 'run', ns: 2_000, sym: 'user', state: CpuState.Work };
        })(),
      );
    });
    runAll();
    const second = acquisitions[1] as Acquisition;
    // The spinner slept at 5 us; at the unlock (50 us) it is woken and needs 1 us to run again.
    expect(second.atNs).toBe(50_000 + 1_000);
    expect(states).toEqual([CpuState.Work]);
  });
});

describe('percpu-rwsem', () => {
  it('makes a writer wait for the readers and stalls readers that come after it', () => {
    const grace = 3_000_000;
    const { kernel, acquisitions, runAll } = machine(4, { rcuGracePeriodNs: grace });
    const sem = new SimPercpuRwsem('sem', true);
    sem.attach(kernel);
    // A reader holds it for 5 ms; a writer arrives at 1 us; a second reader arrives at 4 ms.
    kernel.spawn(kernel.newThread(), holdFor(sem, 'read', 5_000_000));
    kernel.spawn(kernel.newThread(), holdFor(sem, 'write', 1_000, 1_000));
    kernel.spawn(kernel.newThread(), holdFor(sem, 'read', 1_000, 4_000_000));
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
    const { kernel, acquisitions, runAll } = machine(4);
    const sem = new SimPercpuRwsem('sem', true);
    sem.attach(kernel);
    for (let i = 0; i < 4; i++)
      kernel.spawn(kernel.newThread(), holdFor(sem, 'read', 10_000, i * 100));
    runAll();
    expect(acquisitions.map((a) => a.waitNs)).toEqual([0, 0, 0, 0]);
  });
});

function small(thread: Partial<Scenario['thread']>, cpus = 16): Scenario {
  return { ...DEFAULT_SCENARIO, cpus, thread: { ...DEFAULT_SCENARIO.thread, ...thread } };
}

function runToEnd(scenario: Scenario, design: Parameters<typeof createSimulation>[1]) {
  const sim = createSimulation(scenario, design);
  while (!sim.advance(10_000).done) {
    // run
  }
  return { result: sim.result(), samples: sim.samples() };
}

describe('perf bench breakpoint thread', () => {
  it.each([
    [{ repeat: 3, breakpoints: 2, parallelism: 2, threads: 5 }],
    [{ repeat: 5, breakpoints: 4, parallelism: 8, threads: 3 }],
    [{ repeat: 1, breakpoints: 1, parallelism: 4, threads: 1 }],
  ])('makes B*(P+R*T) reserves and as many releases (%o)', (params) => {
    const scenario = small(params);
    for (const design of ['list', 'final'] as const) {
      const { result } = runToEnd(scenario, design);
      const { breakpoints: b, parallelism: p, repeat: r, threads: t } = params;
      expect(result.accountingOps).toBe(2 * b * (p + r * t));
      expect(threadAccountingOps(scenario)).toBe(2 * b * (p + r * t));
      expect(result.threadsCreated).toBe(r * t);
    }
  });

  it('fails the open with ENOSPC when -b exceeds the slots, like perf bench', () => {
    const { result } = runToEnd(
      small({ breakpoints: 5, repeat: 2, threads: 2, parallelism: 2 }),
      'rwsem',
    );
    expect(result.openError).toBe('ENOSPC');
    expect(result.totalTimeNs).toBe(0);
  });

  it('gives identical results for the same scenario and seed', () => {
    const scenario = small({ repeat: 4, breakpoints: 4, parallelism: 4, threads: 8 });
    const a = runToEnd(scenario, 'list');
    const b = runToEnd(scenario, 'list');
    expect(a.result).toEqual(b.result);
    expect(Array.from(a.samples.cpuState)).toEqual(Array.from(b.samples.cpuState));
  });

  it('makes the list design slower than final, and final close to ideal', () => {
    const scenario = small({ repeat: 8, breakpoints: 4, parallelism: 8, threads: 16 }, 64);
    const list = runToEnd(scenario, 'list').result.totalTimeNs;
    const final = runToEnd(scenario, 'final').result.totalTimeNs;
    const ideal = runToEnd(scenario, 'ideal').result.totalTimeNs;
    expect(list).toBeGreaterThan(2 * final);
    expect(final / ideal).toBeLessThan(1.1);
  });
});

describe('samples', () => {
  const bytes = (s: ReturnType<typeof runToEnd>['samples']): number =>
    Object.values(s).reduce(
      (sum: number, v) => sum + (ArrayBuffer.isView(v) ? v.byteLength : 0),
      0,
    );

  it('stay within a fixed budget however long the simulated run', () => {
    // The seed scenario: list simulates about 245 s, final about 0.067 s, on 256 CPUs.
    const short = runToEnd(DEFAULT_SCENARIO, 'final');
    const long = runToEnd(DEFAULT_SCENARIO, 'list');
    expect(long.result.totalTimeNs).toBeGreaterThan(1000 * short.result.totalTimeNs);
    expect(long.samples.frameCount).toBeLessThanOrEqual(1024);
    expect(bytes(long.samples)).toBeLessThan(4 * 1024 * 1024);
    expect(bytes(long.samples)).toBeLessThan(1.5 * bytes(short.samples));
  });

  it('cover the whole run and account every CPU for the whole of each frame', () => {
    const { result, samples } = runToEnd(
      small({ repeat: 2, breakpoints: 2, parallelism: 2, threads: 4 }, 8),
      'list',
    );
    expect(samples.frameCount * samples.frameNs).toBeGreaterThanOrEqual(result.endNs);
    // Every complete frame's state counts add up to the number of CPUs.
    for (let f = 0; f < samples.frameCount - 1; f++) {
      let cpus = 0;
      for (let s = 0; s < 7; s++) cpus += samples.stateCpus[f * 7 + s] as number;
      expect(cpus).toBeCloseTo(8, 3);
    }
  });
});
