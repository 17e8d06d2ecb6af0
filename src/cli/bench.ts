/**
 * `sim bench`: perf bench breakpoint thread on the simulated machine, printed in perf bench's own
 * format so the two can be set side by side, followed by the simulated profile and lock
 * statistics. Pure over its arguments: it returns what to print and the exit code.
 */
import { createSlotEngine } from '../engine/index.ts';
import { DESIGN_IDS, type DesignId } from '../engine/types.ts';
import { DEFAULT_SCENARIO, SCENARIO_LIMITS, type Scenario } from '../scenario/scenario.ts';
import { scenarioFromQuery } from '../scenario/url.ts';
import { createSimulation, checkRunSize } from '../sim/simulation.ts';
import { PROFILE_SYMBOLS, type RunResult } from '../sim/types.ts';
import { mixedResultLines, totalTimeLine, worstAccountingLock } from '../derive/perfFormat.ts';

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** DESIGN_IDS is in the series' order, with `ideal` (the reference line) last. */
const RUN_DESIGNS: readonly DesignId[] = DESIGN_IDS;

interface BenchOptions {
  scenario: Scenario;
  designs: DesignId[];
  json: boolean;
}

class UsageError extends Error {}

type IntFlag = 'repeat' | 'breakpoints' | 'parallelism' | 'threads' | 'cpus' | 'slots' | 'seed';
const INT_FLAGS: Record<string, IntFlag> = {
  '-r': 'repeat',
  '--repeat': 'repeat',
  '-b': 'breakpoints',
  '--breakpoints': 'breakpoints',
  '-p': 'parallelism',
  '--parallelism': 'parallelism',
  '-t': 'threads',
  '--threads': 'threads',
  '--cpus': 'cpus',
  '--slots': 'slots',
  '--seed': 'seed',
};

function parseInteger(flag: string, raw: string | undefined, key: IntFlag): number {
  const { min, max } = SCENARIO_LIMITS[key];
  const range = `(${min}..${max})`;
  if (raw === undefined) throw new UsageError(`bench: ${flag}: missing value ${range}`);
  if (!/^-?\d+$/.test(raw))
    throw new UsageError(`bench: ${flag}: not an integer: '${raw}' ${range}`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new UsageError(`bench: ${flag}: out of range: ${raw} ${range}`);
  return value;
}

function withValue(scenario: Scenario, key: IntFlag, value: number): Scenario {
  switch (key) {
    case 'cpus':
    case 'slots':
    case 'seed':
      return { ...scenario, [key]: value };
    default:
      return { ...scenario, thread: { ...scenario.thread, [key]: value } };
  }
}

export function parseBenchArgs(args: readonly string[]): BenchOptions {
  // --scenario first: flags override it wherever they stand.
  let scenario: Scenario = DEFAULT_SCENARIO;
  let viewDesigns: DesignId[] | null = null;
  const scenarioAt = args.indexOf('--scenario');
  if (scenarioAt >= 0) {
    const query = args[scenarioAt + 1];
    if (query === undefined)
      throw new UsageError('bench: --scenario: missing value (a slotscope URL query)');
    const decoded = scenarioFromQuery(query);
    if (decoded.newerVersion) {
      throw new UsageError(
        'bench: --scenario: the query comes from a newer slotscope; update to read it',
      );
    }
    if (decoded.corrections.length > 0) {
      throw new UsageError(`bench: --scenario: ${decoded.corrections.join('; ')}`);
    }
    scenario = decoded.scenario;
    viewDesigns = [decoded.view.designA, decoded.view.designB];
  }
  let designs: DesignId[] | null = null;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--scenario') {
      i++;
      continue;
    }
    if (arg === '--json') {
      json = true;
      continue;
    }
    if (arg === '--design') {
      const raw = args[++i];
      const allowed = `(${RUN_DESIGNS.join('|')}|all)`;
      if (raw === 'all') designs = [...RUN_DESIGNS];
      else if (raw !== undefined && (RUN_DESIGNS as readonly string[]).includes(raw))
        designs = [raw as DesignId];
      else
        throw new UsageError(
          `bench: --design: ${raw === undefined ? 'missing value' : `unknown design '${raw}'`} ${allowed}`,
        );
      continue;
    }
    if (arg === '--pools') {
      const raw = args[++i];
      if (raw !== 'shared' && raw !== 'split') {
        throw new UsageError(
          `bench: --pools: ${raw === undefined ? 'missing value' : `unknown pools '${raw}'`} (shared|split)`,
        );
      }
      scenario = { ...scenario, pools: raw };
      continue;
    }
    const key = INT_FLAGS[arg];
    if (key === undefined) throw new UsageError(`bench: unknown option '${arg}' (see docs/cli.md)`);
    scenario = withValue(scenario, key, parseInteger(arg, args[++i], key));
  }
  const tooLarge = checkRunSize(scenario);
  if (tooLarge !== null) throw new UsageError(`bench: ${tooLarge}`);
  return { scenario, designs: designs ?? viewDesigns ?? ['list'], json };
}

export function runDesign(
  scenario: Scenario,
  design: DesignId,
): { result: RunResult; wallMs: number } {
  const started = performance.now();
  const sim = createSimulation(scenario, design);
  while (!sim.advance(1_000_000).done) {
    // run to completion
  }
  return { result: sim.result(), wallMs: performance.now() - started };
}

/** perf's "%14lf": six decimals, right-aligned in 14 columns. */
function lf14(value: number): string {
  return value.toFixed(6).padStart(14);
}

/** The result block exactly as tools/perf/bench/breakpoint.c prints it. */
export function perfBenchText(scenario: Scenario, result: RunResult): string {
  if (scenario.workload === 'mixed') {
    const { tasks, bpsPerTask, cpuBound, churnPerMs, durationMs } = scenario.mixed;
    return [
      `# Running slotscope 'mixed' workload (${result.design}):`,
      `# ${tasks} tasks with ${bpsPerTask} breakpoints each, ${cpuBound} CPU-bound, ${churnPerMs} operations/ms for ${durationMs} ms`,
      ...mixedResultLines(result).map((line) => `     ${line}`),
      '',
    ].join('\n');
  }
  const { repeat, breakpoints, parallelism } = scenario.thread;
  const lines = [
    "# Running 'breakpoint/thread' benchmark:",
    `# Created/joined ${repeat} threads with ${breakpoints} breakpoints and ${parallelism} parallelism`,
  ];
  if (result.openError !== null) {
    lines.push('perf_event_open: No space left on device');
    return lines.join('\n') + '\n';
  }
  lines.push(`     ${totalTimeLine(result.totalTimeNs)}`, '');
  lines.push(
    `  ${lf14(result.usecsPerOp)} usecs/op`,
    `  ${lf14(result.usecsPerOpPerCpu)} usecs/op/cpu`,
  );
  return lines.join('\n') + '\n';
}

export function profilePercent(result: RunResult): Record<string, number> {
  const total = PROFILE_SYMBOLS.reduce((sum, s) => sum + result.profileNs[s], 0);
  const out: Record<string, number> = {};
  for (const s of PROFILE_SYMBOLS) {
    if (result.profileNs[s] > 0) out[s] = total > 0 ? (100 * result.profileNs[s]) / total : 0;
  }
  return out;
}

/** The accounting lock a design's task operations queue on first (its outermost lock). */
function mainLock(result: RunResult, scenario: Scenario): string | null {
  const machine = { cpus: scenario.cpus, slots: scenario.slots, pools: scenario.pools };
  return createSlotEngine(result.design, machine).locksFor(0)[0]?.lock ?? null;
}

function mainLockWaitUs(
  result: RunResult,
  scenario: Scenario,
): { lock: string | null; p50: number; p99: number; max: number } {
  const name = mainLock(result, scenario);
  const stats = result.locks.find((l) => l.lock === name);
  return {
    lock: name,
    p50: (stats?.wait.p50Ns ?? 0) / 1e3,
    p99: (stats?.wait.p99Ns ?? 0) / 1e3,
    max: (stats?.wait.maxNs ?? 0) / 1e3,
  };
}

function formatUs(us: number): string {
  if (us >= 1e6) return `${(us / 1e6).toFixed(3)} s`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(3)} ms`;
  return `${us.toFixed(3)} us`;
}

function detailsText(result: RunResult): string {
  const lines: string[] = ['', `# Simulated profile (${result.design}; % of busy CPU time):`];
  const entries = Object.entries(profilePercent(result))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8);
  for (const [sym, pct] of entries) lines.push(`  ${pct.toFixed(2).padStart(6)}%  ${sym}`);
  lines.push('', '# Lock statistics:');
  lines.push(
    '  lock                 acquisitions   contended   wait p50     wait p99     wait max',
  );
  for (const l of result.locks) {
    lines.push(
      `  ${l.lock.padEnd(20)} ${String(l.acquisitions).padStart(12)} ${String(l.contended).padStart(11)}   ` +
        `${formatUs(l.wait.p50Ns / 1e3).padEnd(12)} ${formatUs(l.wait.p99Ns / 1e3).padEnd(12)} ${formatUs(l.wait.maxNs / 1e3)}`,
    );
  }
  lines.push(
    '',
    `# accounting ops ${result.accountingOps}, ENOSPC ${result.enospc}, threads ${result.threadsCreated}, peak live threads ${result.peakLiveThreads}`,
  );
  return lines.join('\n') + '\n';
}

function mixedSummaryText(rows: readonly RunResult[]): string {
  const lines = [
    '',
    '# Designs on the same workload:',
    '  design      accounting ops    ENOSPC   worst accounting-lock wait p99',
  ];
  for (const r of rows) {
    const worst = worstAccountingLock(r);
    const wait = worst ? `${formatUs(worst.wait.p99Ns / 1e3)} (${worst.lock})` : '-';
    lines.push(
      `  ${r.design.padEnd(10)}  ${String(r.accountingOps).padStart(14)}  ${String(r.enospc).padStart(8)}   ${wait}`,
    );
  }
  return lines.join('\n') + '\n';
}

function summaryText(rows: readonly RunResult[]): string {
  const list = rows.find((r) => r.design === 'list');
  const lines = [
    '',
    '# Designs on the same workload:',
    '  design      Total time [s]    usecs/op          speedup vs list',
  ];
  for (const r of rows) {
    const total = r.openError ? 'ENOSPC' : (r.totalTimeNs / 1e9).toFixed(3);
    const speedup =
      list && !list.openError && !r.openError && r.totalTimeNs > 0
        ? `${(list.totalTimeNs / r.totalTimeNs).toFixed(1)}x`
        : '-';
    lines.push(
      `  ${r.design.padEnd(10)}  ${total.padStart(14)}  ${r.usecsPerOp.toFixed(6).padStart(16)}  ${speedup.padStart(10)}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function jsonRecord(
  scenario: Scenario,
  result: RunResult,
  wallMs: number,
): Record<string, unknown> {
  const { repeat, breakpoints, parallelism, threads } = scenario.thread;
  const wait = mainLockWaitUs(result, scenario);
  return {
    design: result.design,
    workload: scenario.workload,
    ...(scenario.workload === 'mixed' ? { mixed: scenario.mixed } : {}),
    cpus: scenario.cpus,
    slots: scenario.slots,
    pools: scenario.pools,
    repeat,
    breakpoints,
    parallelism,
    threads,
    seed: scenario.seed,
    openError: result.openError,
    totalTimeSec: result.totalTimeNs / 1e9,
    usecsPerOp: result.usecsPerOp,
    usecsPerOpPerCpu: result.usecsPerOpPerCpu,
    accountingOps: result.accountingOps,
    enospc: result.enospc,
    threadsCreated: result.threadsCreated,
    peakLiveThreads: result.peakLiveThreads,
    profile: profilePercent(result),
    lockWaitLock: wait.lock,
    lockWaitUs: { p50: wait.p50, p99: wait.p99, max: wait.max },
    locks: result.locks.map((l) => ({
      lock: l.lock,
      acquisitions: l.acquisitions,
      contended: l.contended,
      waitUs: { p50: l.wait.p50Ns / 1e3, p99: l.wait.p99Ns / 1e3, max: l.wait.maxNs / 1e3 },
      holdTotalSec: l.holdTotalNs / 1e9,
    })),
    simulatedEndSec: result.endNs / 1e9,
    events: result.events,
    wallMs,
  };
}

export function runBench(args: readonly string[]): CommandOutput {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(args);
  } catch (error) {
    if (error instanceof UsageError)
      return { stdout: '', stderr: error.message + '\n', exitCode: 2 };
    throw error;
  }
  const { scenario, designs, json } = options;
  const runs = designs.map((d) => ({ design: d, ...runDesign(scenario, d) }));
  const failed = runs.some((r) => r.result.openError !== null);
  if (json) {
    const records = runs.map((r) => jsonRecord(scenario, r.result, r.wallMs));
    const body = designs.length === 1 ? records[0] : records;
    return { stdout: JSON.stringify(body, null, 2) + '\n', stderr: '', exitCode: failed ? 1 : 0 };
  }
  let out = '';
  for (const r of runs) {
    out += perfBenchText(scenario, r.result);
    if (r.result.openError === null) out += detailsText(r.result);
    if (runs.length > 1) out += '\n';
  }
  if (runs.length > 1) {
    const results = runs.map((r) => r.result);
    out += scenario.workload === 'mixed' ? mixedSummaryText(results) : summaryText(results);
  }
  return { stdout: out, stderr: '', exitCode: failed ? 1 : 0 };
}
