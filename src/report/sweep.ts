/**
 * A sweep's numbers, for the page and `sim sweep` alike: each point's figures taken from its run,
 * the Universal Scalability Law fitted per design (./usl.ts), the warning when the law does not
 * fit, `list`'s single-server queue prediction (./queueModel.ts), the published figure where a
 * point's scenario is the seed, and the table as text, CSV and JSON.
 *
 * Throughput is what perf bench measures per second of simulated time: 10⁶ / usecs/op (threads
 * created per second) for the thread workload, accounting operations per second for the mixed
 * one (whose usecs/op here is simulated time per operation done).
 */
import { specPreset, type DesignSpec } from '../engine/spec.ts';
import type { Scenario } from '../scenario/scenario.ts';
import {
  SWEEP_PARAMS,
  sweepScenario,
  sweepValues,
  type SweepParam,
  type SweepSpec,
} from '../scenario/sweep.ts';
import type { RunResult } from '../sim/types.ts';
import { formatNs } from './format.ts';
import { worstAccountingLock } from './perfBench.ts';
import { publishedUsecsPerOp } from './published.ts';
import { listQueuePrediction } from './queueModel.ts';
import type { UslFit } from './usl.ts';

export type SweepPointStatus = 'done' | 'refused' | 'failed' | 'ENOSPC';

/** One design at one value of the swept parameter. */
export interface SweepPoint {
  readonly value: number;
  readonly design: DesignSpec;
  readonly status: SweepPointStatus;
  /** Why a point was refused (over the budget) or failed; null when it ran. */
  readonly message: string | null;
  readonly usecsPerOp: number | null;
  /** Operations per second of simulated time (see the module comment). */
  readonly throughput: number | null;
  readonly totalTimeNs: number | null;
  readonly accountingOps: number | null;
  /** The accounting lock that waited longest at p99, and that wait; null when none waited. */
  readonly waitLock: string | null;
  readonly waitP99Ns: number | null;
  readonly events: number | null;
}

/** The point's figures from its run. */
export function pointFromResult(
  scenario: Scenario,
  value: number,
  design: DesignSpec,
  result: RunResult,
): SweepPoint {
  const worst = worstAccountingLock(result);
  const base = {
    value,
    design,
    message: null,
    totalTimeNs: result.totalTimeNs,
    accountingOps: result.accountingOps,
    waitLock: worst?.lock ?? null,
    waitP99Ns: worst?.wait.p99Ns ?? null,
    events: result.events,
  };
  if (result.openError !== null) {
    return { ...base, status: 'ENOSPC', usecsPerOp: null, throughput: null };
  }
  const usecsPerOp =
    scenario.workload === 'mixed'
      ? result.accountingOps > 0
        ? result.totalTimeNs / 1e3 / result.accountingOps
        : null
      : result.usecsPerOp;
  return {
    ...base,
    status: 'done',
    usecsPerOp,
    throughput: usecsPerOp !== null && usecsPerOp > 0 ? 1e6 / usecsPerOp : null,
  };
}

/** A point that did not run: over the budget, or failed. */
export function pointNotRun(
  value: number,
  design: DesignSpec,
  status: 'refused' | 'failed',
  message: string,
): SweepPoint {
  return {
    value,
    design,
    status,
    message,
    usecsPerOp: null,
    throughput: null,
    totalTimeNs: null,
    accountingOps: null,
    waitLock: null,
    waitP99Ns: null,
    events: null,
  };
}

/** Every point of a sweep, as the runs' order: each value, each design. */
export interface SweepJob {
  readonly value: number;
  readonly design: DesignSpec;
  readonly scenario: Scenario;
}

export function sweepJobs(spec: SweepSpec, base: Scenario): SweepJob[] {
  const jobs: SweepJob[] = [];
  for (const value of sweepValues(spec)) {
    const scenario = sweepScenario(base, spec.param, value);
    for (const design of spec.designs) jobs.push({ value, design, scenario });
  }
  return jobs;
}

export interface SweepDesignFit {
  readonly design: DesignSpec;
  /** null with fewer than MIN_FIT_POINTS points that ran. */
  readonly fit: UslFit | null;
  /** Why the law does not describe this design's points; null when it fits. */
  readonly warning: string | null;
  /** A fit that holds but says little: throughput flat over the range. */
  readonly note: string | null;
}

/** Throughput that changes by less than this factor over the range is called flat. */
export const FLAT_RATIO = 1.2;

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`;
}

/** σ to three significant digits, and its distance from 1 when it is that close: "1 − 2.3e-5". */
export function formatSigma(sigma: number): string {
  return sigma > 0.999 && sigma < 1 ? `1 − ${(1 - sigma).toExponential(1)}` : formatParam(sigma);
}

/** Three significant digits, no exponent below 10⁶: σ = 0.0312, κ = 1.52e-5. */
export function formatParam(value: number): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return '∞';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}

/** N*: "∞ (no peak)", "≤ 1 (falls from the start)", "1,234". */
export function formatPeak(peakN: number): string {
  if (!Number.isFinite(peakN)) return '∞ (no peak)';
  if (peakN <= 1) return '≤ 1 (falls from the start)';
  return Math.round(peakN).toLocaleString('en-US');
}

/** The fit's values in one line: "σ 0.0312, κ 1.52e-5, N* 1,234, error 3.1%". */
export function fitLine(fit: UslFit): string {
  return `σ ${formatSigma(fit.sigma)}, κ ${formatParam(fit.kappa)}, N* ${formatPeak(fit.peakN)}, error ${percent(fit.rmsRelativeError)}`;
}

/** What the page and the CLI say a point's queue model and published figure are. */
export function pointReferences(
  base: Scenario,
  param: SweepParam,
  point: Pick<SweepPoint, 'value' | 'design'>,
): { queueUsecsPerOp: number | null; publishedUsecsPerOp: number | null } {
  const scenario = sweepScenario(base, param, point.value);
  return {
    queueUsecsPerOp:
      specPreset(point.design) === 'list'
        ? (listQueuePrediction(scenario)?.usecsPerOp ?? null)
        : null,
    publishedUsecsPerOp: publishedUsecsPerOp(scenario, point.design),
  };
}

// ---------------------------------------------------------------------------------------------
// Output formats
// ---------------------------------------------------------------------------------------------

const CSV_COLUMNS = [
  'param',
  'value',
  'design',
  'status',
  'usecs_per_op',
  'throughput_per_s',
  'total_time_s',
  'accounting_ops',
  'wait_lock',
  'wait_p99_us',
  'queue_model_usecs_per_op',
  'published_usecs_per_op',
  'events',
  'message',
] as const;

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One row per point (value, then design), plus a header; numbers at full precision. */
export function sweepCsv(spec: SweepSpec, base: Scenario, points: readonly SweepPoint[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const p of points) {
    const refs = pointReferences(base, spec.param, p);
    lines.push(
      [
        spec.param,
        p.value,
        p.design,
        p.status,
        p.usecsPerOp,
        p.throughput,
        p.totalTimeNs === null ? null : p.totalTimeNs / 1e9,
        p.accountingOps,
        p.waitLock,
        p.waitP99Ns === null ? null : p.waitP99Ns / 1e3,
        refs.queueUsecsPerOp,
        refs.publishedUsecsPerOp,
        p.events,
        p.message,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** The sweep as one JSON-ready object: the spec, every point, the fit per design. */
export function sweepJson(
  spec: SweepSpec,
  base: Scenario,
  points: readonly SweepPoint[],
  fits: readonly SweepDesignFit[],
) {
  return {
    param: spec.param,
    meaning: SWEEP_PARAMS[spec.param].meaning,
    from: spec.from,
    to: spec.to,
    points: spec.points,
    spacing: spec.spacing,
    designs: spec.designs,
    results: points.map((p) => ({ ...p, ...pointReferences(base, spec.param, p) })),
    fits: fits.map(({ design, fit, warning, note }) => ({
      design,
      warning,
      note,
      fit:
        fit === null
          ? null
          : {
              lambda: fit.lambda,
              sigma: fit.sigma,
              kappa: fit.kappa,
              peakN: Number.isFinite(fit.peakN) ? fit.peakN : null,
              rmsRelativeError: fit.rmsRelativeError,
              maxRelativeError: fit.maxRelativeError,
              points: fit.points,
              good: fit.good,
            },
    })),
  };
}

function usecsCell(us: number | null): string {
  return us === null ? '-' : us.toFixed(3);
}

/** The text table: one line per point, then the fit per design. */
export function sweepText(
  spec: SweepSpec,
  base: Scenario,
  points: readonly SweepPoint[],
  fits: readonly SweepDesignFit[],
): string {
  const info = SWEEP_PARAMS[spec.param];
  const lines = [
    `# Sweep of ${info.label} from ${spec.from} to ${spec.to} (${spec.spacing}), ${spec.designs.join(', ')}`,
    `# ${'value'.padStart(7)}  ${'design'.padEnd(9)} ${'usecs/op'.padStart(18)} ${'ops/s'.padStart(14)}   accounting-lock wait p99   queue model   published`,
  ];
  for (const p of points) {
    const refs = pointReferences(base, spec.param, p);
    const status = p.status === 'done' ? '' : `  ${p.status}${p.message ? `: ${p.message}` : ''}`;
    const wait =
      p.waitP99Ns === null || p.waitLock === null
        ? '-'
        : `${formatNs(p.waitP99Ns, 'table')} (${p.waitLock})`;
    lines.push(
      `  ${String(p.value).padStart(7)}  ${p.design.padEnd(9)} ${usecsCell(p.usecsPerOp).padStart(18)} ${(p.throughput === null ? '-' : p.throughput.toFixed(1)).padStart(14)}   ${wait.padEnd(25)}  ${usecsCell(refs.queueUsecsPerOp).padStart(12)}  ${usecsCell(refs.publishedUsecsPerOp).padStart(10)}${status}`,
    );
  }
  lines.push(
    '',
    `# Universal Scalability Law, X(N) = λN / (1 + σ(N−1) + κN(N−1)); ${info.meaning}:`,
  );
  for (const { design, fit, warning, note } of fits) {
    lines.push(
      `  ${design.padEnd(9)} ${fit === null ? 'no fit' : `λ ${formatParam(fit.lambda)}/s, ${fitLine(fit)}`}`,
    );
    if (warning !== null) lines.push(`            warning: ${warning}`);
    if (note !== null) lines.push(`            note: ${note}`);
  }
  return lines.join('\n') + '\n';
}
