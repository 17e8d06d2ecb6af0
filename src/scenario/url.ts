/**
 * The one text encoding of a scenario and the view: a human-readable URL query.
 *
 *   ?v=1&cpus=1024&r=100&p=128&t=512&da=rwsem&db=final&grid=slots&c.listNodeNs=12
 *
 * Keys are listed in docs/url-format.md. Defaults are left out, so the default scenario is the
 * empty query. Decoding never throws: every value goes through a coercer that returns a valid
 * value and records what it corrected ("cpus: 0 → 1 (1..4096)"); unknown keys are ignored.
 *
 * Versions: `v` names the layout. A query from an older version is upgraded one step at a time
 * by UPGRADERS before it is read; a query from a newer version is read as far as it can be and
 * reported (`newerVersion`). The module checks at load that the chain has no gap.
 *
 * Pure: no DOM, no window. The `sim bench --scenario` command and the page share it, so the same
 * query gives the same numbers in both.
 */
import { parseDesignSpec, type DesignSpec } from '../engine/spec.ts';
import { DESIGN_IDS, type PoolMode } from '../engine/types.ts';
import { COST_PARAMS, DEFAULT_COSTS, type CostParams } from './costs.ts';
import {
  DEFAULT_SCENARIO,
  SCENARIO_LIMITS,
  type MixedWorkload,
  type Scenario,
  type ThreadWorkload,
  type WorkloadKind,
} from './scenario.ts';

/** The current URL layout version. */
export const URL_VERSION = 1;

export type GridMode = 'states' | 'slots';
export const GRID_MODES: readonly GridMode[] = ['states', 'slots'];

/** The timeline's time axis: both runs on one absolute axis, or each on its own run. */
export type TimeAxisMode = 'shared' | 'own';
export const TIME_AXIS_MODES: readonly TimeAxisMode[] = ['shared', 'own'];
/** The timeline's visible window, `[lo, hi]`: fractions of the axis's domain, 0 <= lo < hi <= 1. */
export type TimeWindow = readonly [number, number];

/** What the URL carries besides the scenario: UI choices that a shared link should reproduce. */
/** The page's two columns, each running one design on the same scenario. */
export type ColumnId = 'A' | 'B';

export interface ViewState {
  /** Design of column A. */
  readonly designA: DesignSpec;
  /** Design of column B. */
  readonly designB: DesignSpec;
  /** What the CPU grid colours: the CPU's state, or its slot occupancy. */
  readonly grid: GridMode;
  /**
   * The time cursor as a fraction 0..1 of each column's own run (each column has its own time
   * axis), or null to follow the latest sample (the end once the run is done).
   */
  readonly cursor: number | null;
  /** The timeline's axis mode. */
  readonly timeAxis: TimeAxisMode;
  /** The timeline's visible window, or null for the whole run. */
  readonly window: TimeWindow | null;
}

export const DEFAULT_VIEW: ViewState = {
  designA: 'list',
  designB: 'final',
  grid: 'states',
  cursor: null,
  timeAxis: 'shared',
  window: null,
};

/** Reads the window's URL form `lo~hi`; null when malformed or out of 0..1. */
export function parseWindow(text: string): TimeWindow | null {
  const match = /^\s*([0-9.]+)~([0-9.]+)\s*$/.exec(text);
  if (!match) return null;
  const lo = Number(match[1]);
  const hi = Number(match[2]);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo < 0 || hi > 1 || hi <= lo) return null;
  return [lo, hi];
}

/** The window's URL form, to 9 decimals (a nanosecond of a second-long run). */
export function formatWindow([lo, hi]: TimeWindow): string {
  const fixed = (v: number): string => v.toFixed(9).replace(/\.?0+$/, '') || '0';
  return `${fixed(lo)}~${fixed(hi)}`;
}

export interface DecodedQuery {
  readonly scenario: Scenario;
  readonly view: ViewState;
  /** One line per corrected field, e.g. `cpus: 0 → 1 (1..4096)`. Empty for a clean query. */
  readonly corrections: string[];
  /** The query names a `v` newer than this build understands. */
  readonly newerVersion: boolean;
}

// ---------------------------------------------------------------------------------------------
// Upgraders
// ---------------------------------------------------------------------------------------------

/**
 * UPGRADERS[n] rewrites a version-n query into version n+1, in place. There is one per version
 * below URL_VERSION; version 1 is the first published layout, so the chain is empty today. When
 * a key is renamed or a meaning changes, bump URL_VERSION, add the upgrader here, a test in
 * url.test.ts, and a section in docs/url-format.md.
 */
export type Upgrader = (params: QueryParams) => void;

/** A decoded query, one value per key (the first given), in the order the keys came. */
export type QueryParams = Map<string, string>;
export const UPGRADERS: Readonly<Record<number, Upgrader>> = {};

/** Throws when `upgraders` does not hold exactly one upgrader per version in 1..current-1. */
export function checkUpgraderChain(
  upgraders: Readonly<Record<number, Upgrader>>,
  currentVersion: number,
): void {
  for (let version = 1; version < currentVersion; version++) {
    if (typeof upgraders[version] !== 'function') {
      throw new Error(`url: missing upgrader from v${version} to v${version + 1}`);
    }
  }
  for (const key of Object.keys(upgraders)) {
    const version = Number(key);
    if (!Number.isInteger(version) || version < 1 || version >= currentVersion) {
      throw new Error(`url: upgrader for v${key} is outside 1..${currentVersion - 1}`);
    }
  }
}

checkUpgraderChain(UPGRADERS, URL_VERSION);

/**
 * Runs the upgraders from `fromVersion` up to `currentVersion` on `params`; returns the versions
 * whose upgrader ran (the meta-test checks that every registered upgrader is reachable).
 */
export function upgradeQuery(
  params: QueryParams,
  fromVersion: number,
  upgraders: Readonly<Record<number, Upgrader>> = UPGRADERS,
  currentVersion: number = URL_VERSION,
): number[] {
  const ran: number[] = [];
  for (let version = Math.max(1, fromVersion); version < currentVersion; version++) {
    const upgrade = upgraders[version];
    if (!upgrade) throw new Error(`url: missing upgrader from v${version}`);
    upgrade(params);
    ran.push(version);
  }
  return ran;
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

type ThreadKey = keyof ThreadWorkload;
type MixedKey = keyof MixedWorkload;

/** perf bench's own flags name the thread workload's keys. */
const THREAD_KEYS: ReadonlyArray<readonly [string, ThreadKey]> = [
  ['r', 'repeat'],
  ['b', 'breakpoints'],
  ['p', 'parallelism'],
  ['t', 'threads'],
];

const MIXED_KEYS: ReadonlyArray<readonly [string, MixedKey]> = [
  ['m.tasks', 'tasks'],
  ['m.bps', 'bpsPerTask'],
  ['m.pinned', 'pinnedPercent'],
  ['m.cpuBound', 'cpuBound'],
  ['m.churn', 'churnPerMs'],
  ['m.cpuBoundChurn', 'cpuBoundChurnPercent'],
  ['m.ms', 'durationMs'],
];

const COST_PREFIX = 'c.';

const WORKLOADS: readonly WorkloadKind[] = ['thread', 'mixed'];
const POOLS: readonly PoolMode[] = ['shared', 'split'];

/** A query longer than this is cut: no real link is near it, and parsing stays bounded. */
export const MAX_QUERY_LENGTH = 8192;

/** How much of a bad raw value a correction quotes. */
const QUOTE_LENGTH = 24;

function quote(raw: string): string {
  return JSON.stringify(cut(raw));
}

/** A raw value cut to QUOTE_LENGTH characters, so a correction stays one short line. */
function cut(raw: string): string {
  return raw.length > QUOTE_LENGTH ? `${raw.slice(0, QUOTE_LENGTH)}…` : raw;
}

/**
 * A decimal number: sign, digits with an optional point, optional exponent. Every quantifier
 * is on its own character class and no two can match the same text, so a match fails in one
 * pass (the old `\d+\.?\d*` could split a run of digits n ways: 8 KB took 285 ms).
 */
export const NUMBER_PATTERN = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

// ---------------------------------------------------------------------------------------------
// Coercers: each returns a valid value and pushes a correction when it changed anything.
// ---------------------------------------------------------------------------------------------

interface IntRange {
  readonly min: number;
  readonly max: number;
}

/** Reads a whole number in range; rounds fractions, clamps out-of-range, defaults garbage. */
export function coerceInt(
  name: string,
  raw: string,
  range: IntRange,
  fallback: number,
  corrections: string[],
): number {
  const text = raw.trim();
  // A number too large for a double (1e400) reads as ±Infinity: clamped like any large one.
  const parsed = NUMBER_PATTERN.test(text) ? Number(text) : NaN;
  if (Number.isNaN(parsed)) {
    corrections.push(`${name}: ${quote(raw)} → ${fallback} (not a number)`);
    return fallback;
  }
  const rounded = Math.round(parsed);
  const clamped = Math.min(range.max, Math.max(range.min, rounded));
  if (clamped !== parsed) {
    const why = clamped !== rounded ? `(${range.min}..${range.max})` : '(whole numbers only)';
    corrections.push(`${name}: ${cut(text)} → ${clamped} ${why}`);
  }
  return clamped;
}

/** Reads one of `choices`; defaults anything else. */
export function coerceChoice<T extends string>(
  name: string,
  raw: string,
  choices: readonly T[],
  fallback: T,
  corrections: string[],
): T {
  const found = choices.find((choice) => choice === raw.trim());
  if (found !== undefined) return found;
  corrections.push(`${name}: ${quote(raw)} → ${fallback} (one of ${choices.join(', ')})`);
  return fallback;
}

/**
 * Reads a design: a named one (`final`) or a composition `store+lock+max`. In a query `+` reads as
 * a space, so the parts may come separated by `+` (written as is), spaces or `%2B`; a bad name or
 * part defaults, with the parser's message: `da: "lazy+x+histogram" → list (invalid design part
 * 'x' (lock: global-mutex|sharded|percpu-rwsem|rwlock))`.
 */
export function coerceDesign(
  name: string,
  raw: string,
  fallback: DesignSpec,
  corrections: string[],
): DesignSpec {
  // Words (letters, digits, _ and -) separated by spaces were a composition's + signs; any other
  // text is read, and quoted, as written.
  const trimmed = raw.trim();
  const text = /^[\w-]+(\s+[\w-]+)*$/.test(trimmed) ? trimmed.split(/\s+/).join('+') : trimmed;
  const parsed = parseDesignSpec(text);
  if (parsed.ok) return parsed.spec;
  const why = text.includes('+')
    ? parsed.error
    : `one of ${DESIGN_IDS.join(', ')}, or store+lock+max`;
  // Quoted with its + signs, as the link was written (the form decoding made them spaces).
  corrections.push(`${name}: ${quote(text)} → ${fallback} (${why})`);
  return fallback;
}

/**
 * Reads a fraction 0..1. The cursor is kept to 4 decimals (a step of 1/10,000 of the run, finer
 * than a pixel of any plot): more digits are rounded without a correction (docs/url-format.md).
 */
function coerceFraction(name: string, raw: string, corrections: string[]): number | null {
  const text = raw.trim();
  const parsed = NUMBER_PATTERN.test(text) && !/[eE]/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(parsed)) {
    corrections.push(`${name}: ${quote(raw)} → end (not a number)`);
    return null;
  }
  const clamped = Math.min(1, Math.max(0, parsed));
  if (clamped !== parsed) corrections.push(`${name}: ${cut(text)} → ${clamped} (0..1)`);
  return roundCursor(clamped);
}

export function roundCursor(fraction: number): number {
  return Math.round(fraction * 10_000) / 10_000;
}

// ---------------------------------------------------------------------------------------------
// Decode
// ---------------------------------------------------------------------------------------------

/**
 * Splits `a=1&b=x%20y` into decoded pairs as application/x-www-form-urlencoded does (`+` is a
 * space). Written out rather than URLSearchParams so this module needs no DOM or Node typings and
 * type-checks with the engine; a malformed escape keeps its raw text instead of throwing.
 */
export function queryPairs(text: string): Array<[string, string]> {
  const decode = (part: string): string => {
    const spaced = part.replace(/\+/g, ' ');
    try {
      return decodeURIComponent(spaced);
    } catch {
      return spaced;
    }
  };
  const pairs: Array<[string, string]> = [];
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const at = piece.indexOf('=');
    pairs.push(
      at < 0 ? [decode(piece), ''] : [decode(piece.slice(0, at)), decode(piece.slice(at + 1))],
    );
  }
  return pairs;
}

/**
 * Reads a query (with or without the leading `?`). Never throws; whatever it could not use is
 * listed in `corrections`.
 */
export function scenarioFromQuery(query: string): DecodedQuery {
  const corrections: string[] = [];
  let text = query.startsWith('?') ? query.slice(1) : query;
  if (text.length > MAX_QUERY_LENGTH) {
    corrections.push(`query: longer than ${MAX_QUERY_LENGTH} characters, the rest was ignored`);
    text = text.slice(0, MAX_QUERY_LENGTH);
  }
  // First occurrence wins; repeats are reported once per key.
  const upgradable: QueryParams = new Map();
  const repeated = new Set<string>();
  for (const [key, value] of queryPairs(text)) {
    if (upgradable.has(key)) repeated.add(key);
    else upgradable.set(key, value);
  }
  for (const key of repeated) {
    if (isKnownKey(key)) corrections.push(`${key}: given more than once, the first was used`);
  }

  let newerVersion = false;
  let version = URL_VERSION;
  const rawVersion = upgradable.get('v');
  if (rawVersion !== undefined) {
    // Any run of digits is a version: v=1000000 is from a (much) newer page, not malformed.
    const parsed = /^\s*[0-9]+\s*$/.test(rawVersion) ? Number(rawVersion) : NaN;
    if (!Number.isInteger(parsed) || parsed < 1) {
      corrections.push(`v: ${quote(rawVersion)} → ${URL_VERSION} (a version 1 or above)`);
    } else if (parsed > URL_VERSION) {
      newerVersion = true;
    } else {
      version = parsed;
    }
  }
  upgradeQuery(upgradable, version);

  const get = (key: string): string | undefined => upgradable.get(key);
  const int = (key: string, range: IntRange, fallback: number): number => {
    const raw = get(key);
    return raw === undefined ? fallback : coerceInt(key, raw, range, fallback, corrections);
  };
  const choice = <T extends string>(key: string, choices: readonly T[], fallback: T): T => {
    const raw = get(key);
    return raw === undefined ? fallback : coerceChoice(key, raw, choices, fallback, corrections);
  };

  const defaults = DEFAULT_SCENARIO;
  const thread = { ...defaults.thread };
  for (const [key, field] of THREAD_KEYS) {
    thread[field] = int(key, SCENARIO_LIMITS[field], defaults.thread[field]);
  }
  const mixed = { ...defaults.mixed };
  for (const [key, field] of MIXED_KEYS) {
    mixed[field] = int(key, SCENARIO_LIMITS[field], defaults.mixed[field]);
  }
  const costs: Partial<CostParams> = {};
  for (const info of COST_PARAMS) {
    const raw = get(COST_PREFIX + info.key);
    if (raw === undefined) continue;
    const value = coerceInt(
      COST_PREFIX + info.key,
      raw,
      info,
      DEFAULT_COSTS[info.key],
      corrections,
    );
    if (value !== DEFAULT_COSTS[info.key]) costs[info.key] = value;
  }

  const scenario: Scenario = {
    workload: choice('workload', WORKLOADS, defaults.workload),
    cpus: int('cpus', SCENARIO_LIMITS.cpus, defaults.cpus),
    slots: int('slots', SCENARIO_LIMITS.slots, defaults.slots),
    pools: choice('pools', POOLS, defaults.pools),
    thread,
    mixed,
    seed: int('seed', SCENARIO_LIMITS.seed, defaults.seed),
    costs,
  };

  const design = (key: string, fallback: DesignSpec): DesignSpec => {
    const raw = get(key);
    return raw === undefined ? fallback : coerceDesign(key, raw, fallback, corrections);
  };
  const rawCursor = get('at');
  const rawWindow = get('tw');
  const window = rawWindow === undefined ? null : parseWindow(rawWindow);
  if (rawWindow !== undefined && window === null) {
    corrections.push(`tw: ${quote(rawWindow)} → whole run (lo~hi, 0 <= lo < hi <= 1)`);
  }
  const view: ViewState = {
    designA: design('da', DEFAULT_VIEW.designA),
    designB: design('db', DEFAULT_VIEW.designB),
    grid: choice('grid', GRID_MODES, DEFAULT_VIEW.grid),
    cursor: rawCursor === undefined ? null : coerceFraction('at', rawCursor, corrections),
    timeAxis: choice('tx', TIME_AXIS_MODES, DEFAULT_VIEW.timeAxis),
    window,
  };

  return { scenario, view, corrections, newerVersion };
}

function isKnownKey(key: string): boolean {
  return (
    [
      'v',
      'workload',
      'cpus',
      'slots',
      'pools',
      'seed',
      'da',
      'db',
      'grid',
      'at',
      'tx',
      'tw',
    ].includes(key) ||
    THREAD_KEYS.some(([k]) => k === key) ||
    MIXED_KEYS.some(([k]) => k === key) ||
    COST_PARAMS.some((info) => COST_PREFIX + info.key === key)
  );
}

// ---------------------------------------------------------------------------------------------
// Encode
// ---------------------------------------------------------------------------------------------

/**
 * Writes the scenario and view as a query without the leading `?`; keys equal to their default
 * are left out. `v` is written whenever anything else is, so a link records its layout.
 */
export function queryFromScenario(scenario: Scenario, view: ViewState = DEFAULT_VIEW): string {
  const pairs: Array<[string, string]> = [];
  const put = (key: string, value: string | number, fallback: string | number): void => {
    if (value !== fallback) pairs.push([key, String(value)]);
  };
  const defaults = DEFAULT_SCENARIO;
  put('workload', scenario.workload, defaults.workload);
  put('cpus', scenario.cpus, defaults.cpus);
  for (const [key, field] of THREAD_KEYS) put(key, scenario.thread[field], defaults.thread[field]);
  put('slots', scenario.slots, defaults.slots);
  put('pools', scenario.pools, defaults.pools);
  for (const [key, field] of MIXED_KEYS) put(key, scenario.mixed[field], defaults.mixed[field]);
  put('seed', scenario.seed, defaults.seed);
  put('da', view.designA, DEFAULT_VIEW.designA);
  put('db', view.designB, DEFAULT_VIEW.designB);
  put('grid', view.grid, DEFAULT_VIEW.grid);
  if (view.cursor !== null) pairs.push(['at', String(roundCursor(view.cursor))]);
  put('tx', view.timeAxis, DEFAULT_VIEW.timeAxis);
  if (view.window !== null) pairs.push(['tw', formatWindow(view.window)]);
  for (const info of COST_PARAMS) {
    const value = scenario.costs[info.key];
    if (value !== undefined) put(COST_PREFIX + info.key, value, DEFAULT_COSTS[info.key]);
  }
  if (pairs.length === 0) return '';
  pairs.unshift(['v', String(URL_VERSION)]);
  // Keys are all URL-safe (letters and dots); values are numbers and fixed words, escaped anyway.
  // A composition's `+` is written as is (a space when read, which coerceDesign reads as `+`), so
  // a link reads `da=task_struct+percpu-rwsem+histogram`.
  return pairs
    .map(([key, value]) =>
      key === 'da' || key === 'db'
        ? `${key}=${value.split('+').map(encodeURIComponent).join('+')}`
        : `${key}=${encodeURIComponent(value)}`,
    )
    .join('&');
}

/** True when two scenarios encode alike (the same numbers result). */
export function sameScenario(a: Scenario, b: Scenario): boolean {
  return queryFromScenario(a) === queryFromScenario(b);
}
