/**
 * DesignSpec: what a column or a CLI run asks for. Its text form round-trips, bad text is refused
 * with one line naming the part, and a composition runs the engine of the parts it names.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DESIGN_IDS,
  DESIGN_PART_VALUES,
  DESIGN_PRESETS,
  allComposedDesigns,
  composedDesign,
  createSlotEngine,
  formatDesignSpec,
  isComposed,
  parseDesignSpec,
  sameDesignRun,
  specParts,
  specPreset,
} from './index.ts';
import type { DesignParts } from './index.ts';

const partsArb: fc.Arbitrary<DesignParts> = fc.record({
  store: fc.constantFrom(...DESIGN_PART_VALUES.store),
  lock: fc.constantFrom(...DESIGN_PART_VALUES.lock),
  max: fc.constantFrom(...DESIGN_PART_VALUES.max),
});

const specArb = fc.oneof(fc.constantFrom(...DESIGN_IDS), partsArb.map(composedDesign));

describe('DesignSpec text form', () => {
  it('parses what it formats, for every named design and composition', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const parsed = parseDesignSpec(formatDesignSpec(spec));
        expect(parsed).toEqual({ ok: true, spec });
      }),
    );
  });

  it('gives a composition back its parts', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const spec = composedDesign(parts);
        expect(isComposed(spec)).toBe(true);
        expect(specParts(spec)).toEqual(parts);
      }),
    );
  });

  it('refuses any other text with one line naming what is wrong', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const valid =
          (DESIGN_IDS as readonly string[]).includes(text) ||
          (allComposedDesigns() as readonly string[]).includes(text);
        const parsed = parseDesignSpec(text);
        expect(parsed.ok).toBe(valid);
        if (!parsed.ok) expect(parsed.error).not.toContain('\n');
      }),
    );
    expect(parseDesignSpec('btree')).toEqual({
      ok: false,
      error: "invalid design 'btree' (list|rhltable|sharded|rwsem|final|ideal, or store+lock+max)",
    });
    expect(parseDesignSpec('lazy+rwsem+histogram')).toEqual({
      ok: false,
      error: "invalid design part 'rwsem' (lock: global-mutex|sharded|percpu-rwsem|rwlock)",
    });
    expect(parseDesignSpec('task_struct+percpu-rwsem').ok).toBe(false);
  });

  it('lists the 64 compositions once each', () => {
    const all = allComposedDesigns();
    expect(all).toHaveLength(64);
    expect(new Set(all).size).toBe(64);
  });
});

describe('DesignSpec and the named designs', () => {
  it('names the preset a composition equals, and no other', () => {
    for (const [id, parts] of Object.entries(DESIGN_PRESETS)) {
      expect(specPreset(composedDesign(parts))).toBe(id);
      expect(sameDesignRun(id as keyof typeof DESIGN_PRESETS, composedDesign(parts))).toBe(true);
    }
    expect(specPreset('task_struct+percpu-rwsem+histogram')).toBeNull();
    expect(specPreset('ideal')).toBe('ideal');
    expect(specParts('ideal')).toBeNull();
    expect(sameDesignRun('final', 'rwsem')).toBe(false);
    expect(sameDesignRun('ideal', 'ideal')).toBe(true);
  });

  it('builds the engine of the parts the text names', () => {
    const machine = { cpus: 8, slots: 4, pools: 'shared' as const };
    const custom = createSlotEngine('lazy+rwlock+cpu-loop-cached', machine);
    expect(custom.design).toBe('custom');
    expect(custom.parts).toEqual({ store: 'lazy', lock: 'rwlock', max: 'cpu-loop-cached' });
    expect(custom.locksFor(3)).toEqual([{ lock: 'bp_cpuinfo_lock', mode: 'read', instance: 0 }]);
    expect(createSlotEngine('rhltable+percpu-rwsem+histogram', machine).design).toBe('final');
    expect(() => createSlotEngine('lazy+x+histogram' as never, machine)).toThrow(
      "invalid design part 'x'",
    );
  });
});
