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
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';

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

const SIGMA_STARTS = [0.01, 0.3, 0.99];
/** κ·Nmax² starts: coherency negligible, comparable to contention, dominant. */
const KAPPA_STARTS = [1e-3, 1, 300];

/**
 * Fits the law to (N, X) pairs; points with X ≤ 0 or N < 1 are left out. Null when fewer than
 * MIN_FIT_POINTS remain.
 */
export function fitUsl(ns: readonly number[], xs: readonly number[]): UslFit | null {
  const pointsN: number[] = [];
  const logX: number[] = [];
  ns.forEach((n, i) => {
    const x = xs[i];
    if (x !== undefined && x > 0 && Number.isFinite(x) && n >= 1) {
      pointsN.push(n);
      logX.push(Math.log(x));
    }
  });
  if (pointsN.length < MIN_FIT_POINTS) return null;
  // Fitted unconstrained, so no bound can trap a step: σ = logistic(u) stays in (0, 1) and
  // κ = e^v / scale² stays positive (scaled by the largest N, so v is of order one where κ
  // matters). Parameters: [ln λ, u, v].
  const scale = Math.max(...pointsN);
  const scale2 = scale * scale;
  const sigmaOf = (u: number) => 1 / (1 + Math.exp(-u));
  const kappaOf = (v: number) => Math.exp(v) / scale2;
  const denominator = (sigma: number, kappa: number, n: number) =>
    1 + sigma * (n - 1) + kappa * n * (n - 1);
  const model =
    ([a, u, v]: number[]) =>
    (n: number): number =>
      (a as number) +
      Math.log(n) -
      Math.log(denominator(sigmaOf(u as number), kappaOf(v as number), n));
  const jacobian =
    ([, u, v]: number[]) =>
    (n: number): number[] => {
      const sigma = sigmaOf(u as number);
      const kappa = kappaOf(v as number);
      const d = denominator(sigma, kappa, n);
      return [1, (-(n - 1) * sigma * (1 - sigma)) / d, (-n * (n - 1) * kappa) / d];
    };
  const sse = (params: number[]): number => {
    const f = model(params);
    return pointsN.reduce((sum, n, i) => sum + (f(n) - (logX[i] as number)) ** 2, 0);
  };

  let best: number[] | null = null;
  let bestError = Infinity;
  for (const s0 of SIGMA_STARTS) {
    for (const k0 of KAPPA_STARTS) {
      // ln λ that best matches the data for this start's σ and κ.
      const a0 =
        pointsN.reduce(
          (sum, n, i) =>
            sum + (logX[i] as number) - Math.log(n) + Math.log(denominator(s0, k0 / scale2, n)),
          0,
        ) / pointsN.length;
      let parameterValues: number[];
      try {
        parameterValues = levenbergMarquardt({ x: pointsN, y: logX }, model, {
          initialValues: [a0, Math.log(s0 / (1 - s0)), Math.log(k0)],
          jacobianFunction: jacobian,
          maxIterations: 100,
          errorTolerance: 1e-14,
        }).parameterValues;
      } catch {
        // A start that runs the parameters off to where the normal equations are singular
        // (data the law cannot follow): the other starts answer.
        continue;
      }
      const error = sse(parameterValues);
      if (Number.isFinite(error) && error < bestError) {
        bestError = error;
        best = parameterValues;
      }
    }
  }
  if (best === null) return null;
  const [a, u, v] = best as [number, number, number];
  const params: UslParams = {
    lambda: Math.exp(a),
    sigma: sigmaOf(u),
    kappa: kappaOf(v),
  };
  const relative = pointsN.map(
    (n, i) => uslThroughput(params, n) / Math.exp(logX[i] as number) - 1,
  );
  const rms = Math.sqrt(relative.reduce((sum, r) => sum + r * r, 0) / relative.length);
  return {
    ...params,
    peakN: uslPeak(params.sigma, params.kappa),
    rmsRelativeError: rms,
    maxRelativeError: Math.max(...relative.map(Math.abs)),
    points: pointsN.length,
    good: rms <= BAD_FIT_RMS,
  };
}
