/**
 * The named scenarios the page offers. Each preset names the fields it sets; everything else
 * returns to the defaults, so a preset always shows the same thing.
 */
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { DEFAULT_VIEW, type ViewState } from '../scenario/url.ts';

export interface Preset {
  readonly id: string;
  readonly label: string;
  /** What the preset shows and what to look at, shown under the presets when it is chosen. */
  readonly description: string;
  readonly scenario: Scenario;
  readonly view: ViewState;
}

const seed = DEFAULT_SCENARIO;

export const PRESETS: readonly Preset[] = [
  {
    id: 'seed',
    label: 'Seed: perf bench -r 30 -b 4 -p 64 -t 64 on 256 CPUs',
    description:
      'The series’ own benchmark: published 236 s before the series (list), 0.067 s after (final).',
    scenario: seed,
    view: DEFAULT_VIEW,
  },
  {
    id: 'heavier',
    label: 'Heavier: -r 100 -p 128 -t 512',
    description: 'Ten times the threads: list’s cost grows with tasks times CPUs.',
    scenario: { ...seed, thread: { ...seed.thread, repeat: 100, parallelism: 128, threads: 512 } },
    view: DEFAULT_VIEW,
  },
  {
    id: 'few-tasks',
    label: 'Few tasks: the designs tie',
    description:
      'A 16-CPU machine and a handful of threads: list walks a short list, so the designs finish within a few percent.',
    // list's cost is tasks x CPUs per reserve: with few tasks on a small machine there is nothing
    // for the series to win (at 256 CPUs the per-CPU loops alone still cost list 20x).
    scenario: {
      ...seed,
      cpus: 16,
      thread: { repeat: 10, breakpoints: 1, parallelism: 2, threads: 4 },
    },
    view: DEFAULT_VIEW,
  },
  {
    id: 'watchpoints',
    label: 'Debugger watchpoints with CPU-bound breakpoints (rwsem writer stalls)',
    description:
      'Not perf bench: 512 long-lived tasks hold watchpoints while breakpoints come and go, some of them CPU-bound. sharded (rwlock) against rwsem (percpu-rwsem), whose writers wait an RCU grace period that readers then wait behind: compare the max waits.',
    scenario: {
      ...seed,
      workload: 'mixed',
      mixed: { ...seed.mixed, cpuBound: 256, cpuBoundChurnPercent: 20 },
    },
    // sharded's rwlock writers wait for readers only; rwsem's percpu-rwsem writers also wait for an
    // RCU grace period, which every reader then waits behind: the max wait shows the stall.
    view: { ...DEFAULT_VIEW, designA: 'sharded', designB: 'rwsem' },
  },
  {
    id: 'cpus-4096',
    label: '4096 CPUs',
    description: 'The seed benchmark on the largest machine: per-CPU loops get 16 times longer.',
    scenario: { ...seed, cpus: 4096 },
    view: DEFAULT_VIEW,
  },
];
