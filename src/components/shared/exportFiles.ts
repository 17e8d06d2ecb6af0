/**
 * The files each panel offers beside its picture, in one place so the panels add one element each.
 * Every builder runs on click, from the run the panel draws; null means the data is not there yet.
 */
import {
  acquisitionsCsv,
  enospcPerCpuCsv,
  framesCsv,
  lockStatsCsv,
  profileCsv,
  resultsCsv,
} from '../../report/csv.ts';
import { scenarioQuery } from '../../report/exportName.ts';
import type { PublishedProfile } from '../../report/published.ts';
import type { TimelineRequest, TimelineWindow } from '../../sim/timelineTypes.ts';
import type { LockStats, RunResult, SampleColumns } from '../../sim/types.ts';
import type { ColumnRun } from '../../state/runStore.ts';
import type { ColumnId } from '../../worker/protocol.ts';
import { buildTraceOffThread } from '../../worker/traceClient.ts';
import type { ExportFile } from './PanelExport.tsx';

const framesFile = (samples: SampleColumns | null): ExportFile => ({
  label: 'CSV: per frame (CPU states, waiters, ENOSPC)',
  name: 'frames',
  extension: 'csv',
  build: () => (samples ? framesCsv(samples) : null),
});

export function gridFiles(samples: SampleColumns | null): ExportFile[] {
  return [
    framesFile(samples),
    {
      label: 'CSV: ENOSPC per CPU',
      name: 'enospc-per-cpu',
      extension: 'csv',
      build: () => (samples ? enospcPerCpuCsv(samples) : null),
    },
  ];
}

export function lockFiles(
  samples: SampleColumns | null,
  locks: readonly LockStats[] | null,
): ExportFile[] {
  return [
    framesFile(samples),
    {
      label: 'CSV: sampled acquisitions (wait, hold)',
      name: 'acquisitions',
      extension: 'csv',
      build: () => (samples ? acquisitionsCsv(samples) : null),
    },
    {
      label: 'CSV: lock table',
      name: 'lock-table',
      extension: 'csv',
      build: () => (locks ? lockStatsCsv(locks) : null),
    },
  ];
}

export function profileFiles(
  result: RunResult | null,
  published: PublishedProfile | null,
): ExportFile[] {
  return [
    {
      label: 'CSV: profile, every symbol',
      name: 'profile',
      extension: 'csv',
      build: () => (result ? profileCsv(result, published) : null),
    },
  ];
}

/** perf bench's lines as the panel shows them, and the run's figures. */
export function resultFiles(
  column: string,
  result: RunResult | null,
  perfText: string | null,
): ExportFile[] {
  return [
    {
      label: 'Text: perf bench output',
      name: 'perf-bench',
      extension: 'txt',
      build: () => (perfText === null ? null : `${perfText}\n`),
    },
    {
      label: 'CSV: result figures',
      name: 'result',
      extension: 'csv',
      build: () => (result ? resultsCsv([{ column, result }]) : null),
    },
  ];
}

/** The workers' windows of a finished run (AppServices.timeline). */
export type WindowSource = (
  column: ColumnId,
  runId: number,
  request: TimelineRequest,
) => Promise<TimelineWindow | null>;

/** Each column's window in its own ns: the timeline's selected window, or null for whole runs. */
export type ColumnWindowsNs = Readonly<Record<ColumnId, readonly [number, number]>> | null;

/**
 * Every event of both runs as a Trace Event file (report/traceEvent.ts): the workers re-simulate
 * each finished run with every event recorded (runs are deterministic, so the events are the
 * run's own), from 0 to its end, or inside `windows` (each column's own ns) when given; a worker
 * of its own writes the file (../../worker/trace.worker.ts), not the page's thread.
 */
async function bothRunsTrace(
  a: ColumnRun,
  b: ColumnRun,
  source: WindowSource,
  windowsNs: ColumnWindowsNs,
): Promise<Blob> {
  const runs = [
    ['A', a],
    ['B', b],
  ] as const;
  const windows = await Promise.all(
    runs.map(([column, run]) =>
      source(column, run.runId, {
        fromNs: windowsNs === null ? 0 : windowsNs[column][0],
        toNs: windowsNs === null ? Math.max(1, run.result?.endNs ?? 0) : windowsNs[column][1],
        bins: 1,
        cpuFrom: 0,
        cpuCount: run.scenario.cpus,
        exact: 'always',
      }),
    ),
  );
  const [windowA, windowB] = windows;
  if (!windowA || !windowB) {
    throw new Error('a newer run replaced the one shown; export again once it finishes');
  }
  const query = scenarioQuery(a.scenario);
  return buildTraceOffThread(
    [
      { design: a.design, window: windowA },
      { design: b.design, window: windowB },
    ],
    query === '' ? 'default' : query,
  );
}

/**
 * The Trace Event file of both runs, inside `windows` or whole: one entry for the race bar's list
 * and the timeline's.
 */
function traceExport(
  a: ColumnRun,
  b: ColumnRun,
  source: WindowSource,
  windows: ColumnWindowsNs,
  label: string,
): ExportFile {
  const finished = a.status === 'done' && b.status === 'done';
  return {
    label,
    name: windows === null ? 'trace' : 'trace-window',
    extension: 'json',
    building: 'Building the trace: re-simulating both runs with every event recorded…',
    build: () => (finished ? bothRunsTrace(a, b, source, windows) : null),
  };
}

/** Both columns' figures (the race bar's timed regions and tails), and every event of both runs. */
export function raceFiles(a: ColumnRun, b: ColumnRun, source: WindowSource): ExportFile[] {
  return [
    {
      label: 'CSV: both results',
      name: 'race',
      extension: 'csv',
      build: () =>
        a.result && b.result
          ? resultsCsv([
              { column: 'A', result: a.result },
              { column: 'B', result: b.result },
            ])
          : null,
    },
    traceExport(a, b, source, null, 'Trace (Perfetto / speedscope)'),
  ];
}

/**
 * The timeline's files: every event of both runs inside the window it shows (the whole runs when
 * it shows them), as a Trace Event file.
 */
export function timelineFiles(
  a: ColumnRun,
  b: ColumnRun,
  source: WindowSource,
  windows: ColumnWindowsNs,
): ExportFile[] {
  const label =
    windows === null
      ? 'Trace of both runs (Perfetto / speedscope)'
      : 'Trace of this window (Perfetto / speedscope)';
  return [traceExport(a, b, source, windows, label)];
}
