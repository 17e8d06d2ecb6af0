import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scaleLog } from 'd3-scale';
import { select } from 'd3-selection';
import { useEffect, useRef } from 'react';
import { durationTicks } from '../../report/format.ts';

interface Props {
  /** `time`: a linear axis of ns, its ticks at round values of one unit (durationTicks()). */
  readonly kind?: 'linear' | 'log' | 'time';
  readonly domain: readonly [number, number];
  readonly rangePx: readonly [number, number];
  readonly orient: 'bottom' | 'left';
  readonly transform?: string;
  readonly ticks?: number;
  readonly format?: (value: number) => string;
}

/**
 * A d3-axis drawn into an SVG group that React owns. It takes the scale's numbers rather than a
 * scale object, so it redraws only when they change (not on every render of its panel).
 */
export function Axis({
  kind = 'linear',
  domain,
  rangePx,
  orient,
  transform,
  ticks = 5,
  format,
}: Props) {
  const ref = useRef<SVGGElement>(null);
  const [d0, d1] = domain;
  const [r0, r1] = rangePx;
  useEffect(() => {
    if (!ref.current) return;
    const scale = (kind === 'log' ? scaleLog() : scaleLinear()).domain([d0, d1]).range([r0, r1]);
    const axis = (orient === 'bottom' ? axisBottom(scale) : axisLeft(scale)).ticks(ticks);
    if (kind === 'time') {
      const timeTicks = durationTicks(d0, d1, ticks);
      const labels = new Map(timeTicks.map((t) => [t.atNs, t.label]));
      axis.tickValues(timeTicks.map((t) => t.atNs)).tickFormat((v) => labels.get(Number(v)) ?? '');
      select(ref.current).call(axis);
      return;
    }
    // A log axis over a decade or more labels only the powers of ten; the rest stay as ticks.
    const decadesOnly = kind === 'log' && Math.log10(d1 / d0) >= 1;
    const scaleFormat = scale.tickFormat(ticks);
    axis.tickFormat((value) => {
      const v = Number(value);
      if (decadesOnly && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) > 1e-9) return '';
      return format ? format(v) : scaleFormat(v);
    });
    select(ref.current).call(axis);
  }, [kind, d0, d1, r0, r1, orient, ticks, format]);
  return <g ref={ref} className="axis" transform={transform} aria-hidden="true" />;
}
