import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allComposedDesigns, type DesignSpec } from '../engine/spec.ts';
import { DESIGN_IDS } from '../engine/types.ts';
import { DEFAULT_SCENARIO, SCENARIO_LIMITS, type Scenario } from '../scenario/scenario.ts';
import {
  CLI_BUDGET,
  PAGE_BUDGET,
  estimateRunCost,
  suggestSmaller,
  checkRunCost,
} from './budget.ts';
import { checkRunSize, createSimulation } from './simulation.ts';
import { TIMELINE_SUMMARY_BUDGET_BYTES } from './timeline.ts';

const thread = (
  repeat: number,
  breakpoints: number,
  parallelism: number,
  threads: number,
  cpus = 256,
): Scenario => ({
  ...DEFAULT_SCENARIO,
  cpus,
  thread: { repeat, breakpoints, parallelism, threads },
});
const mixed = (m: Partial<Scenario['mixed']>, cpus = 256): Scenario => ({
  ...DEFAULT_SCENARIO,
  workload: 'mixed',
  cpus,
  mixed: { ...DEFAULT_SCENARIO.mixed, ...m },
});

function measuredEvents(scenario: Scenario, design: DesignSpec): number {
  const sim = createSimulation(scenario, design);
  while (!sim.advance(100_000).done) {
    // run
  }
  return sim.result().events;
}

describe('the issue: accepted runs that took minutes and gigabytes', () => {
  it('refuses the 2M-thread page run with a suggestion the page accepts', () => {
    const page = thread(487, 4, 4096, 4096, 4096);
    const refusal = checkRunSize(page);
    expect(refusal).toMatch(/the page's budget is .* Try -r \d+ or fewer\./);
    const r = Number(/Try -r (\d+)/.exec(refusal ?? '')?.[1]);
    expect(checkRunSize(thread(r, 4, 4096, 4096, 4096))).toBeNull();
    expect(checkRunSize(thread(r + 1, 4, 4096, 4096, 4096))).not.toBeNull();
  });

  it('decides -r 31249 -t 64 by its estimate: refused by the page, accepted by sim bench', () => {
    const big = thread(31249, 4, 64, 64);
    const cost = estimateRunCost(big, 'final');
    expect(cost.events).toBeGreaterThan(PAGE_BUDGET.events);
    expect(checkRunSize(big)).not.toBeNull();
    expect(checkRunSize(big, CLI_BUDGET, ['final'])).toBeNull();
    // The estimate is within 2x of a measured smaller run scaled up by the threads created.
    const small = thread(30, 4, 64, 64);
    const scaled = (measuredEvents(small, 'final') * (64 + 31249 * 64)) / (64 + 30 * 64);
    expect(cost.events / scaled).toBeGreaterThan(0.5);
    expect(cost.events / scaled).toBeLessThan(2);
  });

  it('suggests a mixed duration that passes the check (it used to ignore tasks × bps)', () => {
    // Today's refusal suggested m.ms=500 for this, which was then refused again.
    const heavy = mixed({
      tasks: 100_000,
      bpsPerTask: 16,
      churnPerMs: 10_000,
      durationMs: 600_000,
    });
    const refusal = checkRunSize(heavy);
    expect(refusal).toMatch(/Try a duration of [\d,]+ ms or less \(m\.ms=\d+\)\./);
    const ms = Number(/m\.ms=(\d+)/.exec(refusal ?? '')?.[1]);
    expect(checkRunSize(mixed({ ...heavy.mixed, durationMs: ms }))).toBeNull();
  });
});

describe("the page's memory counts the timeline summary its runs keep", () => {
  it('refuses a run whose simulation fits but whose summary does not', () => {
    const scenario = thread(100, 4, 128, 512);
    const cost = estimateRunCost(scenario, 'final');
    // A budget with room for the simulation's bytes and 4 MB more: enough without a summary,
    // not with the page's (8 MB).
    const roomy = { events: 1e12, bytes: cost.bytes + 4e6, owner: 'a test budget' };
    expect(checkRunCost(scenario, roomy, ['final'])).toBeNull();
    const withSummary = { ...roomy, keptBytes: PAGE_BUDGET.keptBytes };
    expect(checkRunCost(scenario, withSummary, ['final'])).toMatch(/^This run is about .* MB;/);
    expect(PAGE_BUDGET.keptBytes).toBe(TIMELINE_SUMMARY_BUDGET_BYTES);
    expect(CLI_BUDGET.keptBytes ?? 0).toBe(0);
  });
});

describe('every suggestion passes the check it came from', () => {
  const int = (r: { min: number; max: number }) => fc.integer(r);
  const scenarioArb = fc
    .record({
      workload: fc.constantFrom<'thread' | 'mixed'>('thread', 'mixed'),
      cpus: int(SCENARIO_LIMITS.cpus),
      slots: int(SCENARIO_LIMITS.slots),
      repeat: int(SCENARIO_LIMITS.repeat),
      breakpoints: int(SCENARIO_LIMITS.breakpoints),
      parallelism: int(SCENARIO_LIMITS.parallelism),
      threads: int(SCENARIO_LIMITS.threads),
      tasks: int(SCENARIO_LIMITS.tasks),
      bpsPerTask: int(SCENARIO_LIMITS.bpsPerTask),
      churnPerMs: int(SCENARIO_LIMITS.churnPerMs),
      durationMs: int(SCENARIO_LIMITS.durationMs),
    })
    .map((v): Scenario => ({
      ...DEFAULT_SCENARIO,
      workload: v.workload,
      cpus: v.cpus,
      slots: v.slots,
      thread: {
        repeat: v.repeat,
        breakpoints: v.breakpoints,
        parallelism: v.parallelism,
        threads: v.threads,
      },
      mixed: {
        ...DEFAULT_SCENARIO.mixed,
        tasks: v.tasks,
        bpsPerTask: v.bpsPerTask,
        churnPerMs: v.churnPerMs,
        durationMs: v.durationMs,
      },
    }));

  it.each([
    ['page', PAGE_BUDGET],
    ['sim bench', CLI_BUDGET],
  ] as const)('%s budget', (_, budget) => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom(...DESIGN_IDS), (scenario, design) => {
        for (const designs of [DESIGN_IDS, [design]]) {
          if (checkRunCost(scenario, budget, designs) === null) continue;
          const suggestion = suggestSmaller(scenario, budget, designs);
          // Every field's smallest run fits both budgets, so there is always a suggestion.
          expect(suggestion).not.toBeNull();
          expect(checkRunCost(suggestion?.scenario as Scenario, budget, designs)).toBeNull();
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the design lab fits sim bench', () => {
  it('accepts all 64 compositions on the seed and the heavier scenario (sim bench --design parts)', () => {
    const compositions = allComposedDesigns();
    expect(checkRunSize(DEFAULT_SCENARIO, CLI_BUDGET, compositions)).toBeNull();
    expect(checkRunSize(thread(100, 4, 128, 512), CLI_BUDGET, compositions)).toBeNull();
  });

  it('estimates a composition equal to a named design as that design', () => {
    expect(estimateRunCost(DEFAULT_SCENARIO, 'rhltable+global-mutex+cpu-loop')).toEqual(
      estimateRunCost(DEFAULT_SCENARIO, 'rhltable'),
    );
  });
});

describe('the estimate is within 2x of measured events (small runs, deterministic)', () => {
  const cases: [string, DesignSpec, Scenario][] = [
    ['seed, list', 'list', DEFAULT_SCENARIO],
    ['seed, rhltable', 'rhltable', DEFAULT_SCENARIO],
    ['seed, final', 'final', DEFAULT_SCENARIO],
    ['seed, ideal', 'ideal', DEFAULT_SCENARIO],
    ['-b 0', 'final', thread(10, 0, 64, 64)],
    ['-t 8', 'sharded', thread(30, 4, 64, 8)],
    ['16 CPUs', 'rwsem', thread(30, 4, 64, 64, 16)],
    ['4096 CPUs, -p 512', 'list', thread(4, 4, 512, 64, 4096)],
    ['mixed seed', 'final', mixed({})],
    ['mixed, 4096 tasks', 'rwsem', mixed({ tasks: 4096 })],
    // Compositions take the coefficient of the named designs sharing their lock part.
    ['seed, rwlock lock', 'lazy+rwlock+cpu-loop-cached', DEFAULT_SCENARIO],
    ['seed, global mutex', 'task_struct+global-mutex+histogram', DEFAULT_SCENARIO],
    ['seed, list store, sharded', 'list+sharded+cpu-loop', DEFAULT_SCENARIO],
  ];
  it.each(cases)('%s, %s', (_, design, scenario) => {
    const ratio = estimateRunCost(scenario, design).events / measuredEvents(scenario, design);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('counts almost nothing when -b exceeds the slots (the open fails)', () => {
    const scenario = thread(10_000, 8, 64, 64);
    expect(estimateRunCost(scenario, 'final').events).toBeLessThan(100);
    expect(measuredEvents(scenario, 'final')).toBeLessThan(100);
  });
});
