import { describe, expect, it } from 'vitest';
import { CPU_STATE_TABLE, CPU_STATES, type CpuStateSpec } from '../sim/types.ts';
import { STATE_STYLES, stateLut, stateStyles, type Theme } from './palette.ts';

const key = ([r, g, b]: readonly number[]) => `${r},${g},${b}`;

describe('CPU state palette', () => {
  it.each(['light', 'dark'] as Theme[])('gives every state its own colour (%s)', (theme) => {
    const lut = stateLut(theme);
    expect(lut).toHaveLength(CPU_STATES.length);
    expect(new Set(lut.map(key)).size).toBe(CPU_STATES.length);
  });

  it("takes each state's label and glyph from the table, and its texture from its family", () => {
    for (const spec of CPU_STATE_TABLE) {
      const style = STATE_STYLES[spec.name];
      expect([style.label, style.glyph]).toEqual([spec.label, spec.glyph]);
      const texture = { spin: 'hatch', sleep: 'dots' }[spec.family as string] ?? 'none';
      expect(style.texture).toBe(texture);
    }
  });

  it('colours the states to come without a change here', () => {
    // The states an upcoming issue adds, one table line each.
    const upcoming: CpuStateSpec[] = [
      { name: 'lifecycle', label: 'Thread lifecycle', glyph: 'L', family: 'work', description: '' },
      { name: 'ipi', label: 'IPI / TLB flush', glyph: 'I', family: 'work', description: '' },
      { name: 'spinOther', label: 'Spinlock', glyph: 'P', family: 'spin', description: '' },
      { name: 'mmapSleep', label: 'mmap_lock', glyph: 'M', family: 'sleep', description: '' },
      { name: 'childSleep', label: 'child_mutex', glyph: 'C', family: 'sleep', description: '' },
    ];
    const styles = stateStyles([...CPU_STATE_TABLE, ...upcoming]);
    for (const theme of ['light', 'dark'] as const) {
      expect(new Set(styles.map((s) => key(s[theme]))).size).toBe(styles.length);
    }
  });
});
