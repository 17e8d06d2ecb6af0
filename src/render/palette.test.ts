import { describe, expect, it } from 'vitest';
import { CPU_STATE_TABLE, CPU_STATES } from '../sim/types.ts';
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

  it('gives every state of the table its own colour, in both themes', () => {
    // The thread-lifecycle states (lifecycle, tlbFlush, lockSpin, mmapSleep, childSleep) were
    // added as one table line each, with no change to the palette.
    const styles = stateStyles([...CPU_STATE_TABLE]);
    for (const theme of ['light', 'dark'] as const) {
      expect(new Set(styles.map((s) => key(s[theme]))).size).toBe(styles.length);
    }
  });
});
