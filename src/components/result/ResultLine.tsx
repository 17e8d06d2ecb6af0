import { memo } from 'react';
import type { DesignId } from '../../engine/types.ts';
import { formatCount } from '../../report/format.ts';
import { mixedComparisonText, mixedResultLines, resultLines } from '../../report/perfBench.ts';
import { publishedResultLines, publishedSpeedupPerOp } from '../../report/published.ts';
import { ratioText, speedupText } from '../../report/speedup.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { RunResult } from '../../sim/types.ts';
import type { ColumnId } from '../../worker/protocol.ts';

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
  const published = publishedResultLines(scenario, design);
  const publishedRatio = baseline ? publishedSpeedupPerOp(scenario, baseline.design, design) : null;
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
              ? mixedComparisonText(baseline, result)
              : speedupText(baseline.totalTimeNs, result.totalTimeNs)}
          </strong>
          {publishedRatio !== null && ` (published: ${ratioText(publishedRatio)} per op)`}
        </p>
      )}
    </section>
  );
});
