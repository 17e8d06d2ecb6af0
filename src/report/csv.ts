/**
 * CSV of what the page shows: each sample stream (frames, sampled acquisitions, ENOSPC per CPU)
 * and each table (lock statistics, the profile, the runs' results). RFC 4180: CRLF between
 * records, a field quoted when it holds a comma, a quote, CR or LF, quotes doubled. Numbers are
 * written unformatted (no separators, no units: the unit is in the column's name, `wait_ns`),
 * so a spreadsheet or pandas reads them as numbers. Pure: the page downloads these, the CLI can
 * print them.
 *
 * Example (`lockStatsCsv`):
 *   lock,acquisitions,contended,wait_p50_ns,wait_p99_ns,wait_max_ns,hold_total_ns
 *   nr_bp_mutex,15872,15790,1234.5,56789,99999,1.5e+9
 */
import { CPU_STATE_COUNT, CPU_STATE_TABLE } from '../sim/cpuStates.ts';
import {
  PROFILE_SYMBOLS,
  type LockStats,
  type RunResult,
  type SampleColumns,
} from '../sim/types.ts';
import type { PublishedProfile } from './published.ts';

export type CsvField = string | number | null;

/** One field: numbers in JavaScript's shortest round-trip form, '' for null or a non-finite number. */
function field(value: CsvField): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A CSV document: the header, then one record per row, each ended by CRLF. */
export function csvText(header: readonly string[], rows: Iterable<readonly CsvField[]>): string {
  const lines = [header.map(field).join(',')];
  for (const row of rows) {
    if (row.length !== header.length) {
      throw new RangeError(`csv row has ${row.length} fields, the header ${header.length}`);
    }
    lines.push(row.map(field).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * A Float32 sample as the shortest decimal that reads back to the same float32: the columns hold
 * float32s, and String() of one widened to a double prints noise (3.299999952316284 for 3.3).
 */
export function float32Field(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  for (let digits = 1; digits < 9; digits++) {
    const short = Number(value.toPrecision(digits));
    if (Math.fround(short) === value) return short;
  }
  return value;
}

/**
 * One record per frame the run reached: its time span, the time-averaged CPUs in each state, the
 * time-averaged waiters on the accounting locks, and the reserves refused with ENOSPC in it.
 */
export function framesCsv(samples: SampleColumns): string {
  const header = [
    'start_ns',
    'end_ns',
    ...CPU_STATE_TABLE.map((s) => `${s.name}_cpus`),
    'spinning_waiters',
    'sleeping_waiters',
    'enospc_reserves',
  ];
  const rows: CsvField[][] = [];
  for (let f = 0; f < samples.frameCount; f++) {
    const states: number[] = [];
    for (let s = 0; s < CPU_STATE_COUNT; s++) {
      states.push(float32Field(samples.stateCpus[f * CPU_STATE_COUNT + s] ?? 0));
    }
    rows.push([
      f * samples.frameNs,
      (f + 1) * samples.frameNs,
      ...states,
      float32Field(samples.spinWaiters[f] ?? 0),
      float32Field(samples.sleepWaiters[f] ?? 0),
      samples.enospcPerFrame[f] ?? 0,
    ]);
  }
  return csvText(header, rows);
}

/**
 * One record per sampled accounting-lock acquisition: when it got the lock, how long it waited
 * and held it. `sampled_1_in` is the stride: each record stands for that many acquisitions.
 */
export function acquisitionsCsv(samples: SampleColumns): string {
  const count = Math.min(samples.acquisitionCount, samples.acquisitionAtNs.length);
  const rows: CsvField[][] = [];
  for (let i = 0; i < count; i++) {
    rows.push([
      samples.acquisitionAtNs[i] ?? 0,
      samples.acquisitionWaitNs[i] ?? 0,
      samples.acquisitionHoldNs[i] ?? 0,
      samples.acquisitionStride,
    ]);
  }
  return csvText(['acquired_at_ns', 'wait_ns', 'hold_ns', 'sampled_1_in'], rows);
}

/** One record per CPU: the reserves refused because that CPU had no slot left, over the run. */
export function enospcPerCpuCsv(samples: SampleColumns): string {
  const rows: CsvField[][] = [];
  for (let cpu = 0; cpu < samples.cpus; cpu++) rows.push([cpu, samples.enospcPerCpu[cpu] ?? 0]);
  return csvText(['cpu', 'enospc_reserves'], rows);
}

/** The lock table, every lock class the run took. */
export function lockStatsCsv(locks: readonly LockStats[]): string {
  return csvText(
    [
      'lock',
      'acquisitions',
      'contended',
      'wait_p50_ns',
      'wait_p99_ns',
      'wait_max_ns',
      'hold_total_ns',
    ],
    locks.map((l) => [
      l.lock,
      l.acquisitions,
      l.contended,
      l.wait.p50Ns,
      l.wait.p99Ns,
      l.wait.maxNs,
      l.holdTotalNs,
    ]),
  );
}

/**
 * Every kernel symbol that took CPU time or has a published figure, largest first (the panel's
 * order; it shows the top rows only): CPU time and its share of the busy time.
 */
export function profileCsv(result: RunResult, published: PublishedProfile | null): string {
  let totalNs = 0;
  for (const symbol of PROFILE_SYMBOLS) totalNs += result.profileNs[symbol] ?? 0;
  const rows = PROFILE_SYMBOLS.map((symbol) => {
    const ns = result.profileNs[symbol] ?? 0;
    return {
      symbol,
      ns,
      percent: totalNs > 0 ? (100 * ns) / totalNs : 0,
      publishedPercent: published?.[symbol] ?? null,
    };
  })
    .filter((row) => row.ns > 0 || row.publishedPercent !== null)
    .sort((a, b) => b.ns - a.ns);
  return csvText(
    ['symbol', 'cpu_time_ns', 'percent', 'published_percent'],
    rows.map((r) => [r.symbol, r.ns, r.percent, r.publishedPercent]),
  );
}

/** One record per run: perf bench's figures and the run's counts (the CLI's `--json` fields). */
export function resultsCsv(
  runs: ReadonlyArray<{ readonly column: string; readonly result: RunResult }>,
): string {
  return csvText(
    [
      'column',
      'design',
      'total_time_ns',
      'untimed_tail_ns',
      'end_ns',
      'usecs_per_op',
      'usecs_per_op_per_cpu',
      'accounting_ops',
      'enospc',
      'open_error',
      'threads_created',
      'peak_live_threads',
      'events',
    ],
    runs.map(({ column, result: r }) => [
      column,
      r.design,
      r.totalTimeNs,
      // As the race bar draws it (derive/comparison.ts raceSpan): a failed open timed nothing.
      Math.max(0, r.endNs - (r.openError ? 0 : r.totalTimeNs)),
      r.endNs,
      r.usecsPerOp,
      r.usecsPerOpPerCpu,
      r.accountingOps,
      r.enospc,
      r.openError ?? '',
      r.threadsCreated,
      r.peakLiveThreads,
      r.events,
    ]),
  );
}
