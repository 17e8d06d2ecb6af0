/**
 * The fit of a sweep: the Universal Scalability Law per design (./uslFit.ts), with the warning
 * when the law does not describe a design's points and why, and a note when it fits but says
 * little. Apart from ./sweep.ts so the page loads the solver only once a sweep has ended.
 */
import { specParts, type DesignSpec } from '../engine/spec.ts';
import type { SweepParam, SweepSpec } from '../scenario/sweep.ts';
import { FLAT_RATIO, percent, type SweepDesignFit, type SweepPoint } from './sweep.ts';
import { BAD_FIT_RMS } from './usl.ts';
import { fitUsl } from './uslFit.ts';

/** Why the law may not describe `design` when `param` is swept: the cost per request that moves. */
function whyNotUsl(design: DesignSpec, param: SweepParam): string {
  const fixedCost = 'the law assumes a fixed cost per request';
  if (specParts(design)?.store === 'list') {
    return param === 'p' || param === 't' || param === 'tasks'
      ? `${fixedCost}, and list's cost grows with the number of tasks: every operation walks every task's breakpoints, C·L list nodes, and here L grows with N`
      : `${fixedCost}, and list's cost grows with the number of tasks and CPUs it walks (C·L list nodes per operation)`;
  }
  if (design === 'ideal')
    return `${fixedCost}; without accounting, what is left is the thread lifecycle, whose locks are not one server`;
  return `${fixedCost}, and this design's cost changes with N (per-CPU loops, histograms, the thread lifecycle's locks)`;
}

export function fitDesign(
  points: readonly SweepPoint[],
  design: DesignSpec,
  param: SweepParam,
): SweepDesignFit {
  const own = points.filter((p) => p.design === design && p.throughput !== null);
  const fit = fitUsl(
    own.map((p) => p.value),
    own.map((p) => p.throughput as number),
  );
  let warning: string | null = null;
  if (fit === null) warning = 'too few points ran to fit the law (4 needed)';
  else if (!fit.good) {
    warning = `the law does not fit: RMS error ${percent(fit.rmsRelativeError)} > ${percent(BAD_FIT_RMS)}; ${whyNotUsl(design, param)}`;
  }
  let note: string | null = null;
  if (fit !== null && fit.good) {
    const xs = own.map((p) => p.throughput as number);
    if (Math.max(...xs) / Math.min(...xs) < FLAT_RATIO) {
      note = `throughput changes by less than ${Math.round((FLAT_RATIO - 1) * 100)}% over the range: N does not limit this design here, so σ, κ and N* describe noise (σ near 1 says the same: more N adds nothing)`;
    }
  }
  return { design, fit, warning, note };
}

export function fitSweep(spec: SweepSpec, points: readonly SweepPoint[]): SweepDesignFit[] {
  return spec.designs.map((d) => fitDesign(points, d, spec.param));
}
