/**
 * The one comparison of design A with design B that the race bar, the speedup line, the header's
 * narrative and the panel captions all read, so no two of them can disagree.
 *
 * perf bench times the region from the first clone to the last join ("Total time",
 * `result.totalTimeNs`); the simulation goes on after it (the main thread closes its breakpoints,
 * the last threads exit) until `result.endNs`. The comparison is of the timed region only; the
 * trailing work is carried along so the race bar can draw it, marked as untimed.
 *
 * Worked example (the seed, list against final): A timed 236 s, B timed 67.7 ms, ratio 3,490
 * (A's time over B's), faster 'B', text "3,490× faster" (B against A).
 */
import { sameDesignRun } from '../engine/spec.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { LockStats, RunResult } from '../sim/types.ts';
import { mixedComparisonText, worstAccountingLock } from '../report/perfBench.ts';
import { speedupText } from '../report/speedup.ts';

/** A column of the page, as derive names it (the worker protocol's ColumnId has the same values). */
export type Side = 'A' | 'B';

/** One run on the race bar: its timed region and the untimed work that trails it. */
export interface RaceSpan {
  readonly timedNs: number;
  /** From the end of the timed region to the run's end (releases and exits after the last join). */
  readonly trailingNs: number;
  /** perf bench could not open its breakpoints: nothing was timed. */
  readonly failed: boolean;
}

export type Comparison =
  | {
      /** One run has no result yet, or the two ran different scenarios. */
      readonly kind: 'pending';
    }
  | {
      /** perf bench failed to open its breakpoints (ENOSPC) in at least one column. */
      readonly kind: 'openError';
      readonly failed: readonly Side[];
      readonly spans: Readonly<Record<Side, RaceSpan>>;
    }
  | {
      /** perf bench's timed regions, compared. */
      readonly kind: 'times';
      readonly spans: Readonly<Record<Side, RaceSpan>>;
      /** A's time over B's: above 1 when B is faster. */
      readonly ratio: number;
      /** The faster side, or null when the two are within half a percent. */
      readonly faster: Side | null;
      /** B against A: "3,490× faster", "1.03× slower", "the same". */
      readonly text: string;
      readonly sameDesign: boolean;
    }
  | {
      /** The mixed workload runs a fixed time: the designs compare by the worst accounting wait. */
      readonly kind: 'mixed';
      readonly spans: Readonly<Record<Side, RaceSpan>>;
      readonly worst: Readonly<Record<Side, LockStats | null>>;
      /** A's p99 over B's (1 when neither waits). */
      readonly ratio: number;
      readonly faster: Side | null;
      /** B against A: "12.5× shorter p99 accounting wait", "no accounting wait (A waits)". */
      readonly text: string;
      readonly sameDesign: boolean;
    };

/** A run's place on the race bar. The timed region is perf bench's; the rest is untimed. */
export function raceSpan(result: RunResult): RaceSpan {
  const failed = result.openError !== null;
  const timedNs = failed ? 0 : result.totalTimeNs;
  return { timedNs, trailingNs: Math.max(0, result.endNs - timedNs), failed };
}

function fasterOf(ratio: number): Side | null {
  if (Math.abs(ratio - 1) < 0.005) return null;
  return ratio > 1 ? 'B' : 'A';
}

function mixedComparison(
  a: RunResult,
  b: RunResult,
  spans: Record<Side, RaceSpan>,
  sameDesign: boolean,
): Comparison {
  const worst = { A: worstAccountingLock(a), B: worstAccountingLock(b) };
  const aP99 = worst.A?.wait.p99Ns ?? 0;
  const bP99 = worst.B?.wait.p99Ns ?? 0;
  // A's p99 over B's; the text is the CLI's and the page's one wording of it.
  const ratio = aP99 === 0 && bP99 === 0 ? 1 : bP99 === 0 ? Infinity : aP99 === 0 ? 0 : aP99 / bP99;
  const text = mixedComparisonText(a, b);
  return { kind: 'mixed', spans, worst, ratio, faster: fasterOf(ratio), text, sameDesign };
}

/**
 * A against B, or 'pending' while either result is missing. `scenario` is the one both ran, or
 * null when they ran different ones (the caller knows the runs' scenarios).
 */
export function compareRuns(
  a: RunResult | null,
  b: RunResult | null,
  scenario: Scenario | null,
): Comparison {
  if (!a || !b || !scenario) return { kind: 'pending' };
  const spans = { A: raceSpan(a), B: raceSpan(b) };
  const failed = (['A', 'B'] as const).filter((side) => spans[side].failed);
  if (failed.length > 0) return { kind: 'openError', failed, spans };
  // A composition equal to a named design runs that design's engine: the same run.
  const sameDesign = sameDesignRun(a.design, b.design);
  // The mixed workload has no timed region: both ran the scenario's fixed duration.
  if (scenario.workload === 'mixed') return mixedComparison(a, b, spans, sameDesign);
  const ratio = spans.B.timedNs > 0 ? spans.A.timedNs / spans.B.timedNs : 1;
  return {
    kind: 'times',
    spans,
    ratio,
    faster: fasterOf(ratio),
    text: speedupText(spans.A.timedNs, spans.B.timedNs),
    sameDesign,
  };
}
