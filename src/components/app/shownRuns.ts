/**
 * What each column draws while a new run is on its way: the previous finished run, ghosted, until
 * the new one finishes, so a change never blanks the page. Pure: the memory of the last finished
 * runs is a value the caller keeps (./ShownRuns.tsx keeps it in React state).
 *
 * Per column: `lastDone` is the latest finished run, `before` the one it replaced (for the change
 * "245 s → 647 s"). A run counts once, by runId.
 */
import { compareRuns, type Comparison } from '../../derive/comparison.ts';
import type { NarrativeInput } from '../../derive/narrative.ts';
import { sameScenario } from '../../scenario/url.ts';
import type { ColumnRun } from '../../state/runStore.ts';
import type { ColumnId } from '../../worker/protocol.ts';

export interface ColumnMemory {
  readonly lastDone: ColumnRun | null;
  readonly before: ColumnRun | null;
}
export type RunMemory = Readonly<Record<ColumnId, ColumnMemory>>;

export const EMPTY_MEMORY: RunMemory = {
  A: { lastDone: null, before: null },
  B: { lastDone: null, before: null },
};

/** The memory after seeing the live runs; the same object when nothing new finished. */
export function rememberRuns(
  memory: RunMemory,
  live: Readonly<Record<ColumnId, ColumnRun>>,
): RunMemory {
  let next = memory;
  for (const column of ['A', 'B'] as const) {
    const run = live[column];
    const { lastDone } = next[column];
    if (run.status === 'done' && lastDone?.runId !== run.runId) {
      next = { ...next, [column]: { lastDone: run, before: lastDone } };
    }
  }
  return next;
}

export interface ShownColumn {
  /** The run the panels draw: the live one, or the previous finished one while a new one runs. */
  readonly run: ColumnRun;
  /** `run` is the previous result, shown ghosted while `live` runs (or after it was cancelled). */
  readonly stale: boolean;
  readonly live: ColumnRun;
  /** The finished run before `run`, when it ran another scenario or design: the change to show. */
  readonly before: ColumnRun | null;
}

export interface ShownRuns {
  readonly A: ShownColumn;
  readonly B: ShownColumn;
  /** The one comparison the race bar, the speedup, the header and the captions read. */
  readonly comparison: Comparison;
  readonly narrative: NarrativeInput;
}

function shownColumn(live: ColumnRun, memory: ColumnMemory, partner: ColumnRun): ShownColumn {
  const { lastDone, before } = memory;
  const waiting = live.status === 'running' || live.status === 'cancelled';
  if (waiting && lastDone && lastDone.runId !== live.runId) {
    return { run: lastDone, stale: true, live, before: null };
  }
  // Runs started together are shown together: a column that finished first keeps its previous
  // result (ghosted) until its partner finishes, so the comparison, the narrative and the captions
  // change once, not twice.
  const partnerPending =
    partner.runId === live.runId &&
    (partner.status === 'running' || partner.status === 'cancelled');
  if (live.status === 'done' && partnerPending && before) {
    return { run: before, stale: true, live, before: null };
  }
  const changed =
    live.status === 'done' &&
    before !== null &&
    (before.design !== live.design || !sameScenario(before.scenario, live.scenario));
  return { run: live, stale: false, live, before: changed ? before : null };
}

export function shownRuns(
  live: Readonly<Record<ColumnId, ColumnRun>>,
  memory: RunMemory,
): ShownRuns {
  const A = shownColumn(live.A, memory.A, live.B);
  const B = shownColumn(live.B, memory.B, live.A);
  const same = sameScenario(A.run.scenario, B.run.scenario);
  const comparison = compareRuns(A.run.result, B.run.result, same ? A.run.scenario : null);
  return {
    A,
    B,
    comparison,
    narrative: {
      scenario: A.run.scenario,
      designs: { A: A.run.design, B: B.run.design },
      results: { A: A.run.result, B: B.run.result },
      comparison,
    },
  };
}
