/**
 * The sweep's log-log plot: one line per design through its points, the USL fit dashed, list's
 * single-server queue dotted, the published figures ringed. React owns the SVG; d3 computes the
 * scales and paths. Each point has a <title>, so hovering it shows its values.
 */
import { format } from 'd3-format';
import { memo } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import {
  line,
  symbol,
  symbolCircle,
  symbolCross,
  symbolDiamond,
  symbolSquare,
  symbolStar,
  symbolTriangle,
  symbolWye,
  type SymbolType,
} from 'd3-shape';
import { specPreset, type DesignSpec } from '../../engine/spec.ts';
import type { DesignId } from '../../engine/types.ts';
import { DEFAULT_SCENARIO } from '../../scenario/scenario.ts';
import { SWEEP_PARAMS, sweepValues } from '../../scenario/sweep.ts';
import { formatDecade, formatNs } from '../../report/format.ts';
import { pointReferences } from '../../report/sweep.ts';
import { uslThroughput } from '../../report/usl.ts';
import { designColor, type Theme } from '../../render/palette.ts';
import type { SweepRun } from '../../state/sweepController.ts';
import { Axis } from '../shared/Axis.tsx';

export type SweepMetric = 'usecs' | 'wait';

const W = 520;
const H = 240;
const M = { left: 84, bottom: 36, top: 8, right: 12 };

/** Each design's point shape: the second cue beside its colour. */
export const DESIGN_SYMBOLS: Readonly<Record<DesignId, SymbolType>> = {
  list: symbolCircle,
  rhltable: symbolSquare,
  sharded: symbolTriangle,
  rwsem: symbolDiamond,
  final: symbolStar,
  ideal: symbolCross,
};

export interface DesignStyle {
  readonly colour: string;
  readonly shape: SymbolType;
}

/**
 * Each design's colour and point shape in a sweep: a named design (or a composition equal to one)
 * its own; other compositions a colour each, in the sweep's order, and one shared shape.
 */
export function designStyles(
  designs: readonly DesignSpec[],
  theme: Theme,
): ReadonlyMap<DesignSpec, DesignStyle> {
  const styles = new Map<DesignSpec, DesignStyle>();
  let composed = 0;
  for (const design of designs) {
    const preset = specPreset(design);
    styles.set(design, {
      colour: designColor(preset, preset === null ? composed++ : 0, theme),
      shape: preset === null ? symbolWye : DESIGN_SYMBOLS[preset],
    });
  }
  return styles;
}

const usecsText = format(',.3~f');
const tickText = format('~s');

interface Series {
  readonly design: DesignSpec;
  readonly points: ReadonlyArray<{ value: number; y: number; title: string }>;
  readonly fit: ReadonlyArray<readonly [number, number]>;
  readonly queue: ReadonlyArray<readonly [number, number]>;
  readonly published: ReadonlyArray<{ value: number; y: number; title: string }>;
}

function seriesOf(run: SweepRun, metric: SweepMetric): Series[] {
  const { spec, scenario } = run;
  const label = SWEEP_PARAMS[spec.param].label;
  const values = sweepValues(spec);
  return spec.designs.map((design) => {
    const points = run.points.flatMap((state) => {
      const p = state.point;
      if (state.design !== design || p === null) return [];
      const y = metric === 'usecs' ? p.usecsPerOp : p.waitP99Ns;
      if (y === null || !(y > 0)) return [];
      const title =
        metric === 'usecs'
          ? `${design} at ${label} ${p.value}: ${usecsText(y)} usecs/op`
          : `${design} at ${label} ${p.value}: ${p.waitLock ?? 'accounting lock'} wait p99 ${formatNs(y)}`;
      return [{ value: p.value, y, title }];
    });
    const fitted = run.fits?.find((f) => f.design === design)?.fit ?? null;
    const fit: Array<readonly [number, number]> = [];
    if (metric === 'usecs' && fitted !== null) {
      const steps = 64;
      for (let i = 0; i <= steps; i++) {
        const n = spec.from * Math.pow(spec.to / spec.from, i / steps);
        const x = uslThroughput(fitted, n);
        if (x > 0) fit.push([n, 1e6 / x]);
      }
    }
    const queue: Array<readonly [number, number]> = [];
    const published: Array<{ value: number; y: number; title: string }> = [];
    if (metric === 'usecs') {
      // The published figures are the seed scenario's: marked at the seed's value whenever the
      // range holds it, a point of the sweep or not (16..4096 in 12 points skips 256).
      const seedValue = SWEEP_PARAMS[spec.param].get(DEFAULT_SCENARIO);
      const marked =
        seedValue >= spec.from && seedValue <= spec.to && !values.includes(seedValue)
          ? [...values, seedValue]
          : values;
      for (const value of marked) {
        const refs = pointReferences(scenario, spec.param, { value, design });
        if (refs.queueUsecsPerOp !== null && values.includes(value)) {
          queue.push([value, refs.queueUsecsPerOp]);
        }
        if (refs.publishedUsecsPerOp !== null) {
          published.push({
            value,
            y: refs.publishedUsecsPerOp,
            title: `${design} published at ${label} ${value} (the seed scenario): ${usecsText(refs.publishedUsecsPerOp)} usecs/op`,
          });
        }
      }
    }
    return { design, points, fit, queue, published };
  });
}

function extent(values: readonly number[]): [number, number] {
  if (values.length === 0) return [1, 10];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    lo /= 2;
    hi *= 2;
  }
  return [lo / 1.15, hi * 1.15];
}

/**
 * Whether two states of a sweep draw alike: the same sweep, fits and points' figures. Progress
 * fractions change many times a second while points run and draw nothing here.
 */
export function sameSweepResults(a: SweepRun, b: SweepRun): boolean {
  return (
    a.id === b.id &&
    a.fits === b.fits &&
    a.points.length === b.points.length &&
    a.points.every((p, i) => p.point === b.points[i]?.point)
  );
}

export const SweepPlot = memo(
  SweepPlotDrawing,
  (a, b) => a.metric === b.metric && a.theme === b.theme && sameSweepResults(a.run, b.run),
);

function SweepPlotDrawing({
  run,
  metric,
  theme,
}: {
  readonly run: SweepRun;
  readonly metric: SweepMetric;
  readonly theme: Theme;
}) {
  const { spec } = run;
  const series = seriesOf(run, metric);
  const xLog = spec.spacing === 'log';
  const x = (xLog ? scaleLog() : scaleLinear()).domain([spec.from, spec.to]).range([0, W]);
  const ys = series.flatMap((s) => [
    ...s.points.map((p) => p.y),
    ...s.queue.map(([, y]) => y),
    ...s.published.map((p) => p.y),
  ]);
  // The fit may swing far outside the data between points; clip it to the data's range instead
  // of letting it set the axis.
  const [y0, y1] = extent(ys);
  const y = scaleLog().domain([y0, y1]).range([H, 0]).clamp(true);
  const path = line<readonly [number, number]>()
    .x(([n]) => x(n))
    .y(([, v]) => y(v));
  const yTitle = metric === 'usecs' ? 'usecs/op (log)' : 'accounting-lock wait p99 (log)';
  const shown = series.reduce((n, s) => n + s.points.length, 0);
  const styles = designStyles(spec.designs, theme);
  const label = SWEEP_PARAMS[spec.param].label;
  return (
    <svg
      className="sweep-plot"
      viewBox={`0 0 ${W + M.left + M.right} ${H + M.top + M.bottom}`}
      role="img"
      aria-label={`${yTitle} against ${label}: ${shown} points of ${spec.designs.join(', ')}`}
    >
      <defs>
        <clipPath id={`sweep-clip-${metric}`}>
          <rect x={0} y={0} width={W} height={H} />
        </clipPath>
      </defs>
      <g transform={`translate(${M.left},${M.top})`}>
        <Axis
          kind={xLog ? 'log' : 'linear'}
          domain={[spec.from, spec.to]}
          rangePx={[0, W]}
          orient="bottom"
          transform={`translate(0,${H})`}
          ticks={6}
          format={tickText}
        />
        <Axis
          kind="log"
          domain={[y0, y1]}
          rangePx={[H, 0]}
          orient="left"
          ticks={5}
          format={metric === 'usecs' ? tickText : formatDecade}
        />
        <text className="axis-title" x={W / 2} y={H + 32} textAnchor="middle">
          {label}
          {xLog ? ' (log)' : ''}
        </text>
        <text
          className="axis-title"
          transform={`translate(${-M.left + 12},${H / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          {yTitle}
        </text>
        <g clipPath={`url(#sweep-clip-${metric})`}>
          {series.map((s) => {
            const colour = styles.get(s.design)?.colour ?? 'currentColor';
            const sorted = [...s.points].sort((a, b) => a.value - b.value);
            return (
              <g key={s.design} data-design={s.design}>
                {s.fit.length > 1 && (
                  <path
                    d={path(s.fit) ?? ''}
                    className="sweep-fit"
                    stroke={colour}
                    fill="none"
                    strokeDasharray="6 4"
                  />
                )}
                {s.queue.length > 1 && (
                  <path
                    d={path(s.queue) ?? ''}
                    className="sweep-queue"
                    stroke={colour}
                    fill="none"
                    strokeDasharray="1.5 3"
                    strokeWidth={2}
                  />
                )}
                {sorted.length > 1 && (
                  <path
                    d={path(sorted.map((p) => [p.value, p.y] as const)) ?? ''}
                    stroke={colour}
                    fill="none"
                    strokeWidth={1.5}
                  />
                )}
              </g>
            );
          })}
        </g>
        {series.map((s) => {
          const style = styles.get(s.design);
          const colour = style?.colour ?? 'currentColor';
          const shape = symbol(style?.shape ?? symbolCircle, 48)() ?? '';
          return (
            <g key={s.design}>
              {s.points.map((p) => (
                <path
                  key={p.value}
                  className="sweep-point"
                  d={shape}
                  transform={`translate(${x(p.value)},${y(p.y)})`}
                  fill={colour}
                >
                  <title>{p.title}</title>
                </path>
              ))}
              {s.published.map((p) => (
                <circle
                  key={`published-${p.value}`}
                  className="sweep-published"
                  cx={x(p.value)}
                  cy={y(p.y)}
                  r={8}
                  stroke={colour}
                  fill="none"
                  strokeWidth={2}
                >
                  <title>{p.title}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </g>
    </svg>
  );
}
