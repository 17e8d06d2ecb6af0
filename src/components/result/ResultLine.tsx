import { memo } from 'react';
import type { DesignSpec } from '../../engine/spec.ts';
import type { Comparison } from '../../derive/comparison.ts';
import { formatCount, formatNs } from '../../report/format.ts';
import { mixedResultLines, resultLines, worstAccountingLock } from '../../report/perfBench.ts';
import { publishedResultLines, publishedSpeedupPerOp } from '../../report/published.ts';
import { ratioText } from '../../report/speedup.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { RunResult } from '../../sim/types.ts';
import type { RunStatus } from '../../state/runStore.ts';
import type { ColumnId } from '../../worker/protocol.ts';
import { resultFiles } from '../shared/exportFiles.ts';
import { PanelExport } from '../shared/PanelExport.tsx';

interface Props {
  readonly column: ColumnId;
  readonly scenario: Scenario;
  readonly design: DesignSpec;
  readonly result: RunResult | null;
  readonly status: RunStatus;
  /** The page's one comparison of A with B (the race bar and the header read the same). */
  readonly comparison: Comparison;
  /** The previous finished result of this column, when the scenario or design changed since. */
  readonly before: RunResult | null;
  /** Column A's design, for the published per-op speedup beside B's. */
  readonly baselineDesign: DesignSpec;
}

/** The figure a column is compared by: the timed region, or the worst wait for the mixed workload. */
function headline(result: RunResult, scenario: Scenario): string {
  if (result.openError) return 'failed to open';
  if (scenario.workload === 'mixed') {
    const worst = worstAccountingLock(result);
    return worst ? `p99 wait ${formatNs(worst.wait.p99Ns)}` : 'no accounting lock';
  }
  return formatNs(result.totalTimeNs);
}

/** The accounting operations and why the lock table counts a few more acquisitions. */
function operationsText(result: RunResult, scenario: Scenario): string {
  const worst = worstAccountingLock(result);
  const extra = worst ? worst.acquisitions - result.accountingOps : 0;
  const base = `accounting operations ${formatCount(result.accountingOps)}`;
  if (extra <= 0 || scenario.workload !== 'thread') return base;
  return (
    `${base} (the threads' reserves and releases; the lock table's ${formatCount(worst?.acquisitions ?? 0)} ` +
    `acquisitions add the main thread's ${formatCount(extra)} untimed opens and closes of its ` +
    `${scenario.thread.breakpoints} breakpoints)`
  );
}

function comparisonLine(column: ColumnId, comparison: Comparison): string {
  switch (comparison.kind) {
    case 'pending':
      return 'Comparison: when both runs finish.';
    case 'openError':
      return 'Comparison: none, perf bench failed to open its breakpoints.';
    case 'times':
    case 'mixed':
      return column === 'B'
        ? `B over A: ${comparison.text}`
        : 'A is the baseline the comparison is against.';
    default: {
      const unreachable: never = comparison;
      return unreachable;
    }
  }
}

/** perf bench's result lines for this column, the published ones for the seed, and the speedup. */
export const ResultLine = memo(function ResultLine({
  column,
  scenario,
  design,
  result,
  status,
  comparison,
  before,
  baselineDesign,
}: Props) {
  const published = publishedResultLines(scenario, design);
  const publishedRatio =
    column === 'B' && comparison.kind === 'times'
      ? publishedSpeedupPerOp(scenario, baselineDesign, design)
      : null;
  const perfText =
    result === null
      ? null
      : result.openError
        ? `perf_event_open: No space left on device (ENOSPC)\nperf bench failed to open its ${scenario.thread.breakpoints} breakpoints: nothing was timed.`
        : (scenario.workload === 'mixed' ? mixedResultLines(result) : resultLines(result)).join(
            '\n',
          );
  return (
    <section className="result" aria-label={`Result of design ${column}`}>
      <PanelExport
        column={column}
        panel="result"
        title="Result"
        when=""
        images={result !== null}
        files={resultFiles(column, result, perfText)}
      />
      {result === null ? (
        <p className="placeholder perf-lines">
          {status === 'cancelled'
            ? 'Cancelled: no result. Run again to simulate.'
            : status === 'refused' || status === 'failed'
              ? 'No result.'
              : 'Result appears when the run finishes.'}
        </p>
      ) : (
        <pre className="perf-lines">{perfText}</pre>
      )}
      <p className="published">
        {published ? (
          <>
            <span className="tag">published</span> {published.join(' · ')}
          </>
        ) : (
          ' '
        )}
      </p>
      <p className="readout">
        {result
          ? `Peak live threads ${formatCount(result.peakLiveThreads)} · ${operationsText(result, scenario)}${
              result.enospc > 0 ? ` · ENOSPC ${formatCount(result.enospc)}` : ''
            }`
          : ' '}
      </p>
      <p className="change">
        {result && before ? (
          <>
            Since the last run: {headline(before, scenario)} →{' '}
            <strong>{headline(result, scenario)}</strong>
          </>
        ) : (
          ' '
        )}
      </p>
      <p className="speedup">
        <strong>{comparisonLine(column, comparison)}</strong>
        {publishedRatio !== null && ` (published: ${ratioText(publishedRatio)} per op)`}
      </p>
    </section>
  );
});
