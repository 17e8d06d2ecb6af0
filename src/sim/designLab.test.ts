/**
 * The design lab in the simulator: a composition runs wherever a named design does, a named
 * design given as its parts runs bit for bit the same, and the `lazy` store's kzalloc()/kfree()
 * are charged (docs/design-lab.md section 6, docs/model.md section 4).
 */
import { describe, expect, it } from 'vitest';
import { DESIGN_PRESETS, composedDesign, type DesignSpec } from '../engine/index.ts';
import type { PresetDesignId } from '../engine/types.ts';
import { DEFAULT_COSTS } from '../scenario/costs.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { scenarioFromQuery } from '../scenario/url.ts';
import { createSimulation } from './simulation.ts';
import type { ProfileSymbol } from './types.ts';

function runToEnd(scenario: Scenario, design: DesignSpec) {
  const sim = createSimulation(scenario, design);
  while (!sim.advance(10_000).done) {
    // run
  }
  return { result: sim.result(), samples: sim.samples() };
}

const small = scenarioFromQuery('cpus=16&r=2&b=2&p=2&t=4').scenario;
const mixed = scenarioFromQuery('workload=mixed&cpus=8&m.tasks=32&m.ms=5').scenario;

/** CPU time of the accounting calls' work: every symbol callParts() charges. */
const ACCOUNTING_SYMBOLS: readonly ProfileSymbol[] = [
  '__reserve_bp_slot',
  'toggle_bp_slot',
  'rhashtable_jhash2',
  'task_bp_pinned',
  'bcmp',
];
const accountingNs = (profile: Readonly<Record<ProfileSymbol, number>>): number =>
  ACCOUNTING_SYMBOLS.reduce((sum, sym) => sum + profile[sym], 0);

describe('a named design given as its parts', () => {
  it.each(Object.keys(DESIGN_PRESETS) as PresetDesignId[])(
    '%s: the same result and samples, bit for bit',
    (id) => {
      const spec = composedDesign(DESIGN_PRESETS[id]);
      for (const scenario of [small, mixed]) {
        const named = runToEnd(scenario, id);
        const parts = runToEnd(scenario, spec);
        expect(parts.result.design).toBe(spec);
        expect({ ...parts.result, design: id }).toEqual(named.result);
        expect(parts.samples).toEqual(named.samples);
      }
    },
    // Four runs each: seconds on a loaded machine.
    60_000,
  );
});

describe('the lazy store pays for its allocations', () => {
  const eager = 'task_struct+percpu-rwsem+histogram';
  const lazy = 'lazy+percpu-rwsem+histogram';

  it('costs task_struct plus one kzalloc and one kfree per task that held breakpoints', () => {
    const a = runToEnd(small, eager).result;
    const b = runToEnd(small, lazy).result;
    // Every thread inherits -b breakpoints: its first allocates, its last frees; the main thread's
    // originals (untimed, so not in accountingOps) do the same once.
    const tasks = b.accountingOps / (2 * small.thread.breakpoints) + 1;
    expect(tasks).toBe(11);
    const perTask = DEFAULT_COSTS.slabAllocNs + DEFAULT_COSTS.slabFreeNs;
    expect(accountingNs(b.profileNs) - accountingNs(a.profileNs)).toBe(tasks * perTask);
    expect(b.totalTimeNs).toBeGreaterThan(a.totalTimeNs);
  });

  it('is task_struct exactly when allocations cost nothing', () => {
    const free: Scenario = { ...small, costs: { slabAllocNs: 0, slabFreeNs: 0 } };
    const a = runToEnd(free, eager);
    const b = runToEnd(free, lazy);
    expect({ ...b.result, design: eager }).toEqual(a.result);
    expect(b.samples).toEqual(a.samples);
  });
});
