import { memo } from 'react';
import type { DesignId } from '../../engine/types.ts';
import {
  formatCount,
  mixedResultLines,
  resultLines,
  speedupText,
  worstAccountingLock,
} from '../../derive/perfFormat.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../../scenario/scenario.ts';
import { sameScenario } from '../../scenario/url.ts';
import type { RunResult } from '../../sim/types.ts';
import type { ColumnId } from '../../worker/protocol.ts';

/** The series' published results for the seed scenario (kernel-model.md section 6). */
const PUBLISHED_RESULTS: Partial<Record<DesignId, readonly [string, string, string]>> = {
  list: ['Total time: 236.418 [sec]', '123134.794271 usecs/op', '7880626.833333 usecs/op/cpu'],
  final: ['Total time: 0.067 [sec]', '35.292187 usecs/op', '2258.700000 usecs/op/cpu'],
  ideal: ['Total time: 0.067 [sec]', '35.286458 usecs/op', '2258.333333 usecs/op/cpu'],
};

/** Mixed runs last the same time; they compare by the worst accounting wait (p99). */
function mixedSpeedup(a: RunResult, b: RunResult): string {
  const aP99 = worstAccountingLock(a)?.wait.p99Ns ?? 0;
  const bP99 = worstAccountingLock(b)?.wait.p99Ns ?? 0;
  if (aP99 === 0 && bP99 === 0) return 'neither waits on accounting locks';
  if (bP99 === 0) return 'no accounting wait (A waits)';
  if (aP99 === 0) return 'waits on accounting locks (A does not)';
  return `${speedupText(aP99, bP99).replace('faster', 'shorter').replace('slower', 'longer')} p99 accounting wait`;
}

interface Props {
  readonly column: ColumnId;
  readonly scenario: Scenario;
  readonly design: DesignId;
  readonly result: RunResult | null;
  /** Column A's result, for B's speedup line. */
  readonly baseline: RunResult | null;
}

/** perf bench's result lines for this column, the published ones for the seed, and the speedup. */
export const ResultLine = memo(function ResultLine({
  column,
  scenario,
  design,
  result,
  baseline,
}: Props) {
  const published = sameScenario(scenario, DEFAULT_SCENARIO)
    ? PUBLISHED_RESULTS[design]
    : undefined;
  return (
    <section className="result" aria-label={`Result of design ${column}`}>
      {result === null ? (
        <p className="placeholder">Result appears when the run finishes.</p>
      ) : result.openError ? (
        <pre className="perf-lines">perf_event_open: No space left on device (ENOSPC)</pre>
      ) : (
        <pre className="perf-lines">
          {(scenario.workload === 'mixed' ? mixedResultLines(result) : resultLines(result)).join(
            '\n',
          )}
        </pre>
      )}
      {published && (
        <p className="published">
          <span className="tag">published</span> {published.join(' · ')}
        </p>
      )}
      {result && (
        <p className="readout">
          Peak live threads {formatCount(result.peakLiveThreads)} · accounting operations{' '}
          {formatCount(result.accountingOps)}
          {result.enospc > 0 ? ` · ENOSPC ${formatCount(result.enospc)}` : ''}
        </p>
      )}
      {column === 'B' && result && baseline && (
        <p className="speedup">
          B over A:{' '}
          <strong>
            {scenario.workload === 'mixed'
              ? mixedSpeedup(baseline, result)
              : speedupText(baseline.totalTimeNs, result.totalTimeNs)}
          </strong>
        </p>
      )}
    </section>
  );
});
