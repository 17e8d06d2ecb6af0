/**
 * A seeded PRNG (mulberry32): 32-bit state, integer arithmetic only, so the same seed gives the
 * same stream in Node, in the worker and in tests.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function createPrng(seed: number): Prng {
  // The state in a typed array rather than a closure variable: a uint32 of 2^30 or more is no
  // small integer, so each store of one to a variable made a heap number, once per draw.
  const state = new Uint32Array(1);
  state[0] = seed >>> 0;
  const next = (): number => {
    // The store wraps the sum to 32 bits, as `>>> 0` did.
    state[0] = (state[0] as number) + 0x6d2b79f5;
    let t = state[0];
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}
