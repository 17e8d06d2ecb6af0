import { describe, expect, it } from 'vitest';
import { createSlotEngine, machineConfig, slotIndex } from './index.ts';
import type { PoolMode } from './index.ts';

describe('machineConfig', () => {
  it('fills defaults: 256 CPUs, 4 slots, shared pools (x86)', () => {
    expect(machineConfig()).toEqual({ cpus: 256, slots: 4, pools: 'shared' });
    expect(machineConfig({ cpus: 1, slots: 16, pools: 'split' })).toEqual({
      cpus: 1,
      slots: 16,
      pools: 'split',
    });
  });

  it.each([
    [{ cpus: 0 }, 'invalid cpus: 0 (1..4096)'],
    [{ cpus: 4097 }, 'invalid cpus: 4097 (1..4096)'],
    [{ cpus: 2.5 }, 'invalid cpus: 2.5 (1..4096)'],
    [{ cpus: Number.NaN }, 'invalid cpus: NaN (1..4096)'],
    [{ slots: 0 }, 'invalid slots: 0 (1..16)'],
    [{ slots: 17 }, 'invalid slots: 17 (1..16)'],
    [{ pools: 'mixed' as PoolMode }, 'invalid pools: mixed (shared|split)'],
  ])('rejects %j', (options, message) => {
    expect(() => machineConfig(options)).toThrow(new RangeError(message));
  });

  it('createSlotEngine checks the machine too', () => {
    expect(() => createSlotEngine('final', { cpus: 0, slots: 4, pools: 'shared' })).toThrow(
      'invalid cpus: 0 (1..4096)',
    );
  });
});

describe('slotIndex (find_slot_idx)', () => {
  it('maps every type to pool 0 when shared, x apart from data when split', () => {
    expect(['r', 'w', 'rw', 'x'].map((type) => slotIndex(type as 'r', 'shared'))).toEqual([
      0, 0, 0, 0,
    ]);
    expect(['r', 'w', 'rw', 'x'].map((type) => slotIndex(type as 'r', 'split'))).toEqual([
      1, 1, 1, 0,
    ]);
  });
});

describe('engine contract', () => {
  it('throws on a reserve of a held key and on a release or modify of a key not held', () => {
    const engine = createSlotEngine('list', machineConfig({ cpus: 2 }));
    engine.reserve(1, { task: 1, cpu: -1, type: 'rw' });
    expect(() => engine.reserve(1, { task: 1, cpu: -1, type: 'rw' })).toThrow('already held');
    expect(() => engine.release(2)).toThrow('not held');
    expect(() => engine.modify(2, 'x')).toThrow('not held');
    expect(engine.isHeld(1)).toBe(true);
    expect(engine.isHeld(2)).toBe(false);
  });
});
