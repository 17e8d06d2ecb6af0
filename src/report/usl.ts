/**
 * Gunther's Universal Scalability Law fitted to a sweep's throughput:
 *
 *   X(N) = λ·N / (1 + σ·(N − 1) + κ·N·(N − 1))
 *
 * λ is the throughput of one unit of N, σ the contention (the serialized share: queueing on a
 * shared resource), κ the coherency cost (pairwise exchange: every unit paying for every other,
 * which makes X fall past a peak). The peak is at N* = √((1 − σ)/κ).
 *
 * The fit is least squares on log X (ml-levenberg-marquardt, with the analytic Jacobian), so each
 * point weighs by its relative error whatever its magnitude: a sweep's throughputs span orders of
 * magnitude, and a fit on X itself would follow the largest few and ignore the rest. σ stays in
 * [0, 1] and κ ≥ 0, as the law defines them. LM finds a local minimum, so it starts from a small
 * grid of (σ, κ) and keeps the best.
 *
 * The fit's error is the RMS of the relative errors of the fitted throughput at the points; above
 * BAD_FIT_RMS the law is said not to describe the data. Pure: no DOM.
 *
 * This module holds the law and the fit's types; the fit itself is ./uslFit.ts, apart because
 * its solver (and ml-matrix under it) is most of a sweep's code: the page loads it only when a
 * sweep has points to fit.
 */
/** RMS relative error above which the law does not describe the data (10%). */
export const BAD_FIT_RMS = 0.1;

/** Fewer points than this are not fitted: three parameters through three points say nothing. */
export const MIN_FIT_POINTS = 4;

export interface UslParams {
  /** Throughput at N = 1, in the data's unit (operations per second of simulated time). */
  readonly lambda: number;
  /** Contention, 0..1. */
  readonly sigma: number;
  /** Coherency, ≥ 0. */
  readonly kappa: number;
}

export interface UslFit extends UslParams {
  /** N at the peak of X: √((1 − σ)/κ); Infinity when κ = 0 (no peak), 1 when σ = 1. */
  readonly peakN: number;
  /** RMS of (fitted X / measured X − 1) over the points. */
  readonly rmsRelativeError: number;
  /** The largest |fitted X / measured X − 1|. */
  readonly maxRelativeError: number;
  /** Points fitted. */
  readonly points: number;
  /** rmsRelativeError ≤ BAD_FIT_RMS. */
  readonly good: boolean;
}

/** X(N) under the law. */
export function uslThroughput(params: UslParams, n: number): number {
  return (params.lambda * n) / (1 + params.sigma * (n - 1) + params.kappa * n * (n - 1));
}

/** N* = √((1 − σ)/κ): Infinity when κ = 0, at least 1. */
export function uslPeak(sigma: number, kappa: number): number {
  if (kappa <= 0) return sigma >= 1 ? 1 : Infinity;
  return Math.max(1, Math.sqrt(Math.max(0, 1 - sigma) / kappa));
}
