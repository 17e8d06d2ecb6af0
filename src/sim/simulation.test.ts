import { describe, expect, it } from 'vitest';
import type { DesignId } from '../engine/types.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { createSimulation } from './simulation.ts';

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
