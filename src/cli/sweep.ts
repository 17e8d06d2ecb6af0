/**
 * `sim sweep`: one scenario parameter over a range, each point run for each design, and the
 * Universal Scalability Law fitted per design: the page's "Scaling sweep" from the command line,
 * with the same points (src/scenario/sweep.ts), the same runs (bench's runDesign) and the same
 * fit and tables (src/report/sweep.ts).
 *
 * Points run in parallel on worker threads (./sweep-worker.ts), one per core, the costliest
 * first so the pool finishes together. Points over the budget are refused before anything runs
 * and listed as such; a bad range is one line and exit 2.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseDesignSpec, type DesignSpec } from '../engine/spec.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { scenarioFromQuery } from '../scenario/url.ts';
import {
  SWEEP_PARAM_IDS,
  SWEEP_PARAMS,
  SWEEP_POINTS,
  coerceDesigns,
  defaultSweep,
  sweepFromQuery,
  sweepProblem,
  type SweepSpacing,
  type SweepSpec,
} from '../scenario/sweep.ts';
import { CLI_BUDGET, estimateRunCost, scaledBudget, type RunBudget } from '../sim/budget.ts';
import { checkRunSize } from '../sim/simulation.ts';
import type { RunResult } from '../sim/types.ts';
import {
  pointFromResult,
  pointNotRun,
  sweepCsv,
  sweepJobs,
  sweepJson,
  sweepText,
  type SweepJob,
  type SweepPoint,
} from '../report/sweep.ts';
import { fitSweep } from '../report/sweepFit.ts';
import { UsageError, parseArgs, type CommandSpec, type OptionSpec } from './args.ts';
import { BUDGET_FACTOR_RANGE } from './bench.ts';
import type { CommandIo } from './sim.ts';

export const SWEEP_USAGE =
  'usage: sim sweep --param cpus|p|t|b|tasks|churn [--from N] [--to N] [--points N] ' +
  '[--scale log|linear] [--design ID,ID|all] [--scenario QUERY] [--budget N] [--csv|--json]';

/** What a worker thread is sent (structured-cloned). */
export interface PointRequest {
  readonly id: number;
  readonly scenario: Scenario;
  readonly design: DesignSpec;
  readonly budget: RunBudget;
}

export interface PointReply {
  readonly id: number;
  readonly result: RunResult | null;
  readonly error: string | null;
}

/** Runs points; the pool of worker threads, or the process itself in tests. */
export interface PointRunner {
  run(request: PointRequest): Promise<PointReply>;
  close(): Promise<void>;
}

const SPACINGS: readonly SweepSpacing[] = ['log', 'linear'];

const SWEEP_ARGS = {
  command: 'sweep',
  options: {
    param: { kind: 'choice', flags: ['--param'], noun: 'parameter', choices: SWEEP_PARAM_IDS },
    from: { kind: 'integer', flags: ['--from'], range: { min: 0, max: 100_000 } },
    to: { kind: 'integer', flags: ['--to'], range: { min: 0, max: 100_000 } },
    points: { kind: 'integer', flags: ['--points'], range: SWEEP_POINTS },
    scale: { kind: 'choice', flags: ['--scale'], noun: 'scale', choices: SPACINGS },
    design: { kind: 'text', flags: ['--design'], what: 'designs, comma-separated, or all' },
    scenario: { kind: 'text', flags: ['--scenario'], what: 'a slotscope URL query' },
    budget: { kind: 'integer', flags: ['--budget'], range: BUDGET_FACTOR_RANGE },
    csv: { kind: 'switch', flags: ['--csv'] },
    json: { kind: 'switch', flags: ['--json'] },
  },
  maxPositionals: 0,
  positionalsAllowed: 'options only; see docs/cli.md',
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

export interface SweepOptions {
  readonly spec: SweepSpec;
  readonly scenario: Scenario;
  readonly budget: RunBudget;
  readonly format: 'text' | 'csv' | 'json';
}

/** `all`, or a comma list of named designs and compositions (`store+lock+max`). */
function parseDesigns(text: string): DesignSpec[] {
  for (const item of text.split(',')) {
    const name = item.trim();
    const parsed = name === 'all' ? null : parseDesignSpec(name);
    if (parsed !== null && !parsed.ok) throw new UsageError(`sweep: --design: ${parsed.error}`);
  }
  return coerceDesigns(text, []);
}

/** The options, or a UsageError with one line; null for --help. */
export function parseSweepArgs(args: readonly string[]): SweepOptions | null {
  const { values, help } = parseArgs(SWEEP_ARGS, args);
  if (help) return null;
  let scenario = DEFAULT_SCENARIO;
  let fromQuery: SweepSpec | null = null;
  if (values.scenario !== undefined) {
    const decoded = scenarioFromQuery(values.scenario);
    const sweep = sweepFromQuery(values.scenario);
    if (decoded.newerVersion) {
      throw new UsageError(
        'sweep: --scenario: the query comes from a newer slotscope; update to read it',
      );
    }
    const corrections = [...decoded.corrections, ...sweep.corrections];
    if (corrections.length > 0)
      throw new UsageError(`sweep: --scenario: ${corrections.join('; ')}`);
    scenario = decoded.scenario;
    fromQuery = sweep.sweep;
  }
  if (values.csv && values.json) throw new UsageError('sweep: --csv and --json: choose one');
  const param = values.param ?? fromQuery?.param;
  if (param === undefined) {
    throw new UsageError(
      `sweep: --param: missing (${SWEEP_PARAM_IDS.join('|')}, or a --scenario query with sw=)`,
    );
  }
  // The query's sweep when it sweeps this parameter, else the parameter's defaults; flags win.
  const base = fromQuery !== null && fromQuery.param === param ? fromQuery : defaultSweep(param);
  const spec: SweepSpec = {
    param,
    from: values.from ?? base.from,
    to: values.to ?? base.to,
    points: values.points ?? base.points,
    spacing: values.scale ?? base.spacing,
    designs: values.design !== undefined ? parseDesigns(values.design) : base.designs,
  };
  const problem = sweepProblem(spec, scenario);
  if (problem !== null) throw new UsageError(`sweep: ${problem}`);
  return {
    spec,
    scenario,
    budget: scaledBudget(CLI_BUDGET, values.budget ?? 1),
    format: values.csv ? 'csv' : values.json ? 'json' : 'text',
  };
}

/**
 * A worker thread's first code: register tsx's loader, then load ./sweep-worker.ts. Node 20 does
 * not apply the `--import` loader a worker inherits to the worker's own entry file (it fails with
 * ERR_UNKNOWN_FILE_EXTENSION), so the entry is imported only once tsx is registered, exactly as
 * `npm run sim` (`tsx src/cli/sim.ts`) loads this file.
 */
function workerBootstrap(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./sweep-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
}

/** A pool of worker threads running ./sweep-worker.ts through tsx, as `npm run sim` runs this. */
export function workerPool(size: number = availableParallelism()): PointRunner {
  const idle: Worker[] = [];
  const all: Worker[] = [];
  const waiting: Array<(worker: Worker) => void> = [];
  const bootstrap = workerBootstrap();
  for (let i = 0; i < Math.max(1, size); i++) {
    const worker = new Worker(bootstrap, { eval: true });
    all.push(worker);
    idle.push(worker);
  }
  const take = (): Promise<Worker> => {
    const worker = idle.pop();
    return worker ? Promise.resolve(worker) : new Promise((resolve) => waiting.push(resolve));
  };
  const give = (worker: Worker): void => {
    const next = waiting.shift();
    if (next) next(worker);
    else idle.push(worker);
  };
  return {
    async run(request) {
      const worker = await take();
      try {
        return await new Promise<PointReply>((resolve, reject) => {
          const onError = (error: Error): void => {
            worker.off('message', onMessage);
            reject(error);
          };
          const onMessage = (reply: PointReply): void => {
            worker.off('error', onError);
            resolve(reply);
          };
          worker.once('message', onMessage);
          worker.once('error', onError);
          worker.postMessage(request);
        });
      } finally {
        give(worker);
      }
    },
    async close() {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}

/**
 * Runs every point of the sweep (refusing those over the budget), reporting each as it ends;
 * returns the points in the sweep's order (value, then design).
 */
export async function runSweepPoints(
  options: SweepOptions,
  runner: PointRunner,
  onPoint: (point: SweepPoint, done: number, total: number) => void = () => undefined,
): Promise<SweepPoint[]> {
  const jobs = sweepJobs(options.spec, options.scenario);
  const points: SweepPoint[] = new Array<SweepPoint>(jobs.length);
  let done = 0;
  const finish = (index: number, point: SweepPoint): void => {
    points[index] = point;
    onPoint(point, ++done, jobs.length);
  };
  const runnable: Array<{ index: number; job: SweepJob }> = [];
  jobs.forEach((job, index) => {
    const refusal = checkRunSize(job.scenario, options.budget, [job.design]);
    if (refusal !== null) finish(index, pointNotRun(job.value, job.design, 'refused', refusal));
    else runnable.push({ index, job });
  });
  // Longest first: the pool ends together instead of waiting on one long point at the end.
  runnable.sort(
    (a, b) =>
      estimateRunCost(b.job.scenario, b.job.design).events -
      estimateRunCost(a.job.scenario, a.job.design).events,
  );
  await Promise.all(
    runnable.map(async ({ index, job }) => {
      const reply = await runner.run({
        id: index,
        scenario: job.scenario,
        design: job.design,
        budget: options.budget,
      });
      finish(
        index,
        reply.result !== null
          ? pointFromResult(job.scenario, job.value, job.design, reply.result)
          : pointNotRun(job.value, job.design, 'failed', reply.error ?? 'failed'),
      );
    }),
  );
  return points;
}

export interface SweepCommandOptions {
  /** Write a progress line to stderr (sim.ts: when stderr is a terminal). */
  readonly progress: boolean;
  /** The runner; a pool of worker threads by default. */
  readonly createRunner?: () => PointRunner;
}

export async function runSweep(
  args: readonly string[],
  io: CommandIo,
  command: SweepCommandOptions,
): Promise<number> {
  let options: SweepOptions | null;
  try {
    options = parseSweepArgs(args);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (options === null) {
    await io.stdout(`${SWEEP_USAGE}\n`);
    return 0;
  }
  const runner = (command.createRunner ?? (() => workerPool()))();
  let points: SweepPoint[];
  try {
    points = await runSweepPoints(options, runner, (point, done, total) => {
      if (!command.progress) return;
      const label = SWEEP_PARAMS[options.spec.param].label;
      io.stderr(
        `\rsweep: ${done}/${total} points (${point.design} at ${label} ${point.value}: ${point.status})\x1b[K`,
      );
    });
  } finally {
    await runner.close();
  }
  if (command.progress) io.stderr('\r\x1b[K');
  if (points.every((p) => p.status === 'refused')) {
    io.stderr(`sweep: every point is over the budget: ${points[0]?.message ?? ''}\n`);
    return 2;
  }
  const { spec, scenario } = options;
  const fits = fitSweep(spec, points);
  const text =
    options.format === 'csv'
      ? sweepCsv(spec, scenario, points)
      : options.format === 'json'
        ? JSON.stringify(sweepJson(spec, scenario, points, fits), null, 2) + '\n'
        : sweepText(spec, scenario, points, fits);
  await io.stdout(text);
  return points.some((p) => p.status === 'failed') ? 1 : 0;
}
