/**
 * How much faster one run is than another, from two durations (or two waits) in ns. One ratio,
 * two renderings: prose for the page ("3,492× faster") and a table cell for the CLI ("3634.1x").
 */
import { format } from 'd3-format';

/** baseline / candidate, or null when either is not a positive duration. */
export function speedupRatio(baselineNs: number, candidateNs: number): number | null {
  return baselineNs > 0 && candidateNs > 0 ? baselineNs / candidateNs : null;
}

const groupedRatio = format(',.0f');
const smallRatio = format('.2f');

/** The words for "less time" and "more time": runs are faster or slower, waits shorter or longer. */
export interface SpeedupWords {
  readonly less: string;
  readonly more: string;
}
export const RUN_WORDS: SpeedupWords = { less: 'faster', more: 'slower' };
export const WAIT_WORDS: SpeedupWords = { less: 'shorter', more: 'longer' };

/** "3,490× faster", "1.02× slower", or "the same" for the candidate against the baseline. */
export function speedupText(
  baselineNs: number,
  candidateNs: number,
  words: SpeedupWords = RUN_WORDS,
): string {
  return ratioText(speedupRatio(baselineNs, candidateNs), words);
}

/** speedupText for a ratio already computed (baseline / candidate). */
export function ratioText(ratio: number | null, words: SpeedupWords = RUN_WORDS): string {
  if (ratio === null || Math.abs(ratio - 1) < 0.005) return 'the same';
  const describe = (r: number): string => (r >= 100 ? groupedRatio(r) : smallRatio(r));
  return ratio > 1 ? `${describe(ratio)}× ${words.less}` : `${describe(1 / ratio)}× ${words.more}`;
}

/** The CLI's table cell: "3634.1x", or "-" when there is no ratio. */
export function speedupCell(ratio: number | null): string {
  return ratio === null ? '-' : `${ratio.toFixed(1)}x`;
}
