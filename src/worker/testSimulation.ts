/**
 * A test double of a simulation for the worker's tests (runner.test.ts, client.test.ts): it ends
 * after `totalEvents` events and, given a clock, advances it 1 ms per 1,000 events.
 */
import type { RunProgress, RunResult, SampleColumns } from '../sim/types.ts';
import type { RunnableSimulation } from './runner.ts';

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
