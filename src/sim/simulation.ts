// Placeholder module boundary; the discrete-event simulation lands here (issue 3).
import type { DesignId } from '../engine/types.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { RunProgress, RunResult, SampleColumns } from './types.ts';

export interface Simulation {
  readonly design: DesignId;
  readonly scenario: Scenario;
  /** Runs up to `maxEvents` more events; cheap to call repeatedly. */
  advance(maxEvents: number): RunProgress;
  /** A copy of the sample columns so far (safe to transfer). */
  samples(): SampleColumns;
  /** The result; throws before advance() has reported done. */
  result(): RunResult;
}

/** null when the scenario fits the simulator's budget, else a message with a smaller suggestion. */
export declare function checkRunSize(scenario: Scenario): string | null;
export declare function createSimulation(scenario: Scenario, design: DesignId): Simulation;
