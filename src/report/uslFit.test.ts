import { describe, expect, it } from 'vitest';
import { createPrng } from '../sim/prng.ts';
import { BAD_FIT_RMS, uslPeak, uslThroughput } from './usl.ts';
import { fitUsl } from './uslFit.ts';

/** 12 log-spaced N from 1 to 1024, X from the law with ±1% seeded noise. */
function synthetic(lambda: number, sigma: number, kappa: number, seed: number) {
  const prng = createPrng(seed);
  const ns = Array.from({ length: 12 }, (_, i) => Math.round(Math.pow(1024, i / 11)));
  const xs = ns.map(
    (n) => uslThroughput({ lambda, sigma, kappa }, n) * (1 + 0.02 * (prng.next() - 0.5)),
  );
  return { ns, xs };
}

describe('fitUsl', () => {
  it.each([
    [1000, 0.05, 2e-4],
    [35, 0.3, 1e-4],
    [2e5, 0.01, 1e-3],
    [80, 0.002, 3e-6],
  ])('recovers λ %d, σ %d, κ %d within 5%% from noisy synthetic data', (lambda, sigma, kappa) => {
    const { ns, xs } = synthetic(lambda, sigma, kappa, 7);
    const fit = fitUsl(ns, xs);
    expect(fit).not.toBeNull();
    expect(Math.abs(fit!.sigma / sigma - 1)).toBeLessThan(0.05);
    expect(Math.abs(fit!.kappa / kappa - 1)).toBeLessThan(0.05);
    expect(Math.abs(fit!.lambda / lambda - 1)).toBeLessThan(0.05);
    expect(fit!.good).toBe(true);
    expect(fit!.rmsRelativeError).toBeLessThan(0.01);
    expect(fit!.peakN).toBeCloseTo(Math.sqrt((1 - fit!.sigma) / fit!.kappa), 6);
  });

  it('reports a bad fit for throughput that falls as 1/N² (a cost that grows with N)', () => {
    const ns = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
    const fit = fitUsl(
      ns,
      ns.map((n) => 1e9 / (n * n)),
    );
    expect(fit!.good).toBe(false);
    expect(fit!.rmsRelativeError).toBeGreaterThan(BAD_FIT_RMS);
  });

  it('reports a bad fit for throughput that goes up and down again', () => {
    const ns = [1, 2, 4, 8, 16, 32, 64, 128];
    const fit = fitUsl(
      ns,
      ns.map((n, i) => (i % 2 === 0 ? 100 : 300) * Math.sqrt(n)),
    );
    expect(fit!.good).toBe(false);
  });

  it('needs four points that ran, and ignores points without throughput', () => {
    expect(fitUsl([1, 2, 4], [1, 2, 3])).toBeNull();
    expect(fitUsl([1, 2, 4, 8], [1, 2, 0, 3])).toBeNull();
  });

  it('puts the peak at √((1−σ)/κ), nowhere without coherency, at 1 when fully serialized', () => {
    expect(uslPeak(0.19, 1e-4)).toBeCloseTo(90, 9);
    expect(uslPeak(0.5, 0)).toBe(Infinity);
    expect(uslPeak(1, 0)).toBe(1);
    expect(uslPeak(1, 1e-3)).toBe(1);
  });
});
