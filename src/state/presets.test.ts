import { describe, expect, it } from 'vitest';
import { checkRunSize } from '../sim/simulation.ts';
import { PRESETS } from './presets.ts';

describe('presets', () => {
  it.each(PRESETS.map((p) => [p.label, p] as const))('fit the page budget (%s)', (_, preset) => {
    expect(checkRunSize(preset.scenario)).toBeNull();
  });
});
