/**
 * perf bench's result lines (tools/perf/bench/breakpoint.c, kernel-model.md section 5.1), for
 * simulated and published results alike, and their counterpart for the mixed workload:
 *
 *        Total time: 236.418 [sec]
 *
 *     123134.794271 usecs/op
 *    7880626.833333 usecs/op/cpu
 *
 * Total time is truncated to whole ms, as perf does; the per-op figures print 6 decimals.
 */
import { LOCK_IDS } from '../engine/types.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { LockStats, RunResult } from '../sim/types.ts';
import { formatCount, formatNs } from './format.ts';
import { WAIT_WORDS, speedupText } from './speedup.ts';

/** "236.418 [sec]": perf's seconds, truncated to ms. */
export function perfSecondsText(totalTimeNs: number): string {
  const ms = Math.floor(totalTimeNs / 1e6);
  const seconds = Math.floor(ms / 1000);
  return `${seconds}.${String(ms % 1000).padStart(3, '0')} [sec]`;
}

export function totalTimeLine(totalTimeNs: number): string {
  return `Total time: ${perfSecondsText(totalTimeNs)}`;
}

/** perf's three result lines, unpadded: the page sets them in a <pre>. */
export function perfResultLines(
  totalTimeNs: number,
  usecsPerOp: number,
  usecsPerOpPerCpu: number,
): [string, string, string] {
  return [
    totalTimeLine(totalTimeNs),
    `${usecsPerOp.toFixed(6)} usecs/op`,
    `${usecsPerOpPerCpu.toFixed(6)} usecs/op/cpu`,
  ];
}

export function resultLines(result: RunResult): [string, string, string] {
  return perfResultLines(result.totalTimeNs, result.usecsPerOp, result.usecsPerOpPerCpu);
}

/** perf's "%14lf": six decimals, right-aligned in 14 columns. */
function lf14(value: number): string {
  return value.toFixed(6).padStart(14);
}

/** The result block exactly as tools/perf/bench/breakpoint.c prints it (the mixed workload's own). */
export function perfBenchText(scenario: Scenario, result: RunResult): string {
  if (scenario.workload === 'mixed') {
    const { tasks, bpsPerTask, cpuBound, churnPerMs, durationMs } = scenario.mixed;
    return [
      `# Running slotscope 'mixed' workload (${result.design}):`,
      `# ${tasks} tasks with ${bpsPerTask} breakpoints each, ${cpuBound} CPU-bound, ${churnPerMs} operations/ms for ${durationMs} ms`,
      ...mixedResultLines(result).map((line) => `     ${line}`),
      '',
    ].join('\n');
  }
  const { repeat, breakpoints, parallelism } = scenario.thread;
  const lines = [
    "# Running 'breakpoint/thread' benchmark:",
    `# Created/joined ${repeat} threads with ${breakpoints} breakpoints and ${parallelism} parallelism`,
  ];
  if (result.openError !== null) {
    lines.push('perf_event_open: No space left on device');
    return lines.join('\n') + '\n';
  }
  lines.push(`     ${totalTimeLine(result.totalTimeNs)}`, '');
  lines.push(
    `  ${lf14(result.usecsPerOp)} usecs/op`,
    `  ${lf14(result.usecsPerOpPerCpu)} usecs/op/cpu`,
  );
  return lines.join('\n') + '\n';
}

/** The locks the accounting takes (engine LockId); other locks (tasklist_lock, mmap_lock, child_mutex, ...) are context. */
const ACCOUNTING_LOCKS: ReadonlySet<string> = new Set(LOCK_IDS);

/** Whether a lock statistic is one of the accounting's locks (the rest are thread lifecycle). */
export function isAccountingLock(lock: string): boolean {
  return ACCOUNTING_LOCKS.has(lock);
}

/** The accounting lock with the worst p99 wait, or null when no accounting lock waited. */
export function worstAccountingLock(result: RunResult): LockStats | null {
  let worst: LockStats | null = null;
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
    `Simulated time: ${perfSecondsText(result.totalTimeNs)}`,
    `${formatCount(result.accountingOps)} accounting operations, ${formatCount(result.enospc)} ENOSPC`,
    worst
      ? `${worst.lock} wait: p99 ${formatNs(worst.wait.p99Ns)}, max ${formatNs(worst.wait.maxNs)}`
      : 'no accounting lock was taken',
  ];
}

/** Mixed runs last the same time; B compares with A by the worst accounting wait (p99). */
export function mixedComparisonText(a: RunResult, b: RunResult): string {
  const aP99 = worstAccountingLock(a)?.wait.p99Ns ?? 0;
  const bP99 = worstAccountingLock(b)?.wait.p99Ns ?? 0;
  if (aP99 === 0 && bP99 === 0) return 'neither waits on accounting locks';
  if (bP99 === 0) return 'no accounting wait (A waits)';
  if (aP99 === 0) return 'waits on accounting locks (A does not)';
  return `${speedupText(aP99, bP99, WAIT_WORDS)} p99 accounting wait`;
}
