/**
 * The page's sentences about a pair of runs: the header's second paragraph, the race bar's
 * caption and each panel's caption. All of them are written from one Comparison (./comparison.ts)
 * and the scenario the runs ran, so the words say what the bars and numbers beside them show:
 * which design is faster, by how much, and where to look. Plain text, no markup.
 */
import type { DesignSpec } from '../engine/spec.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { LockStats, RunResult } from '../sim/types.ts';
import type { Comparison, Side } from './comparison.ts';
import { formatCount, formatNs } from '../report/format.ts';
import { isAccountingLock, worstAccountingLock } from '../report/perfBench.ts';
import { profileRows } from '../report/profile.ts';
import { designName } from '../report/designs.ts';

export interface NarrativeInput {
  /** The scenario both runs ran (when they differ the comparison is pending). */
  readonly scenario: Scenario;
  readonly designs: Readonly<Record<Side, DesignSpec>>;
  readonly results: Readonly<Record<Side, RunResult | null>>;
  readonly comparison: Comparison;
}

const other = (side: Side): Side => (side === 'A' ? 'B' : 'A');

/** "perf bench breakpoint thread -r 30 -b 4 -p 64 -t 64 on 256 CPUs". */
export function workloadText(scenario: Scenario): string {
  if (scenario.workload === 'mixed') {
    const m = scenario.mixed;
    return (
      `the mixed workload (debugger watchpoints: ${formatCount(m.tasks)} tasks with ` +
      `${m.bpsPerTask} breakpoints each, ${formatCount(m.cpuBound)} CPU-bound breakpoints, ` +
      `${m.churnPerMs} creates and deletes per ms, ${m.cpuBoundChurnPercent}% of them CPU-bound) ` +
      `for ${formatCount(m.durationMs)} ms on ${formatCount(scenario.cpus)} CPUs`
    );
  }
  const t = scenario.thread;
  return `perf bench breakpoint thread -r ${t.repeat} -b ${t.breakpoints} -p ${t.parallelism} -t ${t.threads} on ${formatCount(scenario.cpus)} CPUs`;
}

/** "A (list)". */
const named = (input: NarrativeInput, side: Side): string =>
  `${side} (${designName(input.designs[side])})`;

/** Where a design's time went, for "where to look": its worst accounting lock's waits. */
function lockWhere(input: NarrativeInput, side: Side): string {
  const result = input.results[side];
  const worst = result ? worstAccountingLock(result) : null;
  if (!result || !worst) return `${side} takes no accounting lock`;
  if (worst.contended === 0) return `in ${side}'s lock panel nothing waits on ${worst.lock}`;
  const share = Math.round((100 * worst.contended) / Math.max(1, worst.acquisitions));
  return (
    `in ${side}'s lock panel ${share}% of the ${formatCount(worst.acquisitions)} acquisitions of ` +
    `${worst.lock} waited (p99 ${formatNs(worst.wait.p99Ns)})`
  );
}

/** The comparison in one sentence, with the numbers the race bar draws. */
export function comparisonSentence(input: NarrativeInput): string {
  const { comparison: c } = input;
  switch (c.kind) {
    case 'pending':
      return 'The comparison appears when both runs have finished.';
    case 'openError': {
      const { breakpoints } = input.scenario.thread;
      const who =
        c.failed.length === 2 ? 'under both designs' : `under ${named(input, c.failed[0] ?? 'A')}`;
      return (
        `perf bench failed to open its breakpoints ${who}: -b ${breakpoints} asks for more than ` +
        `the ${input.scenario.slots} slots per CPU, so perf_event_open returns ENOSPC and nothing ` +
        `is timed. Lower -b or raise the slots to compare the designs.`
      );
    }
    case 'times': {
      const a = formatNs(c.spans.A.timedNs);
      const b = formatNs(c.spans.B.timedNs);
      if (c.sameDesign) {
        return `Both columns run ${designName(input.designs.A)}: the same seeded run gives the same ${a} twice.`;
      }
      if (c.faster === null) {
        return `${named(input, 'A')} and ${named(input, 'B')} take the same time in perf bench's timed region (${a} and ${b}).`;
      }
      const fast = c.faster;
      const factor = c.text.replace(/ (faster|slower)$/, '');
      return (
        `${named(input, fast)} finishes perf bench's timed region ${factor} faster than ` +
        `${named(input, other(fast))}: ${fast === 'A' ? a : b} against ${fast === 'A' ? b : a}.`
      );
    }
    case 'mixed': {
      if (c.sameDesign) {
        return `Both columns run ${designName(input.designs.A)}: the same seeded run, the same waits twice.`;
      }
      const p99 = (side: Side): string => formatNs(c.worst[side]?.wait.p99Ns ?? 0);
      if (c.faster === null) {
        return `Both designs run the same ${formatCount(input.scenario.mixed.durationMs)} ms; their worst accounting waits are alike (p99 ${p99('A')} and ${p99('B')}).`;
      }
      const fast = c.faster;
      const slow = other(fast);
      return (
        `Both designs run the same ${formatCount(input.scenario.mixed.durationMs)} ms, so they ` +
        `compare by the worst accounting-lock wait: ${named(input, slow)} waits up to ` +
        `${p99(slow)} (p99, ${c.worst[slow]?.lock ?? 'no lock'}), ${named(input, fast)} ` +
        `${(c.worst[fast]?.wait.p99Ns ?? 0) > 0 ? p99(fast) : 'not at all'}.`
      );
    }
    default: {
      const unreachable: never = c;
      return unreachable;
    }
  }
}

/** The header's second paragraph: what runs, who wins by how much, where to look. */
export function headerNarrative(input: NarrativeInput): string {
  const { comparison: c } = input;
  const intro = `Below, the same seeded ${workloadText(input.scenario)} runs under design ${named(input, 'A')} and design ${named(input, 'B')}.`;
  const sentence = comparisonSentence(input);
  if ((c.kind !== 'times' && c.kind !== 'mixed') || c.sameDesign || c.faster === null) {
    return `${intro} ${sentence}`;
  }
  const slow = other(c.faster);
  const look =
    c.kind === 'times'
      ? `Where to look: ${lockWhere(input, slow)}; ${lockWhere(input, c.faster)}. The race bar draws both timed regions on one axis: ${c.faster} is the shorter bar.`
      : `Where to look: ${lockWhere(input, slow)}; ${lockWhere(input, c.faster)}.`;
  return `${intro} ${sentence} ${look}`;
}

export interface PanelCaptions {
  readonly grid: string;
  readonly locks: string;
  readonly profile: string;
}

/** Each panel's caption for one column: what it shows here and what to look for. */
export function panelCaptions(input: NarrativeInput, side: Side): PanelCaptions {
  const { comparison: c } = input;
  const design = input.designs[side];
  const result = input.results[side];
  const role =
    (c.kind === 'times' || c.kind === 'mixed') && !c.sameDesign && c.faster !== null
      ? c.faster === side
        ? 'the faster design'
        : 'the slower design'
      : null;
  const worst = result ? worstAccountingLock(result) : null;

  let grid = `What each of the ${formatCount(input.scenario.cpus)} CPUs does under ${design} at the time cursor.`;
  // The thread-lifecycle lock (mmap_lock, the stack cache, tasklist_lock, ...) most often waited on.
  const lifecycle = result?.locks
    .filter((l) => !isAccountingLock(l.lock) && l.contended > 0)
    .reduce<LockStats | null>(
      (most, l) => (most && most.contended >= l.contended ? most : l),
      null,
    );
  const contendedShare = worst ? worst.contended / Math.max(1, worst.acquisitions) : 0;
  if (c.kind === 'openError') {
    grid += ' perf bench stopped at its first perf_event_open, so almost nothing ran.';
  } else if (worst && contendedShare >= 0.1) {
    grid +=
      `${role ? ` ${side} is ${role}:` : ''} ${Math.round(100 * contendedShare)}% of its ` +
      `${worst.lock} acquisitions wait; hatched cells spin on a lock, dotted ones sleep on it.`;
  } else if (result) {
    grid += `${role ? ` ${side} is ${role}:` : ''} its accounting locks hardly wait.`;
    if (lifecycle) {
      grid +=
        ' What waits is creating and joining threads, not the accounting: ' +
        `${formatCount(lifecycle.contended)} of ${formatCount(lifecycle.acquisitions)} ` +
        `${lifecycle.lock} acquisitions waited, the most of the thread-lifecycle locks.`;
    }
  }

  let locks: string;
  if (!result) locks = `Threads waiting on ${design}'s accounting locks over time, then each wait.`;
  else if (!worst) locks = `${design} takes no accounting lock: nothing to wait for.`;
  else if (worst.contended === 0) {
    locks = `No acquisition of ${design}'s accounting locks waited (${worst.lock} taken ${formatCount(worst.acquisitions)} times).`;
  } else {
    locks =
      `Threads waiting on ${design}'s accounting locks over time, then how long each ` +
      `acquisition waited; ${worst.lock} is the worst (p99 ${formatNs(worst.wait.p99Ns)}).`;
  }

  let profile = `Simulated perf report of ${design}: share of CPU time (idle excluded) by kernel symbol.`;
  const top = result ? profileRows(result, null, { limit: 1 })[0] : undefined;
  if (top) profile += ` ${top.symbol} leads with ${top.percent.toFixed(1)}%.`;
  return { grid, locks, profile };
}
