import { describe, expect, it } from 'vitest';
import { createPrng } from './prng.ts';

describe('createPrng', () => {
  it('draws mulberry32’s stream: every run and every host draws the same numbers', () => {
    // The 32-bit outputs of the reference mulberry32 for these seeds, over 2^32.
    const draws = (seed: number) => {
      const prng = createPrng(seed);
      return [prng.next(), prng.next(), prng.next()].map((x) => x * 2 ** 32);
    };
    expect(draws(1)).toEqual([2693262067, 11749833, 2265367787]);
    // A state past 2^31 wraps to 32 bits at every step.
    expect(draws(0xffffffff)).toEqual([3850105811, 813802916, 3073704848]);
  });

  it('draws integers below n', () => {
    const prng = createPrng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const k = prng.int(5);
      expect(Number.isInteger(k) && k >= 0 && k < 5).toBe(true);
      seen.add(k);
    }
    expect(seen.size).toBe(5);
  });
});
