import { describe, expect, it } from 'vitest';
import type { DesignId } from '../engine/types.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { scenarioFromQuery } from '../scenario/url.ts';
import { CPU_STATE_COUNT } from './cpuStates.ts';
import { createSimulation, threadAccountingOps } from './simulation.ts';

function runToEnd(scenario: Scenario, design: DesignId) {
  const sim = createSimulation(scenario, design);
  while (!sim.advance(10_000).done) {
    // run
  }
  return { sim, result: sim.result(), samples: sim.samples() };
}

const splitThread = (breakpoints: number): Scenario => ({
  ...DEFAULT_SCENARIO,
  cpus: 16,
  slots: 2,
  pools: 'split',
  thread: { repeat: 2, breakpoints, parallelism: 4, threads: 4 },
});
const splitMixed: Scenario = {
  ...DEFAULT_SCENARIO,
  workload: 'mixed',
  cpus: 8,
  slots: 4,
  pools: 'split',
};

describe('split pools', () => {
  it('charges a failed open to the first CPU whose data pool the earlier opens filled', () => {
    // -b 3 on 2 slots: main's first two rw breakpoints (cpu = -1) fill the data pool of every CPU,
    // the third fails there; the instruction pool stays empty.
    const { result, samples } = runToEnd(splitThread(3), 'list');
    expect(result.openError).toBe('ENOSPC');
    expect(Array.from(samples.enospcPerCpu)).toEqual([1, ...new Array<number>(15).fill(0)]);
  });

  it.each([
    ['thread, -b above the slots', splitThread(3), true],
    ['thread, -b within the slots', splitThread(2), false],
    ['mixed', splitMixed, true],
  ] as const)(
    'attribute every ENOSPC to a CPU and end with the engine occupancy (%s)',
    (_, scenario, fails) => {
      for (const design of ['list', 'final'] as const) {
        const { sim, result, samples } = runToEnd(scenario, design);
        expect(result.enospc > 0).toBe(fails);
        const attributed = samples.enospcPerCpu.reduce((sum, n) => sum + n, 0);
        expect(attributed).toBe(result.enospc);
        // The recorder's last frame holds the engine's own counts at the end of the run.
        const view = sim.accounting();
        const last = samples.frameCount - 1;
        for (let pool = 0; pool < samples.pools; pool++) {
          for (let cpu = 0; cpu < samples.cpus; cpu++) {
            const at = (last * samples.pools + pool) * samples.cpus + cpu;
            const pinned = view.cpuPinned(cpu, pool);
            expect([samples.cpuPinned[at], samples.taskMax[at]]).toEqual([
              pinned,
              view.usedSlots(cpu, pool) - pinned,
            ]);
          }
        }
      }
    },
  );
});

function small(thread: Partial<Scenario['thread']>, cpus = 16): Scenario {
  return { ...DEFAULT_SCENARIO, cpus, thread: { ...DEFAULT_SCENARIO.thread, ...thread } };
}

describe('perf bench breakpoint thread', () => {
  it('keeps the thread-lifecycle locks out of the accounting waiter columns, and shows them in the lock statistics', () => {
    // ideal takes no accounting lock, so only the lifecycle's locks can wait.
    const { result, samples } = runToEnd(
      small({ repeat: 4, breakpoints: 2, parallelism: 4, threads: 16 }),
      'ideal',
    );
    expect(samples.spinWaiters.every((w) => w === 0)).toBe(true);
    expect(samples.sleepWaiters.every((w) => w === 0)).toBe(true);
    const names = result.locks.map((l) => l.lock);
    for (const lock of [
      'tasklist_lock',
      'siglock',
      'mmap_lock',
      'dl_stack_cache_lock',
      'child_mutex',
    ])
      expect(names).toContain(lock);
    expect(result.locks.some((l) => l.contended > 0)).toBe(true);
    expect(result.profileNs.smp_call_function_many_cond).toBeGreaterThan(0);
    expect(result.profileNs.arch_install_hw_breakpoint).toBeGreaterThan(0);
  });

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
    // Two seed runs of the thread-lifecycle model: several seconds on a loaded 2-core machine.
  }, 30_000);

  it('cover the whole run and account every CPU for the whole of each frame', () => {
    const { result, samples } = runToEnd(
      small({ repeat: 2, breakpoints: 2, parallelism: 2, threads: 4 }, 8),
      'list',
    );
    expect(samples.frameCount * samples.frameNs).toBeGreaterThanOrEqual(result.endNs);
    // Every complete frame's state counts add up to the number of CPUs.
    for (let f = 0; f < samples.frameCount - 1; f++) {
      let cpus = 0;
      for (let s = 0; s < CPU_STATE_COUNT; s++)
        cpus += samples.stateCpus[f * CPU_STATE_COUNT + s] as number;
      expect(cpus).toBeCloseTo(8, 3);
    }
  });
});

describe('run end', () => {
  it('ends at the last event that changed state, not at a stale spin-limit timer', () => {
    // 16 CPUs, few tasks: the list run's last events are RCU forced-reschedule timers armed by
    // OSQ spinners that got the mutex long before; they fire ~100 ms later and change nothing.
    const scenario = scenarioFromQuery('cpus=16&b=1&p=2&t=4&r=10').scenario;
    for (const design of ['list', 'final'] as const) {
      const { result, samples } = runToEnd(scenario, design);
      expect(result.totalTimeNs).toBeGreaterThan(0);
      // The benchmark takes ~1.3 ms; after its clock stops only the close() of the originals
      // and the main thread's exit remain.
      expect(result.endNs).toBeLessThan(result.totalTimeNs + 1_000_000);
      expect(result.endNs).toBeLessThan(3_000_000);
      expect(samples.frameCount * samples.frameNs).toBeLessThan(2 * result.endNs + 2_000);
    }
  });
});
