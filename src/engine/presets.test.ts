/**
 * The named designs are presets of parts: built from parts they must report exactly what the
 * pre-lab engine reported (a digest of every outcome, work and locks, op by op); plus the
 * text form of parts and its errors.
 */
import { createHash } from 'node:crypto';
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

/**
 * SHA-256 of every outcome (result, work, locks) and locksFor() answer the engine gave before the
 * design lab (commit 0d50914's designs.ts), over the scripts below: fast-check 4.11.0, seed 20221101, 400 runs. To find a
 * difference, check that file out and compare op by op.
 */
const PRE_LAB_DIGESTS: Record<string, string> = {
  list: '8d44738a6f98df35eefb6cf420dcfc551c794ad475d273629955bbce904b7c59',
  rhltable: '346a0e77c612be2a905395c6e511d61a22e67e58f9493616d8b8ba19b0db21cc',
  sharded: '5a22269cfeac0547252398f54df50bfdd6afd04954d918e44a19f759d8ced36f',
  rwsem: 'd4289911c9484c1fc28932c8fb20dc3919f2019498a8626309f922384e358fe0',
  final: '4febd127903aab49fad4aabf664c844ba56092fdfed80f87d03f84ae08d3c73c',
  ideal: '3e94bb84053846807f74ed40b406d8e0d0db17672cbf8d950be20cafb55b4f61',
};

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
function runAll(
  engines: InspectableSlotEngine[],
  ops: Op[],
  record: (outcome: OpOutcome) => void = () => {},
): void {
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
    record(outcomes[0]!);
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
    const digests = new Map(DESIGN_IDS.map((design) => [design, createHash('sha256')]));
    fc.assert(
      fc.property(machineArb, fc.array(opArb, { maxLength: 80 }), (machine, ops) => {
        for (const design of DESIGN_IDS) {
          const engines = [createSlotEngine(design, machine)];
          const parts = designParts(design);
          if (parts !== null) engines.push(createSlotEngine(parts, machine));
          const digest = digests.get(design)!;
          runAll(engines, ops, (outcome) => digest.update(JSON.stringify(outcome)));
          for (const task of [null, 0, 3]) {
            const locks = engines[0]!.locksFor(task);
            digest.update(JSON.stringify(locks));
            for (const engine of engines) expect(engine.locksFor(task)).toEqual(locks);
          }
        }
      }),
      { numRuns: 400, seed: 20221101 },
    );
    const hex = Object.fromEntries([...digests].map(([design, h]) => [design, h.digest('hex')]));
    expect(hex).toEqual(PRE_LAB_DIGESTS);
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
