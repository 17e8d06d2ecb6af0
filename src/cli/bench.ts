/**
 * `sim bench`: perf bench breakpoint thread on the simulated machine, printed in perf bench's own
 * format so the two can be set side by side, followed by the simulated profile and lock
 * statistics. Pure over its arguments: it returns what to print and the exit code.
 */
import { POOL_MODES, createSlotEngine } from '../engine/index.ts';
import {
  allComposedDesigns,
  isComposed,
  isDesignId,
  parseDesignSpec,
  specPreset,
  type DesignSpec,
} from '../engine/spec.ts';
import { DESIGN_IDS, type DesignId } from '../engine/types.ts';
import { DEFAULT_SCENARIO, SCENARIO_LIMITS, type Scenario } from '../scenario/scenario.ts';
import { scenarioFromQuery, type ColumnId } from '../scenario/url.ts';
import { createSimulation, checkRunSize } from '../sim/simulation.ts';
import { CLI_BUDGET, scaledBudget, type RunBudget } from '../sim/budget.ts';
import type { ProfileSymbol, RunResult } from '../sim/types.ts';
import { formatNs, formatPercent } from '../report/format.ts';
import { designMemory, designName, designNaming, memoryText } from '../report/designs.ts';
import { perfBenchText, worstAccountingLock } from '../report/perfBench.ts';
import { profilePercent, profileRows } from '../report/profile.ts';
import { speedupCell, speedupRatio } from '../report/speedup.ts';
import { UsageError, parseArgs, type CommandSpec, type OptionSpec } from './args.ts';

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** DESIGN_IDS is in the series' order, with `ideal` (the reference line) last. */
const RUN_DESIGNS: readonly DesignId[] = DESIGN_IDS;

/** A page column: `--scenario` runs the query's designs A and B. */

interface BenchRun {
  readonly design: DesignSpec;
  /** The page columns this run stands for, when the designs come from `--scenario`'s query. */
  readonly columns: readonly ColumnId[] | null;
}

interface BenchOptions {
  readonly scenario: Scenario;
  readonly runs: readonly BenchRun[];
  readonly json: boolean;
  readonly help: boolean;
  /** `--design parts`: every composition, printed as one table sorted by usecs/op. */
  readonly lab: boolean;
  /** The budget every run must fit: CLI_BUDGET times `--budget`. */
  readonly budget: RunBudget;
}

export const BENCH_USAGE =
  'usage: sim bench [-r R] [-b B] [-p P] [-t T] [--cpus C] [--slots S] [--pools shared|split] ' +
  '[--design ID[,ID...]|all|parts] [--seed N] [--scenario QUERY] [--budget N] [--json]';

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
      kind: 'text',
      flags: ['--design'],
      what: 'a design, store+lock+max, a comma-separated list, all or parts',
    },
    seed: integer(['--seed'], SCENARIO_LIMITS.seed),
    scenario: { kind: 'text', flags: ['--scenario'], what: 'a slotscope URL query' },
    budget: integer(['--budget'], BUDGET_FACTOR_RANGE),
    json: { kind: 'switch', flags: ['--json'] },
  },
  maxPositionals: 0,
  positionalsAllowed: 'options only; see docs/cli.md',
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

/** The query's scenario and its designs A and B. */
function decodeScenarioQuery(query: string): {
  scenario: Scenario;
  designs: [DesignSpec, DesignSpec];
} {
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
function columnRuns([designA, designB]: readonly [DesignSpec, DesignSpec]): BenchRun[] {
  return designA === designB
    ? [{ design: designA, columns: ['A', 'B'] }]
    : [
        { design: designA, columns: ['A'] },
        { design: designB, columns: ['B'] },
      ];
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
  const lab = design === 'parts' || design === 'lab';
  const runs: BenchRun[] =
    design !== undefined
      ? designList(design).map((d) => ({ design: d, columns: null }))
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
  return { scenario, runs, json: values.json ?? false, help, budget, lab };
}

const DESIGN_CHOICES = `${RUN_DESIGNS.join('|')}|all|parts, or store+lock+max`;

/**
 * `--design`'s value: `all` (every named design), `parts` or `lab` (the 64 compositions, as
 * docs/design-lab.md lists them), or a comma-separated list of named designs and compositions
 * (`final,task_struct+percpu-rwsem+histogram`). A bad entry is one line:
 * `bench: --design: invalid design part 'x' (lock: global-mutex|sharded|percpu-rwsem|rwlock)`.
 */
export function designList(text: string): DesignSpec[] {
  if (text === 'all') return [...RUN_DESIGNS];
  if (text === 'parts' || text === 'lab') return allComposedDesigns();
  const specs: DesignSpec[] = [];
  for (const word of text.split(',')) {
    if (word === '') throw new UsageError(`bench: --design: empty design in '${text}'`);
    if (!word.includes('+') && !isDesignId(word)) {
      throw new UsageError(`bench: --design: unknown design '${word}' (${DESIGN_CHOICES})`);
    }
    const parsed = parseDesignSpec(word);
    if (!parsed.ok) throw new UsageError(`bench: --design: ${parsed.error}`);
    if (specs.includes(parsed.spec)) {
      throw new UsageError(`bench: --design: '${word}' is given more than once`);
    }
    specs.push(parsed.spec);
  }
  return specs;
}

export function runDesign(
  scenario: Scenario,
  design: DesignSpec,
  budget: RunBudget = CLI_BUDGET,
): { result: RunResult; wallMs: number } {
  const started = performance.now();
  const sim = createSimulation(scenario, design, budget);
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
  const lines: string[] = [];
  // A composition's store may grow every task (docs/design-lab.md section 4); named designs
  // print as before.
  if (isComposed(result.design)) {
    lines.push('', `# ${designName(result.design)}: ${designNaming(result.design).description}`);
    lines.push(`# memory: ${memoryText(result.design)}`);
  }
  lines.push('', `# Simulated profile (${result.design}; % of busy CPU time):`);
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
  // Compositions' names are longer than the named designs' 10 characters.
  const width = Math.max(10, ...rows.map((r) => r.design.length));
  const lines = [
    '',
    '# Designs on the same workload:',
    `  ${'design'.padEnd(width)}  Total time [s]    usecs/op          speedup vs list`,
  ];
  for (const r of rows) {
    const total = r.openError ? 'ENOSPC' : (r.totalTimeNs / 1e9).toFixed(3);
    const speedup = speedupCell(
      list && !list.openError && !r.openError
        ? speedupRatio(list.totalTimeNs, r.totalTimeNs)
        : null,
    );
    lines.push(
      `  ${r.design.padEnd(width)}  ${total.padStart(14)}  ${r.usecsPerOp.toFixed(6).padStart(16)}  ${speedup.padStart(10)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * `--design parts`: one line per composition, fastest first (by usecs/op; runs that could not
 * open their breakpoints last), with the bytes its store adds per task.
 */
export function labTableText(scenario: Scenario, rows: readonly RunResult[]): string {
  const sorted = [...rows].sort(
    (a, b) =>
      Number(a.openError !== null) - Number(b.openError !== null) || a.usecsPerOp - b.usecsPerOp,
  );
  const width = Math.max(...rows.map((r) => r.design.length));
  const t = scenario.thread;
  const workload =
    scenario.workload === 'thread'
      ? `perf bench breakpoint thread -r ${t.repeat} -b ${t.breakpoints} -p ${t.parallelism} -t ${t.threads}`
      : 'the mixed workload (usecs/op is 0: compare the lock waits)';
  const lines = [
    `# Design lab: ${rows.length} compositions (store+lock+max), fastest first`,
    `# ${workload} on ${scenario.cpus} CPUs`,
    `  ${'design'.padEnd(width)}  ${'usecs/op'.padStart(14)}  ${'Total time [s]'.padStart(14)}  ` +
      `B/task_struct  B/task with bps  main lock wait p99`,
  ];
  for (const r of sorted) {
    const memory = designMemory(r.design);
    const wait = mainLockWaitUs(r, scenario);
    const total = r.openError ? 'ENOSPC' : (r.totalTimeNs / 1e9).toFixed(3);
    const preset = specPreset(r.design);
    const named = isComposed(r.design) && preset !== null ? `  = ${preset}` : '';
    lines.push(
      `  ${r.design.padEnd(width)}  ${r.usecsPerOp.toFixed(6).padStart(14)}  ` +
        `${total.padStart(14)}  ${String(memory?.taskStruct ?? 0).padStart(13)}  ` +
        `${String(memory?.perTaskWithBreakpoints ?? 0).padStart(15)}  ` +
        `${wait.lock === null ? '-' : `${formatNs(wait.p99 * 1e3, 'table')} (${wait.lock})`}${named}`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * CPU time of the accounting calls' own work (what src/sim/accounting.ts charges: the check, the
 * toggle, the hash lookups and list walks, the lazy store's allocations), lock waits excluded: the
 * part of a run the store and max parts change.
 */
const ACCOUNTING_WORK_SYMBOLS = [
  '__reserve_bp_slot',
  'toggle_bp_slot',
  'task_bp_pinned',
  'rhashtable_jhash2',
  'bcmp',
] as const satisfies readonly ProfileSymbol[];

function accountingWorkNs(result: RunResult): number {
  return ACCOUNTING_WORK_SYMBOLS.reduce((sum, sym) => sum + result.profileNs[sym], 0);
}

export function jsonRecord(
  scenario: Scenario,
  result: RunResult,
  wallMs: number,
  columns: readonly ColumnId[] | null = null,
): Record<string, unknown> {
  const { repeat, breakpoints, parallelism, threads } = scenario.thread;
  const wait = mainLockWaitUs(result, scenario);
  const memory = designMemory(result.design);
  return {
    design: result.design,
    ...(columns === null ? {} : { columns }),
    // Bytes the design's store adds per task (docs/design-lab.md section 4); null for ideal.
    memoryBytesPerTask: memory,
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
    accountingWorkSec: accountingWorkNs(result) / 1e9,
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
  const runs = options.runs.map((r) => ({
    ...r,
    ...runDesign(scenario, r.design, options.budget),
  }));
  const failed = runs.some((r) => r.result.openError !== null);
  if (json) {
    const records = runs.map((r) => jsonRecord(scenario, r.result, r.wallMs, r.columns));
    // One object for one design asked for; an array whenever the query's columns A and B are run,
    // even when they are one design.
    const body = runs.length === 1 && runs[0]?.columns === null ? records[0] : records;
    return { stdout: JSON.stringify(body, null, 2) + '\n', stderr: '', exitCode: failed ? 1 : 0 };
  }
  if (options.lab) {
    return {
      stdout: labTableText(
        scenario,
        runs.map((r) => r.result),
      ),
      stderr: '',
      exitCode: failed ? 1 : 0,
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
  return { stdout: out, stderr: '', exitCode: failed ? 1 : 0 };
}
