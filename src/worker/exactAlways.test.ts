import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { realRunner } from './testSimulation.ts';

describe("worker runner: a whole run's every event, for the Trace Event export", () => {
  const scenario: Scenario = {
    ...DEFAULT_SCENARIO,
    cpus: 8,
    thread: { repeat: 1, breakpoints: 4, parallelism: 2, threads: 4 },
  };

  it("re-simulates when asked 'always', though one bin over the run is coarser than the summary", async () => {
    const runner = realRunner();
    let endNs = 0;
    await runner.run({ runId: 1, lane: 'A', scenario, design: 'list' }, (m) => {
      if (m.kind === 'done') endNs = m.result.endNs;
    });
    const whole = { fromNs: 0, toNs: endNs, bins: 1, cpuFrom: 0, cpuCount: 8 };
    expect((await runner.timeline('A', 1, whole))?.exact).toBe(false);
    const every = await runner.timeline('A', 1, { ...whole, exact: 'always' });
    expect(every?.exact).toBe(true);
    expect(every?.truncated).toBe(0);
    // Spans cover the run: the last one ends where the run ends.
    const spans = every?.spans;
    expect(spans?.count).toBeGreaterThan(0);
    const lastEndNs = Math.max(...Array.from(spans?.endNs.subarray(0, spans.count) ?? []));
    expect(lastEndNs).toBeGreaterThan(endNs * 0.9);
    expect(lastEndNs).toBeLessThanOrEqual(endNs);
  });
});
