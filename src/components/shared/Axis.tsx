import { axisBottom, axisLeft } from 'd3-axis';
import { select } from 'd3-selection';
import { useEffect, useRef } from 'react';
import type { AxisScale } from 'd3-axis';

interface Props {
  readonly scale: AxisScale<number>;
  readonly orient: 'bottom' | 'left';
  readonly transform?: string;
  readonly ticks?: number;
  readonly format?: (value: number) => string;
}

/** A d3-axis drawn into an SVG group that React owns. */
export function Axis({ scale, orient, transform, ticks = 5, format }: Props) {
  const ref = useRef<SVGGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const axis = (orient === 'bottom' ? axisBottom(scale) : axisLeft(scale)).ticks(ticks);
    if (format) axis.tickFormat((value) => format(Number(value)));
    select(ref.current).call(axis);
  }, [scale, orient, ticks, format]);
  return <g ref={ref} className="axis" transform={transform} aria-hidden="true" />;
}
