/**
 * The Universal Scalability Law's fit (./usl.ts explains the law and the method): least squares
 * on log X with ml-levenberg-marquardt, from a small grid of starts. Apart from ./usl.ts so the
 * page can load the solver only when it has points to fit.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import {
  BAD_FIT_RMS,
  MIN_FIT_POINTS,
  uslPeak,
  uslThroughput,
  type UslFit,
  type UslParams,
} from './usl.ts';

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
