/**
 * Numbers with units for people: simulated durations and counts. The only duration formatter;
 * the panels and the CLI pick a style, not a function.
 */
import { ticks as niceTicks, tickStep } from 'd3-array';
import { format, precisionFixed } from 'd3-format';

/**
 * - `readout` (panels, axes): three significant digits in a human unit, down to ns: "50.5 h",
 *   "20.0 min", "236 s", "67.3 ms", "1.50 µs", "0 s" (minutes from 1000 s, hours from 100 min,
 *   so seconds run to 999 s as perf prints them).
 * - `table` (the CLI's lock table): three decimals, ASCII, nothing below us, so columns of
 *   perf-like figures line up: "78.520 ms", "7.342 s", "0.000 us".
 */
export type DurationStyle = 'readout' | 'table';

interface Unit {
  readonly ns: number;
  readonly readout: string;
  readonly table: string;
}

const UNITS: readonly Unit[] = [
  { ns: 1e9, readout: 's', table: 's' },
  { ns: 1e6, readout: 'ms', table: 'ms' },
  { ns: 1e3, readout: 'µs', table: 'us' },
  { ns: 1, readout: 'ns', table: 'ns' },
];
const MICROSECONDS = UNITS[2] as Unit;
const NANOSECONDS = UNITS[3] as Unit;

/** The readout's unit for `ns`: hours from 100 min, minutes from 1000 s, else s/ms/µs/ns. */
function readoutUnit(ns: number): readonly [number, string] {
  if (ns >= 6000e9) return [3600e9, 'h'];
  if (ns >= 1000e9) return [60e9, 'min'];
  const unit = UNITS.find((u) => ns >= u.ns) ?? NANOSECONDS;
  return [unit.ns, unit.readout];
}

/** A simulated duration in ns with a human unit (see DurationStyle). */
export function formatNs(ns: number, style: DurationStyle = 'readout'): string {
  if (style === 'table') {
    // Scaled from microseconds (the CLI's historical unit), so the printed digits stay those
    // of earlier releases to the last bit.
    const us = ns / 1e3;
    const unit = UNITS.find((u) => u.ns >= 1e3 && us >= u.ns / 1e3) ?? MICROSECONDS;
    return `${(us / (unit.ns / 1e3)).toFixed(3)} ${unit.table}`;
  }
  if (!(ns > 0)) return '0 s';
  const [scaleNs, name] = readoutUnit(ns);
  const value = ns / scaleNs;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${name}`;
}

/**
 * A log axis's label: a power of ten as a whole number of s, ms, µs or ns ("1 ms", "100 s",
 * "1,000 s": seconds from 1 s up, so the decades read as decades, not "16.7 min"); any other
 * value as formatNs().
 */
export function formatDecade(ns: number): string {
  const k = Math.log10(ns);
  if (!(ns > 0) || Math.abs(k - Math.round(k)) > 1e-9) return formatNs(ns);
  const unit = UNITS.find((u) => ns >= u.ns) ?? NANOSECONDS;
  return `${format(',d')(Math.round(ns / unit.ns))} ${unit.readout}`;
}

/** A tick of a time axis: where it is, ns, and its label. */
export interface DurationTick {
  readonly atNs: number;
  readonly label: string;
}

/**
 * About `count` ticks over [fromNs, toNs] at round values of one unit, every label in that unit:
 * "0 min", "20 min", "40 min", not "500 s" beside "16.7 min". The unit is the readout's for the
 * end farther from zero (so an axis to 245 s counts seconds, one to 65 min counts minutes).
 */
export function durationTicks(fromNs: number, toNs: number, count: number): DurationTick[] {
  const lo = Math.min(fromNs, toNs);
  const hi = Math.max(fromNs, toNs);
  const [unitNs, name] = readoutUnit(Math.max(Math.abs(lo), Math.abs(hi)));
  const a = lo / unitNs;
  const b = hi / unitNs;
  if (!(b > a)) return [{ atNs: lo, label: formatNs(lo) }];
  const step = tickStep(a, b, count);
  const label = format(`,.${precisionFixed(step)}f`);
  return niceTicks(a, b, count).map((v) => ({
    atNs: v * unitNs,
    label: v === 0 ? `0 ${name}` : `${label(v)} ${name}`,
  }));
}

/** A profile share: "37.27%". */
export function formatPercent(percent: number): string {
  return `${percent.toFixed(2)}%`;
}

/** "15,872". */
export const formatCount = format(',d');

/** A file's size: "812 B", "45.3 kB", "2.10 MB" (decimal units, as browsers' download lists). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 999_950) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(2)} MB`;
}
