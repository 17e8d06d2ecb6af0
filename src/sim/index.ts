/**
 * The simulator's public surface (implementation in ./simulation.ts).
 *
 *   const sim = createSimulation(scenario, 'list');
 *   while (!sim.advance(50_000).done) { ...sim.samples() for a streaming snapshot... }
 *   const result = sim.result();
 */
export * from './types.ts';
export * from '../scenario/costs.ts';
export {
  createSimulation,
  checkRunSize,
  type Simulation,
  type SimulationOptions,
} from './simulation.ts';
export * from './timelineTypes.ts';
export {
  TIMELINE_SUMMARY_BUDGET_BYTES,
  needsExact,
  summaryBinsFor,
  summaryBytesFor,
  timelineBuffers,
  timelineWindow,
  type SummaryLockTrack,
  type TimelineSummaryData,
} from './timeline.ts';
export {
  checkTimelineRequest,
  exactWindow,
  startExactWindow,
  type ExactWindowRun,
} from './timelineRun.ts';
export {
  CLI_BUDGET,
  COST_COEFFICIENTS,
  EVENTS_PER_SECOND,
  PAGE_BUDGET,
  estimateRunCost,
  checkRunCost,
  type RunBudget,
  type RunCost,
} from './budget.ts';
