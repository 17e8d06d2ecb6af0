/**
 * The simulated perf report as percentages of busy CPU time (idle excluded), by kernel symbol:
 * the CLI's profile lines and JSON `profile`, and the page's profile rows, from one computation.
 */
import { PROFILE_SYMBOLS, type ProfileSymbol, type RunResult } from '../sim/types.ts';
import type { PublishedProfile } from './published.ts';

export interface ProfileRow {
  readonly symbol: ProfileSymbol;
  readonly percent: number;
  /** The published figure for this symbol, when there is one for this scenario and design. */
  readonly publishedPercent: number | null;
}

interface Share {
  readonly symbol: ProfileSymbol;
  readonly ns: number;
  readonly percent: number;
}

/** Every symbol's share, in PROFILE_SYMBOLS order; empty when no CPU time was recorded. */
function profileShares(result: RunResult): Share[] {
  let totalNs = 0;
  for (const symbol of PROFILE_SYMBOLS) totalNs += result.profileNs[symbol] ?? 0;
  if (totalNs <= 0) return [];
  return PROFILE_SYMBOLS.map((symbol) => {
    const ns = result.profileNs[symbol] ?? 0;
    return { symbol, ns, percent: (100 * ns) / totalNs };
  });
}

/** Symbol → percent for every symbol that took time, in PROFILE_SYMBOLS order (the JSON field). */
export function profilePercent(result: RunResult): Record<string, number> {
  return Object.fromEntries(
    profileShares(result)
      .filter((share) => share.ns > 0)
      .map((share) => [share.symbol, share.percent]),
  );
}

export interface ProfileRowOptions {
  /** At most this many rows. */
  readonly limit?: number;
  /** Symbols that took time but less than this share are left out, unless published. */
  readonly minPercent?: number;
}

/**
 * Rows sorted by share, largest first (ties in PROFILE_SYMBOLS order). A symbol is shown when it
 * took time and at least `minPercent` (default 0.05), or when it has a published figure.
 */
export function profileRows(
  result: RunResult,
  published: PublishedProfile | null,
  { limit = 8, minPercent = 0.05 }: ProfileRowOptions = {},
): ProfileRow[] {
  return profileShares(result)
    .map((share) => ({ ...share, publishedPercent: published?.[share.symbol] ?? null }))
    .filter((row) => (row.ns > 0 && row.percent >= minPercent) || row.publishedPercent !== null)
    .sort((a, b) => b.percent - a.percent)
    .slice(0, limit)
    .map(({ symbol, percent, publishedPercent }) => ({ symbol, percent, publishedPercent }));
}
