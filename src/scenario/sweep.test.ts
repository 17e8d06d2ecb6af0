import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO } from './scenario.ts';
import {
  defaultSweep,
  queryFromSweep,
  sweepFromQuery,
  sweepProblem,
  sweepScenario,
  sweepValues,
  withSweepQuery,
} from './sweep.ts';
import { scenarioFromQuery } from './url.ts';

describe('sweep points', () => {
  it('spaces 16..4096 in 12 log steps, both ends included', () => {
    expect(sweepValues({ from: 16, to: 4096, points: 12, spacing: 'log' })).toEqual([
      16, 26, 44, 73, 120, 199, 329, 545, 903, 1495, 2474, 4096,
    ]);
    expect(sweepValues({ from: 0, to: 16, points: 5, spacing: 'linear' })).toEqual([
      0, 4, 8, 12, 16,
    ]);
  });

  it('keeps values that round alike once', () => {
    expect(sweepValues({ from: 1, to: 4, points: 8, spacing: 'log' })).toEqual([1, 2, 3, 4]);
  });

  it('sets the swept field and nothing else', () => {
    const s = sweepScenario(DEFAULT_SCENARIO, 'p', 128);
    expect(s.thread).toEqual({ ...DEFAULT_SCENARIO.thread, parallelism: 128 });
    expect(sweepScenario(DEFAULT_SCENARIO, 'cpus', 16).cpus).toBe(16);
    expect(sweepScenario(DEFAULT_SCENARIO, 'churn', 7).mixed.churnPerMs).toBe(7);
  });
});

describe('sweepProblem', () => {
  const base = defaultSweep('cpus');
  it.each([
    [{ ...base, from: 300, to: 200 }, 'from 300 must be below to 200'],
    [{ ...base, to: 5000 }, "to 5000 is outside cpus's range (1..4096)"],
    [{ ...base, points: 1 }, 'points 1 is outside 2..24'],
    [{ ...base, designs: [] }, 'no design to sweep'],
    [{ ...defaultSweep('b'), from: 0 }, 'log spacing needs from ≥ 1 (use linear spacing from 0)'],
    [
      defaultSweep('tasks'),
      'tasks belongs to the mixed workload, and the scenario runs the thread one',
    ],
  ])('refuses %o: %s', (spec, message) => {
    expect(sweepProblem(spec, DEFAULT_SCENARIO)).toBe(message);
  });
  it('accepts the default sweep', () => {
    expect(sweepProblem(base, DEFAULT_SCENARIO)).toBeNull();
  });
});

describe('sweep URL keys', () => {
  it('round-trip, beside the scenario keys, which ignore them', () => {
    const spec = { ...defaultSweep('p', ['list', 'rwsem', 'final']), from: 2, to: 128, points: 9 };
    const query = withSweepQuery('cpus=1024', spec);
    expect(query).toBe('cpus=1024&sw=p&sw.from=2&sw.to=128&sw.n=9&sw.d=list,rwsem,final');
    expect(sweepFromQuery(query)).toEqual({ sweep: spec, corrections: [] });
    expect(scenarioFromQuery(query).corrections).toEqual([]);
    expect(scenarioFromQuery(query).scenario.cpus).toBe(1024);
    expect(sweepFromQuery(queryFromSweep({ ...spec, spacing: 'linear' })).sweep?.spacing).toBe(
      'linear',
    );
  });

  it('carries compositions with their + signs as written', () => {
    const spec = defaultSweep('cpus', ['list', 'task_struct+percpu-rwsem+histogram']);
    const query = queryFromSweep(spec);
    expect(query).toContain('sw.d=list,task_struct+percpu-rwsem+histogram');
    expect(sweepFromQuery(query).sweep).toEqual(spec);
    expect(sweepFromQuery('sw=cpus&sw.d=lazy%2Bsharded%2Bcpu-loop').sweep?.designs).toEqual([
      'lazy+sharded+cpu-loop',
    ]);
  });

  it('has no sweep without sw, and the defaults for missing keys', () => {
    expect(sweepFromQuery('cpus=16').sweep).toBeNull();
    expect(sweepFromQuery('sw=cpus').sweep).toEqual(defaultSweep('cpus'));
  });

  it('corrects garbage and says so', () => {
    const { sweep, corrections } = sweepFromQuery(
      'sw=cpus&sw.from=4000&sw.to=20&sw.n=99&sw.d=list,btree',
    );
    expect(sweep).toEqual({ ...defaultSweep('cpus', ['list']), from: 20, to: 4000, points: 24 });
    expect(corrections).toEqual([
      'sw.from 4000 > sw.to 20: swapped',
      'sw.n: 99 → 24 (2..24)',
      `sw.d: "btree" dropped (invalid design 'btree' (list|rhltable|sharded|rwsem|final|ideal, or store+lock+max))`,
    ]);
  });
});
