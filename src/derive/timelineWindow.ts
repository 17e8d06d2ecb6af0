/**
 * The timeline's visible window: zoom around a point, pan, clamp, and what the window means in
 * each column's nanoseconds. The window is a pair of fractions 0..1 of the axis's domain, so one
 * window serves both columns: on the shared axis the domain is the longer run (B is a sliver of
 * A), on own axes each column's domain is its own run (as the time cursor is).
 */

import type { TimeAxisMode, TimeWindow } from '../scenario/url.ts';

export type { TimeAxisMode, TimeWindow };

export const FULL_WINDOW: TimeWindow = [0, 1];

/** The narrowest window: a nanosecond on a domain, but never below a billionth of it. */
export function minWindowFraction(domainNs: number): number {
  return Math.max(1e-9, domainNs > 0 ? 1 / domainNs : 1);
}

/** Keeps a window inside 0..1 and at least `minWidth` wide, moving it rather than cutting it. */
export function clampWindow(window: TimeWindow, minWidth = 1e-9): TimeWindow {
  let [lo, hi] = window;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return FULL_WINDOW;
  if (hi - lo < minWidth) {
    const mid = (lo + hi) / 2;
    lo = mid - minWidth / 2;
    hi = mid + minWidth / 2;
  }
  if (hi - lo >= 1) return FULL_WINDOW;
  if (lo < 0) return [0, hi - lo];
  if (hi > 1) return [1 - (hi - lo), 1];
  return [lo, hi];
}

/**
 * Zooms by `factor` (> 1 zooms in) around `at`, a fraction 0..1 across the visible window: the
 * time under `at` stays under it, unless the clamp to the run has to move the window.
 */
export function zoomWindow(
  window: TimeWindow,
  factor: number,
  at: number,
  minWidth = 1e-9,
): TimeWindow {
  const [lo, hi] = window;
  const width = hi - lo;
  const pivot = lo + at * width;
  const next = Math.min(1, Math.max(minWidth, width / factor));
  return clampWindow([pivot - at * next, pivot - at * next + next], minWidth);
}

/** Pans by `by`, a fraction of the visible width (positive moves later); clamped to the run. */
export function panWindow(window: TimeWindow, by: number): TimeWindow {
  const [lo, hi] = window;
  const width = hi - lo;
  const shift = Math.min(1 - hi, Math.max(-lo, by * width));
  return [lo + shift, hi + shift];
}

/** The window spanning two points given as fractions of the domain (a brush). */
export function windowBetween(a: number, b: number, minWidth = 1e-9): TimeWindow {
  return clampWindow([Math.min(a, b), Math.max(a, b)], minWidth);
}

/** The domain the window is a fraction of, for one column, in ns. */
export function axisDomainNs(mode: TimeAxisMode, ownNs: number, otherNs: number): number {
  return mode === 'shared' ? Math.max(ownNs, otherNs) : ownNs;
}

/** A column's visible window in its own ns. */
export function windowNs(window: TimeWindow, domainNs: number): readonly [number, number] {
  return [window[0] * domainNs, window[1] * domainNs];
}

/**
 * The visible window of `column` in its own ns, or null for the whole run: what the lock panel's
 * time series narrows to (linked views). `spans`: each column's time axis (frames.ts spanNs).
 */
export function columnWindowNs(
  view: { readonly timeAxis: TimeAxisMode; readonly window: TimeWindow | null },
  spans: { readonly own: number; readonly other: number },
): readonly [number, number] | null {
  if (view.window === null) return null;
  return windowNs(view.window, axisDomainNs(view.timeAxis, spans.own, spans.other));
}

/** The window (fractions) that shows [fromNs, toNs] of a column: the inverse of columnWindowNs. */
export function windowFromNs(
  timeAxis: TimeAxisMode,
  spans: { readonly own: number; readonly other: number },
  fromNs: number,
  toNs: number,
): TimeWindow | null {
  const domain = axisDomainNs(timeAxis, spans.own, spans.other);
  if (!(domain > 0) || !(toNs > fromNs)) return null;
  const window = windowBetween(fromNs / domain, toNs / domain, minWindowFraction(domain));
  return window[0] <= 0 && window[1] >= 1 ? null : window;
}
