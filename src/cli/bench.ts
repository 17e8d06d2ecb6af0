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
import type { RunResult } from '../sim/types.ts';
import { formatNs } from '../report/format.ts';
import { perfBenchText, worstAccountingLock } from '../report/perfBench.ts';
import { profilePercent, profileRows } from '../report/profile.ts';
import { speedupCell, speedupRatio } from '../report/speedup.ts';

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

function detailsText(result: RunResult): string {
  const lines: string[] = ['', `# Simulated profile (${result.design}; % of busy CPU time):`];
  for (const row of profileRows(result, null, { minPercent: 0 }))
    lines.push(`  ${row.percent.toFixed(2).padStart(6)}%  ${row.symbol}`);
  lines.push('', '# Lock statistics:');
  lines.push(
    '  lock                 acquisitions   contended   wait p50     wait p99     wait max',
  );
  for (const l of result.locks) {
    lines.push(
      `  ${l.lock.padEnd(20)} ${String(l.acquisitions).padStart(12)} ${String(l.contended).padStart(11)}   ` +
        `${formatNs(l.wait.p50Ns, 'table').padEnd(12)} ${formatNs(l.wait.p99Ns, 'table').padEnd(12)} ${formatNs(l.wait.maxNs, 'table')}`,
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
    const wait = worst ? `${formatNs(worst.wait.p99Ns, 'table')} (${worst.lock})` : '-';
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
    const speedup = speedupCell(
      list && !list.openError && !r.openError
        ? speedupRatio(list.totalTimeNs, r.totalTimeNs)
        : null,
    );
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
