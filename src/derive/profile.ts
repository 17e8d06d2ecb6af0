/**
 * The profile panel's rows: the simulated perf report as percentages of CPU time (idle excluded),
 * and the published profile of the seed scenario (kernel-model.md section 6) for comparison.
 */
import type { DesignId } from '../engine/types.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { sameScenario } from '../scenario/url.ts';
import { PROFILE_SYMBOLS, type ProfileSymbol, type RunResult } from '../sim/types.ts';

export interface ProfileRow {
  readonly symbol: ProfileSymbol;
  readonly percent: number;
  /** The published figure for this symbol, when there is one for this scenario and design. */
  readonly publishedPercent: number | null;
}

/** perf report of `perf bench -r 30 breakpoint thread -b 4 -p 64 -t 64` before the series (v1 1/8). */
export const PUBLISHED_LIST_PROFILE: Readonly<Partial<Record<ProfileSymbol, number>>> = {
  osq_lock: 37.27,
  mutex_spin_on_owner: 34.92,
  toggle_bp_slot: 12.15,
  __reserve_bp_slot: 11.9,
};

/** The published profile applies to the seed scenario run with the list design. */
export function publishedProfile(
  scenario: Scenario,
  design: DesignId,
): Readonly<Partial<Record<ProfileSymbol, number>>> | null {
  return design === 'list' && sameScenario(scenario, DEFAULT_SCENARIO)
    ? PUBLISHED_LIST_PROFILE
    : null;
}

/** Rows sorted by share, largest first; symbols under 0.05% are left out unless published. */
export function profileRows(
  result: RunResult,
  published: Readonly<Partial<Record<ProfileSymbol, number>>> | null,
  limit = 8,
): ProfileRow[] {
  let totalNs = 0;
  for (const symbol of PROFILE_SYMBOLS) totalNs += result.profileNs[symbol] ?? 0;
  if (totalNs <= 0) return [];
  return PROFILE_SYMBOLS.map((symbol) => ({
    symbol,
    percent: (100 * (result.profileNs[symbol] ?? 0)) / totalNs,
    publishedPercent: published?.[symbol] ?? null,
  }))
    .filter((row) => row.percent >= 0.05 || row.publishedPercent !== null)
    .sort((a, b) => b.percent - a.percent)
    .slice(0, limit);
}
