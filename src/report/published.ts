/**
 * The series' published figures (kernel-model.md section 6): the one table the page and the CLI
 * read. Every figure carries its unit and where it was published; ratios between them are
 * computed here, never typed.
 *
 * All were measured by the series' author with `perf bench -r 30 breakpoint thread -b 4 -p 64
 * -t 64` on a 256-CPU machine, which is slotscope's seed scenario (DEFAULT_SCENARIO).
 */
import { specPreset, type DesignSpec } from '../engine/spec.ts';
import type { DesignId } from '../engine/types.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { sameScenario } from '../scenario/url.ts';
import type { ProfileSymbol } from '../sim/types.ts';
import { perfResultLines } from './perfBench.ts';

export type PublishedUnit = 'ms' | 'us/op' | 'us/op/cpu' | '%';

export interface PublishedFigure<U extends PublishedUnit> {
  readonly value: number;
  readonly unit: U;
  readonly source: string;
}

/** perf bench's three result figures. Total time is in ms: perf prints it truncated to ms. */
export interface PublishedBenchResult {
  readonly totalTime: PublishedFigure<'ms'>;
  readonly usecsPerOp: PublishedFigure<'us/op'>;
  readonly usecsPerOpPerCpu: PublishedFigure<'us/op/cpu'>;
}

const ON_SEED = 'perf bench -r 30 breakpoint thread -b 4 -p 64 -t 64 on 256 CPUs';

function benchResult(
  source: string,
  totalTimeMs: number,
  usecsPerOp: number,
  usecsPerOpPerCpu: number,
): PublishedBenchResult {
  const where = `${source}, ${ON_SEED}`;
  return {
    totalTime: { value: totalTimeMs, unit: 'ms', source: where },
    usecsPerOp: { value: usecsPerOp, unit: 'us/op', source: where },
    usecsPerOpPerCpu: { value: usecsPerOpPerCpu, unit: 'us/op/cpu', source: where },
  };
}

export const PUBLISHED_BENCH: Readonly<Partial<Record<DesignId, PublishedBenchResult>>> = {
  list: benchResult(
    'v1 cover letter and patch 1/8; v2-v4 cover letters (before the series)',
    236_418,
    123134.794271,
    7880626.833333,
  ),
  final: benchResult('v2-v4 cover letters (after the series)', 67, 35.292187, 2258.7),
  ideal: benchResult(
    'v1 cover letter; v2 patch 10/13 (constraints accounting disabled)',
    67,
    35.286458,
    2258.333333,
  ),
};

function profileFigure(value: number): PublishedFigure<'%'> {
  return { value, unit: '%', source: `v1 patch 1/8, perf report of ${ON_SEED}, before the series` };
}

/** perf report before the series, kernel symbols, % of samples. */
export const PUBLISHED_LIST_PROFILE: Readonly<
  Partial<Record<ProfileSymbol, PublishedFigure<'%'>>>
> = {
  osq_lock: profileFigure(37.27),
  mutex_spin_on_owner: profileFigure(34.92),
  toggle_bp_slot: profileFigure(12.15),
  __reserve_bp_slot: profileFigure(11.9),
};

/** Percent by symbol, as the profile rows take it. */
export type PublishedProfile = Readonly<Partial<Record<ProfileSymbol, number>>>;

const LIST_PROFILE_PERCENT: PublishedProfile = Object.fromEntries(
  Object.entries(PUBLISHED_LIST_PROFILE).map(([symbol, figure]) => [symbol, figure.value]),
);

/** The published figures describe the seed scenario only. */
function isSeed(scenario: Scenario): boolean {
  return sameScenario(scenario, DEFAULT_SCENARIO);
}

/** The published profile for this scenario and design, or null (only the seed under list). */
export function publishedProfile(scenario: Scenario, design: DesignSpec): PublishedProfile | null {
  return specPreset(design) === 'list' && isSeed(scenario) ? LIST_PROFILE_PERCENT : null;
}

/** perf bench's result lines as published for this scenario and design, or null. */
export function publishedResultLines(
  scenario: Scenario,
  design: DesignSpec,
): readonly string[] | null {
  const preset = specPreset(design);
  const published = preset === null ? undefined : PUBLISHED_BENCH[preset];
  if (published === undefined || !isSeed(scenario)) return null;
  return perfResultLines(
    published.totalTime.value * 1e6,
    published.usecsPerOp.value,
    published.usecsPerOpPerCpu.value,
  );
}

/**
 * The published per-op ratio baseline / candidate on the seed scenario ("~3490x per op" for
 * list over final), or null when either design has no published figure or the scenario is not
 * the seed.
 */
export function publishedSpeedupPerOp(
  scenario: Scenario,
  baseline: DesignSpec,
  candidate: DesignSpec,
): number | null {
  // A composition equal to a named design is that design: its published figure applies.
  const figure = (design: DesignSpec) => {
    const preset = specPreset(design);
    return preset === null ? undefined : PUBLISHED_BENCH[preset];
  };
  const a = figure(baseline);
  const b = figure(candidate);
  if (a === undefined || b === undefined || !isSeed(scenario)) return null;
  return a.usecsPerOp.value / b.usecsPerOp.value;
}

/** The published usecs/op for this scenario and design (the seed scenario only), or null. */
export function publishedUsecsPerOp(scenario: Scenario, design: DesignSpec): number | null {
  const preset = specPreset(design);
  const published = preset === null ? undefined : PUBLISHED_BENCH[preset];
  if (published === undefined || !isSeed(scenario)) return null;
  return published.usecsPerOp.value;
}
