/**
 * Real events of a window of a finished run, by re-simulating it (runs are deterministic): the
 * same scenario and design with the exact recorder armed for the window (./timeline.ts),
 * stopped as soon as the simulation passes the window's end. It costs what the run costs up to
 * toNs: a window at the end of a run costs the whole run again.
 */
import type { DesignId } from '../engine/types.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { PAGE_BUDGET, type RunBudget } from './budget.ts';
import { createSimulation } from './simulation.ts';
import { TIMELINE_MAX_BINS, type TimelineRequest, type TimelineWindow } from './timelineTypes.ts';

const SLICE_EVENTS = 20_000;

/** null when the request is well formed, else one line that says what is wrong with it. */
export function checkTimelineRequest(request: TimelineRequest): string | null {
  const { fromNs, toNs, bins, cpuFrom, cpuCount } = request;
  if (!Number.isFinite(fromNs) || !Number.isFinite(toNs) || fromNs < 0 || toNs <= fromNs) {
    return `timeline window ${fromNs}..${toNs} ns: needs 0 <= from < to`;
  }
  if (!Number.isInteger(bins) || bins < 1 || bins > TIMELINE_MAX_BINS) {
    return `timeline bins ${bins}: needs a whole number from 1 to ${TIMELINE_MAX_BINS}`;
  }
  if (!Number.isInteger(cpuFrom) || !Number.isInteger(cpuCount) || cpuFrom < 0 || cpuCount < 0) {
    return `timeline CPUs ${cpuFrom}+${cpuCount}: needs whole numbers >= 0`;
  }
  return null;
}

/** A re-simulation for one window, in slices (the worker yields between them). */
export interface ExactWindowRun {
  /** Runs up to `maxEvents` more events; true once the run has passed the window or ended. */
  step(maxEvents: number): boolean;
  /** The window; call once, after step() returned true. */
  window(): TimelineWindow;
}

export function startExactWindow(
  scenario: Scenario,
  design: DesignId,
  request: TimelineRequest,
  budget: RunBudget = PAGE_BUDGET,
): ExactWindowRun {
  const problem = checkTimelineRequest(request);
  if (problem !== null) throw new RangeError(problem);
  const sim = createSimulation(scenario, design, budget, { timeline: { exact: request } });
  return {
    step(maxEvents: number): boolean {
      const progress = sim.advance(maxEvents);
      return progress.done || progress.simulatedNs >= request.toNs;
    },
    window: () => sim.exactTimeline() as TimelineWindow,
  };
}

/** The window with every event in it (up to TIMELINE_EXACT_EVENT_CAP), by re-simulation. */
export function exactWindow(
  scenario: Scenario,
  design: DesignId,
  request: TimelineRequest,
  budget: RunBudget = PAGE_BUDGET,
): TimelineWindow {
  const run = startExactWindow(scenario, design, request, budget);
  while (!run.step(SLICE_EVENTS)) {
    // re-simulating up to the window's end
  }
  return run.window();
}
