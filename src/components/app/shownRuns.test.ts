import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO } from '../../scenario/scenario.ts';
import type { RunResult } from '../../sim/types.ts';
import type { ColumnRun } from '../../state/runStore.ts';
import { EMPTY_MEMORY, rememberRuns, shownRuns } from './shownRuns.ts';

function run(runId: number, status: ColumnRun['status'], totalTimeNs = 0): ColumnRun {
  const result =
    status === 'done'
      ? ({
          design: 'list',
          totalTimeNs,
          endNs: totalTimeNs,
          openError: null,
          locks: [],
        } as unknown as RunResult)
      : null;
  return {
    scenario: DEFAULT_SCENARIO,
    design: 'list',
    runId,
    status,
    progress: null,
    samples: null,
    result,
    message: null,
    startedAtMs: 0,
    firstSamplesAfterMs: null,
    doneAfterMs: null,
  };
}

describe('shown runs', () => {
  it('ghost the previous result while a new run runs, then show the new one', () => {
    const first = { A: run(1, 'done', 245e9), B: run(1, 'done', 67e6) };
    let memory = rememberRuns(EMPTY_MEMORY, first);
    expect(rememberRuns(memory, first)).toBe(memory);

    const running = { A: run(2, 'running'), B: run(2, 'running') };
    memory = rememberRuns(memory, running);
    const during = shownRuns(running, memory);
    expect(during.A.stale).toBe(true);
    expect(during.A.run.result?.totalTimeNs).toBe(245e9);
    expect(during.comparison.kind).toBe('times');

    const second = { A: run(3, 'done', 647e9), B: run(3, 'done', 67e6) };
    memory = rememberRuns(memory, second);
    const after = shownRuns(second, memory);
    expect(after.A.stale).toBe(false);
    expect(after.A.run.result?.totalTimeNs).toBe(647e9);
  });
  it('show a cancelled run’s previous result, still ghosted', () => {
    const memory = rememberRuns(EMPTY_MEMORY, { A: run(1, 'done', 1), B: run(1, 'done', 1) });
    const shown = shownRuns({ A: run(2, 'cancelled'), B: run(2, 'cancelled') }, memory);
    expect(shown.A.stale).toBe(true);
    expect(shown.A.live.status).toBe('cancelled');
  });
});

describe('runs started together', () => {
  it('are shown together: the first to finish waits, ghosted, for its partner', () => {
    let memory = rememberRuns(EMPTY_MEMORY, { A: run(1, 'done', 5), B: run(1, 'done', 1) });
    const half = { A: run(2, 'done', 7), B: run(2, 'running') };
    memory = rememberRuns(memory, half);
    const shown = shownRuns(half, memory);
    expect(shown.A.stale).toBe(true);
    expect(shown.A.run.result?.totalTimeNs).toBe(5);
    expect(shown.B.stale).toBe(true);
  });
});
