/**
 * What the timeline costs (issue 9): a run's summary (bytes, and the run's wall time with and
 * without it), a summary window of the whole run, and an exact window by re-simulation at the
 * end of the run (the worst case: it re-runs everything before it).
 *
 *   npx tsx scripts/bench-timeline.ts [--designs list,final]
 *
 * Times are CPU times of this process (process.cpuUsage), so a loaded machine does not inflate
 * them; wall times would.
 */
import { DEFAULT_SCENARIO } from '../src/scenario/scenario.ts';
import type { DesignId } from '../src/engine/types.ts';
import { createSimulation } from '../src/sim/simulation.ts';
import { timelineWindow, type TimelineSummaryData } from '../src/sim/timeline.ts';
import { exactWindow } from '../src/sim/timelineRun.ts';

const arg = process.argv.indexOf('--designs');
const designs = (arg > 0 ? (process.argv[arg + 1] ?? '') : 'list,final').split(',') as DesignId[];
const scenario = DEFAULT_SCENARIO;
const cpus = scenario.cpus;

/** CPU time of this process, ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function run(design: DesignId, summary: boolean): { ms: number; data: TimelineSummaryData | null } {
  const started = cpuMs();
  const sim = createSimulation(scenario, design, undefined, { timeline: { summary } });
  while (!sim.advance(1_000_000).done) {
    // run
  }
  return { ms: cpuMs() - started, data: sim.timelineSummary() };
}

for (const design of designs) {
  const plain = run(design, false);
  const armed = run(design, true);
  const data = armed.data as TimelineSummaryData;
  const whole = { fromNs: 0, toNs: data.endNs, bins: 4096, cpuFrom: 0, cpuCount: cpus };
  let started = cpuMs();
  const coarse = timelineWindow(data, whole);
  const summaryMs = cpuMs() - started;
  // The last 4096 ns of the run at 1 ns bins: finer than any summary frame.
  const last = { ...whole, fromNs: Math.max(0, data.endNs - 4096), toNs: data.endNs };
  started = cpuMs();
  const exact = exactWindow(scenario, design, last);
  const exactMs = cpuMs() - started;
  console.log(
    JSON.stringify({
      design,
      cpus,
      simulatedS: data.endNs / 1e9,
      runCpuMs: Math.round(plain.ms),
      runWithSummaryCpuMs: Math.round(armed.ms),
      summaryBytes: data.bytes,
      summaryFrames: data.level.frameCount,
      summaryFrameNs: data.level.frameNs,
      lockTracks: data.locks.map((t) => `${t.lock}${t.instance ? ` (${t.instance})` : ''}`),
      summaryWindowCpuMs: Math.round(summaryMs),
      summaryWindowSourceNs: coarse.sourceNs,
      exactWindowAtEndCpuMs: Math.round(exactMs),
      exactSpans: exact.spans?.count ?? 0,
      exactTruncated: exact.truncated,
    }),
  );
}
