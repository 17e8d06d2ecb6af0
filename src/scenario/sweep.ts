/**
 * A scaling sweep: one scenario parameter varied over a range, every point run for each of a few
 * designs. This module holds what a sweep *is* (the parameters that can be swept, the range and
 * its points, the check of a range) and its URL keys; the fit and the tables live in
 * src/report/sweep.ts, the runs in the CLI (src/cli/sweep.ts) and the page (src/state/).
 *
 *   ?sw=cpus&sw.from=16&sw.to=4096&sw.n=12&sw.d=list,final
 *
 * The page and `sim sweep --scenario` read the same keys, so a sweep link names the same points
 * (the same scenarios, so the same numbers) in both. Pure: no DOM.
 */
import { parseDesignSpec, type DesignSpec } from '../engine/spec.ts';
import { DESIGN_IDS } from '../engine/types.ts';
import { SCENARIO_LIMITS, type Scenario, type WorkloadKind } from './scenario.ts';
import { URL_VERSION, coerceChoice, coerceInt, queryPairs } from './url.ts';

export type SweepParam = 'cpus' | 'p' | 't' | 'b' | 'tasks' | 'churn';

export type SweepSpacing = 'log' | 'linear';

export interface SweepParamInfo {
  readonly param: SweepParam;
  /** The control's and the plot's label. */
  readonly label: string;
  /** What N stands for in the fitted law, in words. */
  readonly meaning: string;
  /** The workload the parameter belongs to; null for both. */
  readonly workload: WorkloadKind | null;
  readonly range: { readonly min: number; readonly max: number };
  /** The range a new sweep of this parameter starts with. */
  readonly defaultFrom: number;
  readonly defaultTo: number;
  get(scenario: Scenario): number;
  set(scenario: Scenario, value: number): Scenario;
}

const thread = (scenario: Scenario, key: keyof Scenario['thread'], value: number): Scenario => ({
  ...scenario,
  thread: { ...scenario.thread, [key]: value },
});
const mixed = (scenario: Scenario, key: keyof Scenario['mixed'], value: number): Scenario => ({
  ...scenario,
  mixed: { ...scenario.mixed, [key]: value },
});

/** Every parameter a sweep can vary, in the order the page lists them. */
export const SWEEP_PARAMS: Readonly<Record<SweepParam, SweepParamInfo>> = {
  cpus: {
    param: 'cpus',
    label: 'CPUs',
    meaning: 'N is the number of CPUs (the workload stays the same)',
    workload: null,
    range: SCENARIO_LIMITS.cpus,
    defaultFrom: 16,
    defaultTo: 4096,
    get: (s) => s.cpus,
    set: (s, v) => ({ ...s, cpus: v }),
  },
  p: {
    param: 'p',
    label: 'Worker threads (-p)',
    meaning: 'N is the number of worker threads creating threads at once (-p)',
    workload: 'thread',
    range: SCENARIO_LIMITS.parallelism,
    defaultFrom: 1,
    defaultTo: 256,
    get: (s) => s.thread.parallelism,
    set: (s, v) => thread(s, 'parallelism', v),
  },
  t: {
    param: 't',
    label: 'Threads per batch (-t)',
    meaning: 'N is the number of threads each batch creates (-t)',
    workload: 'thread',
    range: SCENARIO_LIMITS.threads,
    defaultFrom: 1,
    defaultTo: 512,
    get: (s) => s.thread.threads,
    set: (s, v) => thread(s, 'threads', v),
  },
  b: {
    param: 'b',
    label: 'Breakpoints per thread (-b)',
    meaning: 'N is the number of inherited breakpoints per thread (-b)',
    workload: 'thread',
    range: SCENARIO_LIMITS.breakpoints,
    defaultFrom: 1,
    defaultTo: 4,
    get: (s) => s.thread.breakpoints,
    set: (s, v) => thread(s, 'breakpoints', v),
  },
  tasks: {
    param: 'tasks',
    label: 'Tasks (mixed)',
    meaning: 'N is the number of long-lived tasks holding breakpoints',
    workload: 'mixed',
    range: SCENARIO_LIMITS.tasks,
    defaultFrom: 16,
    defaultTo: 4096,
    get: (s) => s.mixed.tasks,
    set: (s, v) => mixed(s, 'tasks', v),
  },
  churn: {
    param: 'churn',
    label: 'Churn per ms (mixed)',
    meaning: 'N is the offered rate of breakpoint creations and removals per ms',
    workload: 'mixed',
    range: SCENARIO_LIMITS.churnPerMs,
    defaultFrom: 1,
    defaultTo: 512,
    get: (s) => s.mixed.churnPerMs,
    set: (s, v) => mixed(s, 'churnPerMs', v),
  },
};

export const SWEEP_PARAM_IDS = Object.keys(SWEEP_PARAMS) as SweepParam[];

/** Points per sweep: at least two to draw a line; at most what a page can run in a minute or so. */
export const SWEEP_POINTS = { min: 2, max: 24, default: 12 } as const;

export interface SweepSpec {
  readonly param: SweepParam;
  readonly from: number;
  readonly to: number;
  /** Points asked for; equal values after rounding to whole numbers are run once. */
  readonly points: number;
  readonly spacing: SweepSpacing;
  /** Named designs or compositions (`store+lock+max`), in the order they were chosen. */
  readonly designs: readonly DesignSpec[];
}

export const DEFAULT_SWEEP_DESIGNS: readonly DesignSpec[] = ['list', 'final'];

/** A sweep of `param` over its default range. */
export function defaultSweep(
  param: SweepParam = 'cpus',
  designs: readonly DesignSpec[] = DEFAULT_SWEEP_DESIGNS,
): SweepSpec {
  const info = SWEEP_PARAMS[param];
  return {
    param,
    from: info.defaultFrom,
    to: info.defaultTo,
    points: SWEEP_POINTS.default,
    spacing: 'log',
    designs,
  };
}

/** The parameters that apply to a workload. */
export function sweepParamsFor(workload: WorkloadKind): SweepParam[] {
  return SWEEP_PARAM_IDS.filter((p) => {
    const own = SWEEP_PARAMS[p].workload;
    return own === null || own === workload;
  });
}

/**
 * What is wrong with a sweep of `scenario`, in one line, or null when it can run. The same check
 * for the CLI (exit 2 with the line) and the page (shown by the Run button).
 */
export function sweepProblem(spec: SweepSpec, scenario: Scenario): string | null {
  const info = SWEEP_PARAMS[spec.param];
  const { min, max } = info.range;
  if (info.workload !== null && info.workload !== scenario.workload) {
    return `${spec.param} belongs to the ${info.workload} workload, and the scenario runs the ${scenario.workload} one`;
  }
  for (const [name, value] of [
    ['from', spec.from],
    ['to', spec.to],
  ] as const) {
    if (!Number.isInteger(value) || value < min || value > max) {
      return `${name} ${value} is outside ${spec.param}'s range (${min}..${max})`;
    }
  }
  if (spec.from >= spec.to) return `from ${spec.from} must be below to ${spec.to}`;
  if (spec.spacing === 'log' && spec.from < 1) {
    return `log spacing needs from ≥ 1 (use linear spacing from 0)`;
  }
  if (
    !Number.isInteger(spec.points) ||
    spec.points < SWEEP_POINTS.min ||
    spec.points > SWEEP_POINTS.max
  ) {
    return `points ${spec.points} is outside ${SWEEP_POINTS.min}..${SWEEP_POINTS.max}`;
  }
  if (spec.designs.length === 0) return 'no design to sweep';
  return null;
}

/**
 * The values a sweep runs: `points` values from `from` to `to` (both included), evenly spaced in
 * log or linear scale, rounded to whole numbers, in increasing order; values that round alike
 * are kept once. 16..4096 in 12 log-spaced points: 16, 26, 44, 73, 120, 199, 329, 545, 903, 1495,
 * 2474, 4096 (a factor of about 1.66 apart).
 */
export function sweepValues(spec: Pick<SweepSpec, 'from' | 'to' | 'points' | 'spacing'>): number[] {
  const { from, to, points, spacing } = spec;
  const values: number[] = [];
  for (let i = 0; i < points; i++) {
    const f = points === 1 ? 0 : i / (points - 1);
    const raw = spacing === 'log' ? from * Math.pow(to / from, f) : from + (to - from) * f;
    const value = i === points - 1 ? to : Math.round(raw);
    if (values[values.length - 1] !== value) values.push(value);
  }
  return values;
}

/** The scenario of one point: the base scenario with the swept parameter set. */
export function sweepScenario(base: Scenario, param: SweepParam, value: number): Scenario {
  return SWEEP_PARAMS[param].set(base, value);
}

// ---------------------------------------------------------------------------------------------
// URL keys
// ---------------------------------------------------------------------------------------------

const SPACINGS: readonly SweepSpacing[] = ['log', 'linear'];

/** The keys a sweep adds to the page's query; the scenario codec (./url.ts) leaves them alone. */
export const SWEEP_KEYS = ['sw', 'sw.from', 'sw.to', 'sw.n', 'sw.scale', 'sw.d'] as const;

export interface DecodedSweep {
  /** null when the query has no `sw`. */
  readonly sweep: SweepSpec | null;
  /** One line per corrected key, as the scenario codec reports them. */
  readonly corrections: string[];
}

/**
 * Reads a design list `list,final,task_struct+percpu-rwsem+histogram`: `all` is every named
 * design; a composition's `+` may come as a space (form decoding) or `%2B`; unknown names and
 * bad parts are dropped and reported; repeats are kept once.
 */
export function coerceDesigns(raw: string, corrections: string[]): DesignSpec[] {
  const designs: DesignSpec[] = [];
  for (const item of raw.split(',')) {
    const text = item.trim().split(/\s+/).join('+');
    if (text === '') continue;
    if (text === 'all') {
      for (const d of DESIGN_IDS) if (!designs.includes(d)) designs.push(d);
      continue;
    }
    const parsed = parseDesignSpec(text);
    if (!parsed.ok) {
      corrections.push(`sw.d: ${JSON.stringify(text.slice(0, 48))} dropped (${parsed.error})`);
    } else if (!designs.includes(parsed.spec)) designs.push(parsed.spec);
  }
  return designs;
}

/**
 * The sweep a query names, or null. Never throws: each value is coerced like the scenario's
 * (clamped into range, defaults for garbage) and every change is reported; a range that is still
 * wrong after that (from ≥ to) is swapped or widened, and reported.
 */
export function sweepFromQuery(query: string): DecodedSweep {
  const corrections: string[] = [];
  const params = new Map<string, string>();
  for (const [key, value] of queryPairs(query.startsWith('?') ? query.slice(1) : query)) {
    if (!params.has(key)) params.set(key, value);
  }
  const rawParam = params.get('sw');
  if (rawParam === undefined) return { sweep: null, corrections };
  const param = coerceChoice('sw', rawParam, SWEEP_PARAM_IDS, 'cpus', corrections);
  const info = SWEEP_PARAMS[param];
  const int = (key: string, range: { min: number; max: number }, fallback: number): number => {
    const raw = params.get(key);
    return raw === undefined ? fallback : coerceInt(key, raw, range, fallback, corrections);
  };
  const rawScale = params.get('sw.scale');
  const spacing =
    rawScale === undefined
      ? 'log'
      : coerceChoice('sw.scale', rawScale, SPACINGS, 'log', corrections);
  const low = spacing === 'log' ? Math.max(1, info.range.min) : info.range.min;
  let from = int('sw.from', { min: low, max: info.range.max }, Math.max(low, info.defaultFrom));
  let to = int('sw.to', { min: low, max: info.range.max }, info.defaultTo);
  if (from > to) {
    corrections.push(`sw.from ${from} > sw.to ${to}: swapped`);
    [from, to] = [to, from];
  }
  if (from === to) {
    const widened = to < info.range.max ? to + 1 : from - 1;
    corrections.push(
      `sw.from = sw.to = ${from}: the range was widened to ${Math.min(from, widened)}..${Math.max(to, widened)}`,
    );
    from = Math.min(from, widened);
    to = Math.max(to, widened);
  }
  const points = int('sw.n', SWEEP_POINTS, SWEEP_POINTS.default);
  const rawDesigns = params.get('sw.d');
  let designs =
    rawDesigns === undefined ? [...DEFAULT_SWEEP_DESIGNS] : coerceDesigns(rawDesigns, corrections);
  if (designs.length === 0) {
    corrections.push(`sw.d: no design left → ${DEFAULT_SWEEP_DESIGNS.join(',')}`);
    designs = [...DEFAULT_SWEEP_DESIGNS];
  }
  return { sweep: { param, from, to, points, spacing, designs }, corrections };
}

/** The sweep's keys, to append to the scenario's query (`&`-joined, no leading `?`). */
export function queryFromSweep(sweep: SweepSpec): string {
  const pairs: Array<[string, string]> = [
    ['sw', sweep.param],
    ['sw.from', String(sweep.from)],
    ['sw.to', String(sweep.to)],
    ['sw.n', String(sweep.points)],
  ];
  if (sweep.spacing !== 'log') pairs.push(['sw.scale', sweep.spacing]);
  pairs.push(['sw.d', sweep.designs.join(',')]);
  // Commas and a composition's `+` are written as is (a `+` reads back as a space, which
  // coerceDesigns reads as `+`), so a link reads `sw.d=list,task_struct+percpu-rwsem+histogram`.
  return pairs
    .map(
      ([k, v]) =>
        `${k}=${v
          .split(/([,+])/)
          .map((part) => (part === ',' || part === '+' ? part : encodeURIComponent(part)))
          .join('')}`,
    )
    .join('&');
}

/** Joins a scenario query and a sweep's keys. */
export function withSweepQuery(scenarioQuery: string, sweep: SweepSpec | null): string {
  if (sweep === null) return scenarioQuery;
  // The sweep keys need the layout's version like any other key.
  const base = scenarioQuery === '' ? `v=${URL_VERSION}` : scenarioQuery;
  return `${base}&${queryFromSweep(sweep)}`;
}
