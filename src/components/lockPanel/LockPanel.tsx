import { memo, useId, useState, type PointerEvent } from 'react';
import { scaleLinear, scaleLog, type ScaleLinear } from 'd3-scale';
import { waitDistribution, waiterSeries, type WaiterPoint } from '../../derive/locks.ts';
import { formatCount, formatDecade, formatNs } from '../../report/format.ts';
import { isAccountingLock } from '../../report/perfBench.ts';
import { niceSpanNs, waiterPaths } from '../../render/timeSeries.ts';
import type { LockStats, SampleColumns } from '../../sim/types.ts';
import { Axis } from '../shared/Axis.tsx';
import { lockFiles } from '../shared/exportFiles.ts';
import { PanelExport } from '../shared/PanelExport.tsx';
import type { ColumnId } from '../../worker/protocol.ts';

interface Props {
  readonly column: ColumnId;
  readonly samples: SampleColumns | null;
  readonly spanNs: number;
  readonly cursor: number | null;
  readonly locks: readonly LockStats[] | null;
  /** What this column's lock panel shows and what to look for (derive/narrative.ts). */
  readonly caption: string;
  /** The timeline's window in this column's ns (linked views), or null for the whole run. */
  readonly windowNs?: readonly [number, number] | null;
  /** A brush across the waiters chart selects that window, in this column's ns. */
  readonly onBrush?: (fromNs: number, toNs: number) => void;
}

const EMPTY: WaiterPoint[] = [];
const W = 420;
const H = 90;
/** The left margin holds the tick labels and the rotated y-axis title. */
const M = { left: 52, bottom: 20, top: 6, right: 8 };

/** The y axis's title, rotated along it: what is counted, with its unit. */
function YTitle({ text }: { readonly text: string }) {
  return (
    <text
      className="axis-title"
      transform={`translate(${-M.left + 10},${H / 2}) rotate(-90)`}
      textAnchor="middle"
    >
      {text}
    </text>
  );
}

function WaitersChart({
  samples,
  spanNs,
  cursor,
  windowNs = null,
  onBrush,
}: Pick<Props, 'samples' | 'spanNs' | 'cursor' | 'windowNs' | 'onBrush'>) {
  const points = samples ? waiterSeries(samples) : EMPTY;
  const [xMinNs, xMaxNs] = windowNs ?? [0, niceSpanNs(spanNs)];
  const paths = waiterPaths(points, xMaxNs, W, H, xMinNs);
  const yMax = Math.max(paths.maxWaiters, 1);
  const x = scaleLinear().domain([xMinNs, xMaxNs]).range([0, W]);
  const brush = useTimeBrush(x, onBrush);
  return (
    <svg
      viewBox={`0 0 ${W + M.left + M.right} ${H + M.top + M.bottom}`}
      role="img"
      aria-label={`Waiters over time${windowNs ? ` from ${formatNs(xMinNs)} to ${formatNs(xMaxNs)}` : ''}: up to ${paths.maxWaiters.toFixed(1)} waiting on accounting locks`}
      {...brush.handlers}
    >
      <clipPath id={brush.clipId}>
        <rect x={M.left} y={0} width={W} height={H + M.top} />
      </clipPath>
      <g transform={`translate(${M.left},${M.top})`}>
        <g clipPath={`url(#${brush.clipId})`} transform={`translate(${-M.left},${-M.top})`}>
          <g transform={`translate(${M.left},${M.top})`}>
            <path d={paths.spinning} className="area-spin" />
            <path d={paths.sleeping} className="area-sleep" />
          </g>
        </g>
        {brush.range && (
          <rect
            className="brush-area"
            x={Math.min(...brush.range)}
            width={Math.abs(brush.range[1] - brush.range[0])}
            y={0}
            height={H}
          />
        )}
        {cursor !== null && cursor * spanNs >= xMinNs && cursor * spanNs <= xMaxNs && (
          <line
            x1={x(cursor * spanNs)}
            x2={x(cursor * spanNs)}
            y1={0}
            y2={H}
            className="cursor-line"
          />
        )}
        <Axis
          kind="time"
          domain={[xMinNs, xMaxNs]}
          rangePx={[0, W]}
          orient="bottom"
          transform={`translate(0,${H})`}
          ticks={4}
        />
        <Axis domain={[0, yMax]} rangePx={[H, 0]} orient="left" ticks={3} />
        <YTitle text="threads waiting" />
      </g>
    </svg>
  );
}

/**
 * A horizontal brush on the chart: a drag across it reports the time span it covers (the timeline
 * and this chart then show that window). Pointer positions are read in the SVG's viewBox units.
 */
function useTimeBrush(
  x: ScaleLinear<number, number>,
  onBrush: ((fromNs: number, toNs: number) => void) | undefined,
) {
  const clipId = useId();
  const [range, setRange] = useState<readonly [number, number] | null>(null);
  const plotX = (event: PointerEvent<SVGSVGElement>): number => {
    const rect = event.currentTarget.getBoundingClientRect();
    const scale = (W + M.left + M.right) / Math.max(1, rect.width);
    return Math.min(W, Math.max(0, (event.clientX - rect.left) * scale - M.left));
  };
  const handlers = onBrush
    ? {
        onPointerDown: (event: PointerEvent<SVGSVGElement>) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          const at = plotX(event);
          setRange([at, at]);
        },
        onPointerMove: (event: PointerEvent<SVGSVGElement>) => {
          if (range) setRange([range[0], plotX(event)]);
        },
        onPointerUp: () => {
          if (range && Math.abs(range[1] - range[0]) >= 3) {
            onBrush(x.invert(Math.min(...range)), x.invert(Math.max(...range)));
          }
          setRange(null);
        },
      }
    : {};
  return { clipId, range, handlers };
}

/** The quantiles the histogram marks: the lock table's when one accounting lock waited. */
interface MarkedQuantiles {
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
  /** Where they come from, for the readout. */
  readonly source: string;
}

/**
 * One source for each lock's p99: once the run is done and a single accounting lock waited, the
 * histogram's marks and readout are that lock's figures from the lock table (every acquisition);
 * otherwise (streaming, or several locks together) the sampled acquisitions', labelled as such.
 */
function markedQuantiles(
  samples: SampleColumns,
  locks: readonly LockStats[] | null,
): MarkedQuantiles {
  const waited = (locks ?? []).filter((l) => isAccountingLock(l.lock) && l.contended > 0);
  const only = waited.length === 1 ? waited[0] : undefined;
  if (only) return { ...only.wait, source: `${only.lock}, every acquisition, as in the table` };
  const dist = waitDistribution(samples);
  const sampled =
    samples.acquisitionStride > 1
      ? `1 in ${formatCount(samples.acquisitionStride)} acquisitions`
      : 'every acquisition';
  return {
    p50Ns: dist.p50Ns,
    p99Ns: dist.p99Ns,
    maxNs: dist.maxNs,
    source: `${waited.length > 1 ? 'all accounting locks together' : 'accounting locks'}, ${sampled}${locks ? '' : ', so far'}`,
  };
}

const WaitHistogram = memo(function WaitHistogram({
  samples,
  locks,
}: {
  readonly samples: SampleColumns | null;
  readonly locks: readonly LockStats[] | null;
}) {
  const viewBox = `0 0 ${W + M.left + M.right} ${H + M.top + M.bottom + 22}`;
  const dist = samples ? waitDistribution(samples) : null;
  if (samples === null || dist === null || dist.bins.length === 0) {
    // The same frame as the histogram, so the panel keeps its height while a run streams in.
    const what = dist === null ? 'waiting for samples…' : 'no sampled acquisition waited';
    return (
      <>
        <svg viewBox={viewBox} role="img" aria-label={`Wait-time histogram: ${what}`}>
          <text
            x={M.left + W / 2}
            y={M.top + 22 + H / 2}
            textAnchor="middle"
            className="mark-label"
          >
            {what}
          </text>
        </svg>
        <p className="readout">
          {dist === null
            ? 'Waiting for samples…'
            : `No sampled acquisition waited (${formatCount(dist.sampled)} sampled).`}
        </p>
      </>
    );
  }
  const marked = markedQuantiles(samples, locks);
  const bins = dist.bins;
  const lo = bins[0]?.x0Ns ?? 1;
  const hi = bins[bins.length - 1]?.x1Ns ?? 10;
  const xMaxNs = Math.max(hi, lo * 10);
  const x = scaleLog().domain([lo, xMaxNs]).range([0, W]);
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const y = scaleLinear().domain([0, maxCount]).range([H, 0]);
  const marks: ReadonlyArray<readonly [string, number]> = [
    ['p50', marked.p50Ns],
    ['p99', marked.p99Ns],
    ['max', marked.maxNs],
  ];
  return (
    <>
      <svg
        viewBox={viewBox}
        role="img"
        aria-label={`Wait-time histogram: p50 ${formatNs(marked.p50Ns)}, p99 ${formatNs(marked.p99Ns)}, max ${formatNs(marked.maxNs)} (${marked.source})`}
      >
        <g transform={`translate(${M.left},${M.top + 22})`}>
          {bins.map((b) => (
            <rect
              key={b.x0Ns}
              x={x(b.x0Ns)}
              width={Math.max(1, x(b.x1Ns) - x(b.x0Ns) - 1)}
              y={y(b.count)}
              height={H - y(b.count)}
              className="bar-wait"
            />
          ))}
          {marks.map(([name, ns], index) =>
            ns > 0 ? (
              <g key={name} transform={`translate(${x(Math.min(Math.max(ns, lo), hi))},0)`}>
                <line y1={name === 'max' ? -14 : -4} y2={H} className={`mark mark-${name}`} />
                <text
                  // max sits a line higher, so it never covers p99 when the two are close.
                  y={name === 'max' ? -16 : -6}
                  x={index === 2 ? -2 : 2}
                  textAnchor={index === 2 ? 'end' : 'start'}
                  className="mark-label"
                >
                  {name}
                </text>
              </g>
            ) : null,
          )}
          <Axis
            kind="log"
            domain={[lo, xMaxNs]}
            rangePx={[0, W]}
            orient="bottom"
            transform={`translate(0,${H})`}
            ticks={4}
            format={formatDecade}
          />
          <Axis domain={[0, maxCount]} rangePx={[H, 0]} orient="left" ticks={3} />
          <YTitle text="sampled acquisitions" />
        </g>
      </svg>
      <p className="readout">
        p50 {formatNs(marked.p50Ns)} · p99 {formatNs(marked.p99Ns)} · max {formatNs(marked.maxNs)} (
        {marked.source}) · bars: {formatCount(dist.sampled - dist.uncontended)} sampled acquisitions
        that waited, by wait time; {formatCount(dist.uncontended)} of {formatCount(dist.sampled)}{' '}
        did not wait
      </p>
    </>
  );
});

/** Waiters on the accounting locks over time, and how long each acquisition waited. */
export const LockPanel = memo(function LockPanel({
  column,
  samples,
  spanNs,
  cursor,
  locks,
  caption,
  windowNs = null,
  onBrush,
}: Props) {
  return (
    <section className="panel lock-panel" aria-label={`Locks, design ${column}`}>
      <div className="panel-head">
        <h3>Locks</h3>
        <a className="model-link" href="#model-2-the-simulated-kernel">
          the model: locks
        </a>
        <PanelExport
          column={column}
          panel="locks"
          title="Locks"
          when={`run of ${formatNs(spanNs)}`}
          images
          files={lockFiles(samples, locks)}
        />
      </div>
      <p className="caption">{caption}</p>
      <ul className="legend" aria-label="Waiters chart">
        <li>
          <span className="swatch swatch-spin" aria-hidden="true" />
          spinning (OSQ, on the owner, rwlock)
        </li>
        <li>
          <span className="swatch swatch-sleep" aria-hidden="true" />
          asleep on the lock
        </li>
        <li>stacked, threads averaged per frame; the histogram below is on a log time scale</li>
      </ul>
      {/* Both charts keep their frames while samples stream in, so the panel never changes height. */}
      <WaitersChart
        samples={samples}
        spanNs={spanNs}
        cursor={cursor}
        windowNs={windowNs}
        onBrush={onBrush}
      />
      <WaitHistogram samples={samples} locks={locks} />
      {locks && locks.length > 0 && (
        <table className="lock-table">
          <caption>Lock statistics for the whole run</caption>
          <thead>
            <tr>
              <th scope="col">lock</th>
              <th scope="col">acquisitions</th>
              <th scope="col">contended</th>
              <th scope="col">p99 wait</th>
              <th scope="col">max wait</th>
            </tr>
          </thead>
          <tbody>
            {locks.map((lock) => (
              <tr key={lock.lock}>
                <th scope="row">{lock.lock}</th>
                <td>{formatCount(lock.acquisitions)}</td>
                <td>{formatCount(lock.contended)}</td>
                <td>{formatNs(lock.wait.p99Ns)}</td>
                <td>{formatNs(lock.wait.maxNs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});
