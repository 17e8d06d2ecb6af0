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
import type { PublishedProfile } from '../../report/published.ts';
import type { LockStats, RunResult, SampleColumns } from '../../sim/types.ts';
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

/** Both columns' figures, one record each (the race bar's timed regions and tails). */
export function raceFiles(a: RunResult | null, b: RunResult | null): ExportFile[] {
  return [
    {
      label: 'CSV: both results',
      name: 'race',
      extension: 'csv',
      build: () =>
        a && b
          ? resultsCsv([
              { column: 'A', result: a },
              { column: 'B', result: b },
            ])
          : null,
    },
  ];
}
