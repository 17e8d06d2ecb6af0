/**
 * perf bench's result lines (tools/perf/bench/breakpoint.c, kernel-model.md section 5.1):
 *
 *        Total time: 236.418 [sec]
 *
 *     123134.794271 usecs/op
 *    7880626.833333 usecs/op/cpu
 *
 * Total time is truncated to whole ms, as perf does; the per-op figures print 6 decimals.
 */
import { format } from 'd3-format';
import { LOCK_IDS } from '../engine/types.ts';
import type { RunResult } from '../sim/types.ts';

export function totalTimeLine(totalTimeNs: number): string {
  const ms = Math.floor(totalTimeNs / 1e6);
  const seconds = Math.floor(ms / 1000);
  return `Total time: ${seconds}.${String(ms % 1000).padStart(3, '0')} [sec]`;
}

export function resultLines(result: RunResult): [string, string, string] {
  return [
    totalTimeLine(result.totalTimeNs),
    `${result.usecsPerOp.toFixed(6)} usecs/op`,
    `${result.usecsPerOpPerCpu.toFixed(6)} usecs/op/cpu`,
  ];
}

const groupedRatio = format(',.0f');
const smallRatio = format('.2f');

/** "3,490× faster", "1.02× slower", or "the same" for B against A. */
export function speedupText(aTotalNs: number, bTotalNs: number): string {
  if (aTotalNs <= 0 || bTotalNs <= 0) return 'the same';
  const ratio = aTotalNs / bTotalNs;
  if (Math.abs(ratio - 1) < 0.005) return 'the same';
  const describe = (r: number): string => (r >= 100 ? groupedRatio(r) : smallRatio(r));
  return ratio > 1 ? `${describe(ratio)}× faster` : `${describe(1 / ratio)}× slower`;
}

/** [from, scale, unit]: a unit is used from `from` ns up. Seconds run to 999 s, as perf prints them. */
const UNITS: ReadonlyArray<readonly [number, number, string]> = [
  [6000e9, 3600e9, 'h'],
  [1000e9, 60e9, 'min'],
  [1e9, 1e9, 's'],
  [1e6, 1e6, 'ms'],
  [1e3, 1e3, 'µs'],
  [0, 1, 'ns'],
];

/**
 * Simulated time for axes and readouts, three significant digits in a human unit: "50.5 h",
 * "20.0 min", "236 s", "67.0 ms", "12.5 µs" (minutes from 1000 s, hours from 100 min).
 */
export function formatNs(ns: number): string {
  if (!(ns > 0)) return '0 s';
  const [, scale, unit] = UNITS.find(([from]) => ns >= from) ?? [0, 1, 'ns'];
  const value = ns / scale;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

export const formatCount = format(',d');

/** The locks the accounting takes (engine LockId); other locks (thread_lifecycle) are context. */
const ACCOUNTING_LOCKS: ReadonlySet<string> = new Set(LOCK_IDS);

export function isAccountingLock(lock: string): boolean {
  return ACCOUNTING_LOCKS.has(lock);
}

/** The accounting lock with the worst p99 wait, or null when no accounting lock waited. */
export function worstAccountingLock(result: RunResult): RunResult['locks'][number] | null {
  let worst: RunResult['locks'][number] | null = null;
  for (const lock of result.locks) {
    if (!isAccountingLock(lock.lock)) continue;
    if (!worst || lock.wait.p99Ns > worst.wait.p99Ns) worst = lock;
  }
  return worst;
}

/**
 * The mixed workload has no perf bench timing: it runs for a fixed simulated time. Its result
 * lines say what happened instead: operations, refusals and the worst accounting-lock wait.
 */
export function mixedResultLines(result: RunResult): string[] {
  const worst = worstAccountingLock(result);
  return [
    `Simulated time: ${totalTimeLine(result.totalTimeNs).replace('Total time: ', '')}`,
    `${formatCount(result.accountingOps)} accounting operations, ${formatCount(result.enospc)} ENOSPC`,
    worst
      ? `${worst.lock} wait: p99 ${formatNs(worst.wait.p99Ns)}, max ${formatNs(worst.wait.maxNs)}`
      : 'no accounting lock was taken',
  ];
}
