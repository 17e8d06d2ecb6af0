/**
 * `sim bench`: perf bench breakpoint thread on the simulated machine, printed in perf bench's own
 * format so the two can be set side by side, followed by the simulated profile and lock
 * statistics. Pure over its arguments: it returns what to print and the exit code (and, with
 * `--trace FILE`, the Trace Event file's text for sim.ts to write; only the check that FILE can be
 * written touches the file system, before anything runs).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { POOL_MODES, createSlotEngine } from '../engine/index.ts';
import { DESIGN_IDS, type DesignId } from '../engine/types.ts';
import { DEFAULT_SCENARIO, SCENARIO_LIMITS, type Scenario } from '../scenario/scenario.ts';
import { queryFromScenario, scenarioFromQuery, type ColumnId } from '../scenario/url.ts';
import { createSimulation, checkRunSize } from '../sim/simulation.ts';
import { CLI_BUDGET, scaledBudget, type RunBudget } from '../sim/budget.ts';
import type { RunResult } from '../sim/types.ts';
import {
  TIMELINE_EXACT_EVENT_CAP,
  type TimelineRequest,
  type TimelineWindow,
} from '../sim/timelineTypes.ts';
import { TRACE_EVENT_CAP, traceFile, traceJson, type TraceRun } from '../report/traceEvent.ts';
import { formatNs, formatPercent } from '../report/format.ts';
import { perfBenchText, worstAccountingLock } from '../report/perfBench.ts';
import { profilePercent, profileRows } from '../report/profile.ts';
import { speedupCell, speedupRatio } from '../report/speedup.ts';
import { UsageError, parseArgs, type CommandSpec, type OptionSpec } from './args.ts';

export interface CommandOutput {
  /** A file to write once the command is done (sim bench --trace). */
  readonly file?: { readonly path: string; readonly text: string; readonly note: string };
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** DESIGN_IDS is in the series' order, with `ideal` (the reference line) last. */
const RUN_DESIGNS: readonly DesignId[] = DESIGN_IDS;

/** A page column: `--scenario` runs the query's designs A and B. */

interface BenchRun {
  readonly design: DesignId;
  /** The page columns this run stands for, when the designs come from `--scenario`'s query. */
  readonly columns: readonly ColumnId[] | null;
}

interface BenchOptions {
  readonly scenario: Scenario;
  readonly runs: readonly BenchRun[];
  readonly json: boolean;
  readonly help: boolean;
  /** The budget every run must fit: CLI_BUDGET times `--budget`. */
  readonly budget: RunBudget;
  /** `--trace FILE [--trace-window FROM:TO]`: every event of the runs, as a Trace Event file. */
  readonly trace: { readonly path: string; readonly fromNs: number; readonly toNs: number } | null;
}

export const BENCH_USAGE =
  'usage: sim bench [-r R] [-b B] [-p P] [-t T] [--cpus C] [--slots S] [--pools shared|split] ' +
  '[--design ID|all] [--seed N] [--scenario QUERY] [--budget N] [--json] ' +
  '[--trace FILE [--trace-window FROM:TO]]';

/** `--budget N` multiplies sim bench's budget (events and memory) by N. */
export const BUDGET_FACTOR_RANGE = { min: 1, max: 1000 } as const;

const integer = (flags: readonly string[], range: { min: number; max: number }) =>
  ({ kind: 'integer', flags, range }) as const;

const BENCH_ARGS = {
  command: 'bench',
  options: {
    repeat: integer(['-r', '--repeat'], SCENARIO_LIMITS.repeat),
    breakpoints: integer(['-b', '--breakpoints'], SCENARIO_LIMITS.breakpoints),
    parallelism: integer(['-p', '--parallelism'], SCENARIO_LIMITS.parallelism),
    threads: integer(['-t', '--threads'], SCENARIO_LIMITS.threads),
    cpus: integer(['--cpus'], SCENARIO_LIMITS.cpus),
    slots: integer(['--slots'], SCENARIO_LIMITS.slots),
    pools: { kind: 'choice', flags: ['--pools'], noun: 'pools', choices: POOL_MODES },
    design: {
      kind: 'choice',
      flags: ['--design'],
      noun: 'design',
      choices: [...RUN_DESIGNS, 'all'] as readonly (DesignId | 'all')[],
    },
    seed: integer(['--seed'], SCENARIO_LIMITS.seed),
    scenario: { kind: 'text', flags: ['--scenario'], what: 'a slotscope URL query' },
    budget: integer(['--budget'], BUDGET_FACTOR_RANGE),
    json: { kind: 'switch', flags: ['--json'] },
    trace: { kind: 'text', flags: ['--trace'], what: 'a file to write the Trace Event JSON to' },
    traceWindow: {
      kind: 'text',
      flags: ['--trace-window'],
      what: 'FROM:TO, simulated milliseconds from the run start',
    },
  },
  maxPositionals: 0,
  positionalsAllowed: 'options only; see docs/cli.md',
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

/** The query's scenario and its designs A and B. */
function decodeScenarioQuery(query: string): { scenario: Scenario; designs: [DesignId, DesignId] } {
  const decoded = scenarioFromQuery(query);
  if (decoded.newerVersion) {
    throw new UsageError(
      'bench: --scenario: the query comes from a newer slotscope; update to read it',
    );
  }
  if (decoded.corrections.length > 0) {
    throw new UsageError(`bench: --scenario: ${decoded.corrections.join('; ')}`);
  }
  return { scenario: decoded.scenario, designs: [decoded.view.designA, decoded.view.designB] };
}

/** The query's two columns, run once when they name the same design. */
function columnRuns([designA, designB]: readonly [DesignId, DesignId]): BenchRun[] {
  return designA === designB
    ? [{ design: designA, columns: ['A', 'B'] }]
    : [
        { design: designA, columns: ['A'] },
        { design: designB, columns: ['B'] },
      ];
}

/** The recorder's window for a whole run: from 0 to as far as any run may go (2^52 ns, 52 days). */
const WHOLE_RUN_NS = 2 ** 52;

/** `--trace-window FROM:TO` (simulated ms) → [fromNs, toNs). */
function parseTraceWindow(text: string): { fromNs: number; toNs: number } {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text);
  const fromMs = match ? Number(match[1]) : NaN;
  const toMs = match ? Number(match[2]) : NaN;
  if (!(toMs > fromMs)) {
    throw new UsageError(
      `bench: --trace-window: expected FROM:TO in simulated ms with FROM < TO (e.g. 0:5), got '${text}'`,
    );
  }
  return { fromNs: fromMs * 1e6, toNs: toMs * 1e6 };
}

/** One line when `path` cannot be written (its folder is missing or read-only, or it is a folder). */
function checkWritable(path: string): void {
  try {
    let exists = true;
    try {
      if (statSync(path).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      exists = false;
    }
    accessSync(exists ? path : dirname(path), constants.W_OK);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'not writable';
    throw new UsageError(`bench: --trace: cannot write '${path}': ${code}`);
  }
}

export function parseBenchArgs(args: readonly string[]): BenchOptions {
  const { values, help } = parseArgs(BENCH_ARGS, args);
  // The query first: flags override it wherever they stand.
  const query = values.scenario === undefined ? null : decodeScenarioQuery(values.scenario);
  let scenario = query?.scenario ?? DEFAULT_SCENARIO;
  const { repeat, breakpoints, parallelism, threads, cpus, slots, pools, seed } = values;
  scenario = {
    ...scenario,
    cpus: cpus ?? scenario.cpus,
    slots: slots ?? scenario.slots,
    pools: pools ?? scenario.pools,
    seed: seed ?? scenario.seed,
    thread: {
      repeat: repeat ?? scenario.thread.repeat,
      breakpoints: breakpoints ?? scenario.thread.breakpoints,
      parallelism: parallelism ?? scenario.thread.parallelism,
      threads: threads ?? scenario.thread.threads,
    },
  };
  const { design } = values;
  const runs: BenchRun[] =
    design === 'all'
      ? RUN_DESIGNS.map((d) => ({ design: d, columns: null }))
      : design !== undefined
        ? [{ design, columns: null }]
        : query !== null
          ? columnRuns(query.designs)
          : [{ design: 'list', columns: null }];
  const budget = scaledBudget(CLI_BUDGET, values.budget ?? 1);
  // Refused before anything runs: one line, exit 2, with a smaller run that fits.
  const tooLarge = checkRunSize(
    scenario,
    budget,
    runs.map((r) => r.design),
  );
  if (tooLarge !== null) {
    const raise = values.budget === undefined ? ' (--budget N multiplies it by N)' : '';
    throw new UsageError(`bench: ${tooLarge}${raise}`);
  }
  if (values.traceWindow !== undefined && values.trace === undefined) {
    throw new UsageError('bench: --trace-window needs --trace FILE');
  }
  let trace: BenchOptions['trace'] = null;
  if (values.trace !== undefined && !help) {
    const window =
      values.traceWindow === undefined
        ? { fromNs: 0, toNs: WHOLE_RUN_NS }
        : parseTraceWindow(values.traceWindow);
    checkWritable(values.trace);
    trace = { path: values.trace, ...window };
  }
  return { scenario, runs, json: values.json ?? false, help, budget, trace };
}

/**
 * Runs one design to completion; with `exact`, the run records every event of that window too
 * (the same run: its result is unchanged, its wall time includes the recording).
 */
export function runDesign(
  scenario: Scenario,
  design: DesignId,
  budget: RunBudget = CLI_BUDGET,
  exact?: TimelineRequest,
): { result: RunResult; wallMs: number; window: TimelineWindow | null } {
  const started = performance.now();
  const sim = createSimulation(
    scenario,
    design,
    budget,
    exact === undefined ? {} : { timeline: { exact } },
  );
  while (!sim.advance(1_000_000).done) {
    // run to completion
  }
  const window = sim.exactTimeline();
  return { result: sim.result(), wallMs: performance.now() - started, window };
}

/** The Trace Event file of the runs' windows, and the line that says what it holds. */
function traceOutput(
  path: string,
  scenario: Scenario,
  runs: readonly { design: DesignId; result: RunResult; window: TimelineWindow | null }[],
): NonNullable<CommandOutput['file']> {
  const traceRuns: TraceRun[] = runs.map((r) => {
    const window = r.window as TimelineWindow;
    // A whole-run window ends where the run did.
    return { design: r.design, window: { ...window, toNs: Math.min(window.toNs, r.result.endNs) } };
  });
  const file = traceFile(traceRuns, {
    otherData: { scenario: queryFromScenario(scenario) || '(the default scenario)' },
  });
  const text = traceJson(file);
  const summaries = file.otherData.runs as readonly {
    cpuTracksCut: number;
    lockSlicesCut: number;
    recorderTruncated: number;
  }[];
  const cut = summaries.reduce((n, r) => n + r.cpuTracksCut, 0);
  const dropped = summaries.reduce((n, r) => n + r.recorderTruncated, 0);
  const mb = (text.length / 1e6).toFixed(1);
  const limits =
    `cap ${TRACE_EVENT_CAP.toLocaleString('en-US')} events` +
    (cut > 0 ? `; ${cut} CPU tracks cut` : '') +
    (dropped > 0
      ? `; ${dropped.toLocaleString('en-US')} events past the recorder's ${TIMELINE_EXACT_EVENT_CAP.toLocaleString('en-US')} not recorded`
      : '');
  const note = `bench: trace written to ${path}: ${file.traceEvents.length.toLocaleString('en-US')} events, ${mb} MB (${limits})\n`;
  return { path, text, note };
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
    lines.push(`  ${formatPercent(row.percent).padStart(7)}  ${row.symbol}`);
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
  columns: readonly ColumnId[] | null = null,
): Record<string, unknown> {
  const { repeat, breakpoints, parallelism, threads } = scenario.thread;
  const wait = mainLockWaitUs(result, scenario);
  return {
    design: result.design,
    ...(columns === null ? {} : { columns }),
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
  const { scenario, json } = options;
  if (options.help) return { stdout: BENCH_USAGE + '\n', stderr: '', exitCode: 0 };
  const trace = options.trace;
  const exact: TimelineRequest | undefined =
    trace === null
      ? undefined
      : {
          fromNs: trace.fromNs,
          toNs: trace.toNs,
          bins: 1,
          cpuFrom: 0,
          cpuCount: scenario.cpus,
        };
  const runs = options.runs.map((r) => ({
    ...r,
    ...runDesign(scenario, r.design, options.budget, exact),
  }));
  const file = trace === null ? undefined : traceOutput(trace.path, scenario, runs);
  const failed = runs.some((r) => r.result.openError !== null);
  if (json) {
    const records = runs.map((r) => jsonRecord(scenario, r.result, r.wallMs, r.columns));
    // One object for one design asked for; an array whenever the query's columns A and B are run,
    // even when they are one design.
    const body = runs.length === 1 && runs[0]?.columns === null ? records[0] : records;
    return {
      stdout: JSON.stringify(body, null, 2) + '\n',
      stderr: '',
      exitCode: failed ? 1 : 0,
      ...(file && { file }),
    };
  }
  let out = '';
  for (const r of runs) {
    if (r.columns?.length === 2) out += `# A and B are the same design (${r.design}): one run\n`;
    out += perfBenchText(scenario, r.result);
    if (r.result.openError === null) out += detailsText(r.result);
    if (runs.length > 1) out += '\n';
  }
  if (runs.length > 1) {
    const results = runs.map((r) => r.result);
    out += scenario.workload === 'mixed' ? mixedSummaryText(results) : summaryText(results);
  }
  return { stdout: out, stderr: '', exitCode: failed ? 1 : 0, ...(file && { file }) };
}
