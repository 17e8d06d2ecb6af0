/**
 * The named designs are presets of parts: built from parts they must report exactly what the
 * pre-lab engine (legacy-designs.ts, a frozen copy) reported, outcome and work, op by op; plus the
 * text form of parts and its errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BP_TYPES,
  DESIGN_IDS,
  DESIGN_PRESETS,
  allDesignParts,
  createSlotEngine,
  designParts,
  formatDesignParts,
  parseDesignParts,
  presetOf,
} from './index.ts';
import type { BpType, InspectableSlotEngine, MachineConfig, OpOutcome, PoolMode } from './index.ts';
import { createLegacySlotEngine } from './legacy-designs.ts';

type Op =
  | { kind: 'reserve'; task: number | null; cpu: number; type: BpType }
  | { kind: 'release'; pick: number }
  | { kind: 'modify'; pick: number; type: BpType };

const typeArb = fc.constantFrom(...BP_TYPES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('reserve' as const),
      task: fc.option(fc.integer({ min: 0, max: 4 }), { freq: 4 }),
      cpu: fc.oneof(
        { weight: 3, arbitrary: fc.constant(-1) },
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 1 }) },
        { weight: 1, arbitrary: fc.integer({ min: -2, max: 8 }) },
      ),
      type: typeArb,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('modify' as const), pick: fc.nat(), type: typeArb }),
  },
);

const machineArb = fc.record({
  cpus: fc.integer({ min: 1, max: 12 }),
  slots: fc.integer({ min: 1, max: 4 }),
  pools: fc.constantFrom<PoolMode>('shared', 'split'),
});

/** Runs the ops on every engine; every engine must answer each op exactly like the first. */
function runAll(engines: InspectableSlotEngine[], ops: Op[]): void {
  const keys: number[] = [];
  const render = (o: OpOutcome) => JSON.stringify(o);
  ops.forEach((op, i) => {
    let outcomes: OpOutcome[];
    if (op.kind === 'reserve') {
      const spec = { task: op.task, cpu: op.cpu, type: op.type };
      outcomes = engines.map((engine) => engine.reserve(i, spec));
      if (outcomes[0]!.result === 'ok') keys.push(i);
    } else if (keys.length === 0) {
      return;
    } else if (op.kind === 'release') {
      const [key] = keys.splice(op.pick % keys.length, 1);
      outcomes = engines.map((engine) => engine.release(key!));
    } else {
      const key = keys[op.pick % keys.length]!;
      outcomes = engines.map((engine) => engine.modify(key, op.type));
    }
    const first = render(outcomes[0]!);
    outcomes.forEach((outcome, e) => {
      if (render(outcome) !== first) {
        expect(`op ${i} engine ${e}: ${render(outcome)}`).toBe(`op ${i} engine ${e}: ${first}`);
      }
    });
  });
}

describe('named designs built from parts', () => {
  it('report the same outcome, work and locks as the pre-lab engine on random scripts', () => {
    fc.assert(
      fc.property(machineArb, fc.array(opArb, { maxLength: 80 }), (machine, ops) => {
        for (const design of DESIGN_IDS) {
          const engines = [
            createLegacySlotEngine(design, machine),
            createSlotEngine(design, machine),
          ];
          const parts = designParts(design);
          if (parts !== null) engines.push(createSlotEngine(parts, machine));
          runAll(engines, ops);
          for (const engine of engines) {
            for (const task of [null, 0, 3]) {
              expect(engine.locksFor(task)).toEqual(engines[0]!.locksFor(task));
            }
          }
        }
      }),
      { numRuns: 400, seed: 20221101 },
    );
  }, 60_000);

  it('a composition equal to a preset reports the preset name; any other is custom', () => {
    const machine: MachineConfig = { cpus: 4, slots: 4, pools: 'shared' };
    for (const [id, parts] of Object.entries(DESIGN_PRESETS)) {
      const engine = createSlotEngine({ ...parts }, machine);
      expect([engine.design, engine.parts]).toEqual([id, parts]);
      expect(presetOf(parts)).toBe(id);
    }
    const custom = createSlotEngine(
      { store: 'task_struct', lock: 'percpu-rwsem', max: 'histogram' },
      machine,
    );
    expect(custom.design).toBe('custom');
    expect(createSlotEngine('ideal', machine).parts).toBeNull();
    expect(designParts('ideal')).toBeNull();
    expect(allDesignParts().filter((parts) => presetOf(parts) !== null)).toHaveLength(5);
    expect(allDesignParts()).toHaveLength(64);
  });
});

describe('design parts text form', () => {
  it('round-trips every composition', () => {
    for (const parts of allDesignParts()) {
      expect(parseDesignParts(formatDesignParts(parts))).toEqual({ ok: true, parts });
    }
    expect(formatDesignParts(DESIGN_PRESETS.final)).toBe('rhltable+percpu-rwsem+histogram');
  });

  it('names the bad part and what it allows', () => {
    expect(parseDesignParts('x+percpu-rwsem+histogram')).toEqual({
      ok: false,
      error: "invalid design part 'x' (store: list|rhltable|task_struct|lazy)",
    });
    expect(parseDesignParts('lazy+mutex+histogram')).toEqual({
      ok: false,
      error: "invalid design part 'mutex' (lock: global-mutex|sharded|percpu-rwsem|rwlock)",
    });
    expect(parseDesignParts('lazy+rwlock+')).toEqual({
      ok: false,
      error:
        "invalid design part '' (max: cpu-loop|cpu-loop-cached|cpu-pinned-histogram|histogram)",
    });
    expect(parseDesignParts('final')).toEqual({
      ok: false,
      error: "invalid design parts 'final' (store+lock+max, e.g. rhltable+percpu-rwsem+histogram)",
    });
    expect(() =>
      createSlotEngine({ store: 'heap', lock: 'rwlock', max: 'histogram' } as never, {
        cpus: 2,
        slots: 4,
        pools: 'shared',
      }),
    ).toThrow("invalid design part 'heap' (store: list|rhltable|task_struct|lazy)");
  });
});
