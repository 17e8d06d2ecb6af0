/**
 * Simulations for the worker's tests (runner.test.ts, client.test.ts, exactAlways.test.ts): a
 * scripted double, and a runner over the real simulator.
 */
import { createSimulation } from '../sim/simulation.ts';
import type { RunProgress, RunResult, SampleColumns } from '../sim/types.ts';
import { createRunner, type RunnableSimulation, type RunnerDeps } from './runner.ts';

/**
 * A runner over the real simulator, yielding with setTimeout. `made` collects each simulation's
 * keepTimeline, in the order they were made.
 */
export function realRunner(
  options: { made?: boolean[]; summaryAfterRun?: RunnerDeps['summaryAfterRun'] } = {},
) {
  return createRunner({
    createSimulation: (s, design, keepTimeline) => {
      options.made?.push(keepTimeline);
      return createSimulation(
        s,
        design,
        undefined,
        keepTimeline ? { timeline: { summary: true } } : {},
      );
    },
    checkRunSize: () => null,
    ...(options.summaryAfterRun ? { summaryAfterRun: options.summaryAfterRun } : {}),
    now: () => performance.now(),
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
  });
}

/** A scripted simulation: it ends after `totalEvents` events and, given a clock, advances it 1 ms per 1,000 events. */
export function scriptedSimulation(
  totalEvents: number,
  clock: { ms: number } | null = null,
): RunnableSimulation {
  let events = 0;
  const progress = (): RunProgress => ({
    fraction: events / totalEvents,
    simulatedNs: events * 10,
    done: events >= totalEvents,
  });
  return {
    advance(maxEvents) {
      const step = Math.min(maxEvents, totalEvents - events);
      events += step;
      if (clock !== null) clock.ms += step / 1000;
      return progress();
    },
    samples: () => ({ cpus: 2, spinWaiters: new Float32Array(4) }) as unknown as SampleColumns,
    result: () => ({ design: 'list', totalTimeNs: events * 10 }) as unknown as RunResult,
  };
}
