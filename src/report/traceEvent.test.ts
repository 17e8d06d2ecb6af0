import { describe, expect, it } from 'vitest';
import * as Trace from '@paulirish/trace_engine';
import type { DesignId } from '../engine/types.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { createSimulation } from '../sim/simulation.ts';
import { exactWindow } from '../sim/timelineRun.ts';
import { timelineWindow, type TimelineSummaryData } from '../sim/timeline.ts';
import type { TimelineWindow } from '../sim/timelineTypes.ts';
import { designLabel } from './designs.ts';
import {
  cpuTrackName,
  traceFile,
  traceJson,
  type TraceEvent,
  type TraceRun,
} from './traceEvent.ts';

const scenario: Scenario = {
  ...DEFAULT_SCENARIO,
  cpus: 8,
  thread: { repeat: 1, breakpoints: 4, parallelism: 2, threads: 4 },
};

function wholeRun(design: DesignId): { window: TimelineWindow; summary: TimelineSummaryData } {
  const sim = createSimulation(scenario, design, undefined, { timeline: { summary: true } });
  while (!sim.advance(20_000).done) {
    // run
  }
  const summary = sim.timelineSummary() as TimelineSummaryData;
  const window = exactWindow(scenario, design, {
    fromNs: 0,
    toNs: summary.endNs + 1,
    bins: 64,
    cpuFrom: 0,
    cpuCount: scenario.cpus,
  });
  return { window, summary };
}

const list = wholeRun('list');
const final = wholeRun('final');
const runs: TraceRun[] = [
  { design: 'list', window: list.window },
  { design: 'final', window: final.window },
];

const byPh = (events: readonly TraceEvent[], ph: TraceEvent['ph']) =>
  events.filter((e) => e.ph === ph);

describe('trace export', () => {
  const file = traceFile(runs);
  const events = file.traceEvents;

  it('names both designs as processes and every track', () => {
    const names = byPh(events, 'M').filter((e) => e.name === 'process_name');
    expect(names.map((e) => [e.pid, e.args?.name])).toEqual([
      [1, designLabel('list')],
      [2, designLabel('final')],
    ]);
    const tracks = new Set(
      byPh(events, 'M')
        .filter((e) => e.name === 'thread_name')
        .map((e) => e.tid),
    );
    for (const e of [...byPh(events, 'X'), ...byPh(events, 's'), ...byPh(events, 'f')]) {
      expect(tracks.has(e.tid)).toBe(true);
    }
    // tids never repeat across the two processes.
    const pidOfTid = new Map<number, number>();
    for (const e of byPh(events, 'X')) {
      expect(pidOfTid.get(e.tid as number) ?? e.pid).toBe(e.pid);
      pidOfTid.set(e.tid as number, e.pid);
    }
  });

  it('writes every busy CPU span and every owner slice of the windows, in microseconds', () => {
    const spans = list.window.spans;
    if (spans === null) throw new Error('exact window without spans');
    let busyNs = 0;
    for (let i = 0; i < spans.count; i++) {
      if (spans.state[i] !== 0) busyNs += (spans.endNs[i] as number) - (spans.startNs[i] as number);
    }
    const cpuSlices = byPh(events, 'X').filter((e) => e.pid === 1 && e.cat !== 'lock');
    const writtenUs = cpuSlices.reduce((sum, e) => sum + (e.dur as number), 0);
    expect(writtenUs).toBeCloseTo(busyNs / 1000, 3);
    const mutex = list.window.locks.find((t) => t.lock === 'nr_bp_mutex');
    const owners = byPh(events, 'X').filter((e) => e.pid === 1 && e.cat === 'lock');
    expect(owners.length).toBe(mutex?.slices.count);
    expect(owners.every((e) => /^thread \d+$/.test(e.name))).toBe(true);
  });

  it('keeps each track nested: slices on one track never overlap partially', () => {
    const byTrack = new Map<number, TraceEvent[]>();
    for (const e of byPh(events, 'X')) {
      const list2 = byTrack.get(e.tid as number) ?? [];
      list2.push(e);
      byTrack.set(e.tid as number, list2);
    }
    for (const slices of byTrack.values()) {
      slices.sort((a, b) => (a.ts as number) - (b.ts as number));
      for (let k = 1; k < slices.length; k++) {
        const prev = slices[k - 1] as TraceEvent;
        expect(slices[k]?.ts).toBeGreaterThanOrEqual(
          (prev.ts as number) + (prev.dur as number) - 1e-9,
        );
      }
    }
  });

  it('pairs each hand-off arrow with the slice that starts where it is bound', () => {
    const starts = new Set(byPh(events, 'X').map((e) => `${e.tid}@${e.ts}`));
    const flowStarts = byPh(events, 's');
    const flowEnds = byPh(events, 'f');
    expect(flowStarts.length).toBeGreaterThan(0);
    expect(flowEnds.map((e) => e.id)).toEqual(flowStarts.map((e) => e.id));
    for (const e of [...flowStarts, ...flowEnds]) expect(starts.has(`${e.tid}@${e.ts}`)).toBe(true);
  });

  it('cuts whole CPU tracks past its event cap, busiest kept, and says so', () => {
    const full = traceFile(runs);
    const cap = Math.floor(full.traceEvents.length / 2);
    const cut = traceFile(runs, { eventCap: cap });
    expect(cut.traceEvents.length).toBeLessThanOrEqual(cap);
    const summaries = cut.otherData.runs as { cpuTracks: number; cpuTracksCut: number }[];
    const fullSummaries = full.otherData.runs as { cpuTracks: number }[];
    expect(summaries.reduce((n, r) => n + r.cpuTracksCut, 0)).toBeGreaterThan(0);
    summaries.forEach((r, i) =>
      expect(r.cpuTracks + r.cpuTracksCut).toBe(fullSummaries[i]?.cpuTracks),
    );
    // Both processes keep their names whatever was cut.
    expect(byPh(cut.traceEvents, 'M').filter((e) => e.name === 'process_name')).toHaveLength(2);
  });

  it('refuses a summary window: a trace holds real events only', () => {
    const coarse = timelineWindow(list.summary, {
      fromNs: 0,
      toNs: list.summary.endNs,
      bins: 10,
      cpuFrom: 0,
      cpuCount: 8,
    });
    expect(() => traceFile([{ design: 'list', window: coarse }])).toThrow(/exact windows/);
  });

  it('puts traceEvents first and keeps ts in microseconds (never displayTimeUnit ns)', () => {
    const text = traceJson(file);
    expect(text.startsWith('{"traceEvents":[')).toBe(true);
    const parsed = JSON.parse(text) as { displayTimeUnit: string; traceEvents: unknown[] };
    expect(Object.keys(parsed)).toEqual(['traceEvents', 'displayTimeUnit', 'otherData']);
    expect(parsed.displayTimeUnit).toBe('ms');
    expect(parsed.traceEvents).toHaveLength(events.length);
  });
});

describe('trace export, read by Chrome DevTools’ trace engine (@paulirish/trace_engine)', () => {
  it('parses without errors and finds our processes, tracks, slices and flows', async () => {
    // The engine measures layout with DOMRect, which Node lacks.
    const g = globalThis as { DOMRect?: unknown };
    g.DOMRect ??= class {
      constructor(
        readonly x = 0,
        readonly y = 0,
        readonly width = 0,
        readonly height = 0,
      ) {}
    };
    const text = traceJson(traceFile(runs));
    const parsed = JSON.parse(text) as { traceEvents: Trace.Types.Events.Event[] };
    const model = Trace.TraceModel.Model.createWithAllHandlers();
    await model.parse(parsed.traceEvents);
    const data = model.parsedTrace()?.data;
    expect(data).toBeDefined();
    if (!data) return;
    expect(data.Meta.traceIsGeneric).toBe(true);
    expect([...data.Meta.processNames.entries()].map(([pid, e]) => [pid, e.args.name])).toEqual([
      [1, designLabel('list')],
      [2, designLabel('final')],
    ]);
    const threads = (pid: number) => [
      ...(data.Renderer.processes.get(pid as Trace.Types.Events.ProcessID)?.threads.values() ?? []),
    ];
    const listThreads = threads(1);
    expect(listThreads.map((t) => t.name)).toContain('lock nr_bp_mutex');
    expect(listThreads.map((t) => t.name)).toContain(cpuTrackName(0, 8));
    const mutexTrack = listThreads.find((t) => t.name === 'lock nr_bp_mutex');
    const mutex = list.window.locks.find((t) => t.lock === 'nr_bp_mutex');
    expect(mutexTrack?.entries.length).toBe(mutex?.slices.count);
    expect(threads(2).map((t) => t.name)).toContain('lock bp_cpuinfo_sem');
    // Every hand-off of the list run became a flow the engine bound to two of our slices.
    const handoffs = list.window.locks.reduce((n, t) => n + t.handoffs.count, 0);
    expect(handoffs).toBeGreaterThan(0);
    expect(data.Flows.flows.length).toBeGreaterThan(0);
    for (const flow of data.Flows.flows) {
      expect(flow).toHaveLength(2);
      expect(flow.map((e) => [String(e.ph), e.cat])).toEqual([
        ['X', 'lock'],
        ['X', 'lock'],
      ]);
    }
  });
});
