/**
 * Properties over thousands of random operation sequences (random machine, tasks, operations):
 * every composition of design parts (store × lock × max, which includes the named designs)
 * decides like a brute-force reference written from kernel-model.md's rules, no CPU is ever
 * over-committed, the histogram designs' histograms merge to the per-CPU view of `list`, and
 * releasing everything zeroes every counter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BP_TYPES,
  allDesignParts,
  createSlotEngine,
  formatDesignParts,
  slotIndex,
} from './index.ts';
import type {
  BpType,
  BreakpointSpec,
  InspectableSlotEngine,
  MachineConfig,
  OpResult,
  PoolMode,
} from './index.ts';

type RandomOp =
  | { kind: 'reserve'; task: number | null; cpu: number; type: BpType }
  | { kind: 'release'; pick: number }
  | { kind: 'modify'; pick: number; type: BpType };

const machineArb = fc.record({
  cpus: fc.integer({ min: 1, max: 6 }),
  slots: fc.integer({ min: 1, max: 4 }),
  pools: fc.constantFrom<PoolMode>('shared', 'split'),
});

const typeArb = fc.constantFrom(...BP_TYPES);

function opArb(tasks: number): fc.Arbitrary<RandomOp> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('reserve' as const),
        task: fc.option(fc.integer({ min: 0, max: tasks - 1 }), { freq: 4 }),
        // Mostly -1 and the first CPUs, so breakpoints collide; -2 and cpu >= cpus give EINVAL.
        cpu: fc.oneof(
          { weight: 3, arbitrary: fc.constant(-1) },
          { weight: 3, arbitrary: fc.integer({ min: 0, max: 1 }) },
          { weight: 1, arbitrary: fc.integer({ min: -2, max: 8 }) },
        ),
        type: typeArb,
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('modify' as const), pick: fc.nat(), type: typeArb }),
    },
  );
}

const scenarioArb = machineArb.chain((machine) =>
  fc.integer({ min: 1, max: 5 }).chain((tasks) =>
    fc.record({
      machine: fc.constant<MachineConfig>(machine),
      ops: fc.array(opArb(tasks), { maxLength: 60 }),
    }),
  ),
);

/**
 * The brute-force reference, straight from kernel-model.md 1.2 and 2.2: the state is the set of
 * held breakpoints and every question is answered by scanning all of them.
 */
class Reference {
  readonly held = new Map<number, BreakpointSpec>();
  constructor(readonly machine: MachineConfig) {}

  get pools(): number {
    return this.machine.pools === 'shared' ? 1 : 2;
  }

  pool(spec: BreakpointSpec): number {
    return slotIndex(spec.type, this.machine.pools);
  }

  cpuPinned(cpu: number, pool: number): number {
    let count = 0;
    for (const bp of this.held.values()) {
      if (bp.task === null && bp.cpu === cpu && this.pool(bp) === pool) count++;
    }
    return count;
  }

  /** Per task: its breakpoints of `pool` applicable to `cpu` (cpu = -1 or cpu itself). */
  taskCounts(cpu: number, pool: number): Map<number, number> {
    const counts = new Map<number, number>();
    for (const bp of this.held.values()) {
      if (bp.task === null || this.pool(bp) !== pool) continue;
      if (bp.cpu === -1 || bp.cpu === cpu) counts.set(bp.task, (counts.get(bp.task) ?? 0) + 1);
    }
    return counts;
  }

  taskHistogram(cpu: number, pool: number): number[] {
    const histogram = new Array<number>(this.machine.slots).fill(0);
    for (const n of this.taskCounts(cpu, pool).values()) histogram[n - 1]!++;
    return histogram;
  }

  /** Histogram of tasks whose breakpoints of `pool` all have cpu = -1, or all don't. */
  independenceHistograms(pool: number): { all: number[]; dependent: Set<number> } {
    const all = new Array<number>(this.machine.slots).fill(0);
    const counts = new Map<number, number>();
    const dependent = new Set<number>();
    for (const bp of this.held.values()) {
      if (bp.task === null || this.pool(bp) !== pool) continue;
      counts.set(bp.task, (counts.get(bp.task) ?? 0) + 1);
      if (bp.cpu >= 0) dependent.add(bp.task);
    }
    for (const [task, n] of counts) if (!dependent.has(task)) all[n - 1]!++;
    return { all, dependent };
  }

  decide(spec: BreakpointSpec): OpResult {
    const { cpus, slots } = this.machine;
    if (!Number.isInteger(spec.cpu) || spec.cpu < -1 || spec.cpu >= cpus) return 'EINVAL';
    if (spec.task === null && spec.cpu === -1) return 'EINVAL';
    const pool = this.pool(spec);
    const mask = spec.cpu === -1 ? [...Array(cpus).keys()] : [spec.cpu];
    let busy = 0;
    for (const cpu of mask) {
      const counts = this.taskCounts(cpu, pool);
      const taskPart =
        spec.task === null ? Math.max(0, ...counts.values()) : (counts.get(spec.task) ?? 0);
      busy = Math.max(busy, this.cpuPinned(cpu, pool) + taskPart);
    }
    return busy + 1 > slots ? 'ENOSPC' : 'ok';
  }
}

/** Every composition of parts (64), the named designs among them. */
const COMPOSITIONS = allDesignParts();

/** The engine's name in failures: its design, or its parts' text form for a custom one. */
function nameOf(engine: InspectableSlotEngine): string {
  return engine.design === 'custom' && engine.parts
    ? formatDesignParts(engine.parts)
    : engine.design;
}

/**
 * Everything a view exposes, flattened to one line per CPU and pool, so that one string compare
 * checks a step and a failure prints a readable diff.
 */
function snapshotOf(engine: InspectableSlotEngine, machine: MachineConfig): string {
  const view = engine.accounting();
  const lines = [`held ${view.heldCount()}`];
  for (let pool = 0; pool < view.poolCount; pool++) {
    if (view.model === 'histogram')
      lines.push(`pool ${pool} all [${view.taskPinnedAll(pool).join()}]`);
    for (let cpu = 0; cpu < machine.cpus; cpu++) {
      const dependent =
        view.model === 'histogram' ? ` dep [${view.cpuTaskPinned(cpu, pool).join()}]` : '';
      const used = Math.min(view.usedSlots(cpu, pool), machine.slots + 1);
      lines.push(
        `pool ${pool} cpu ${cpu}: cpu_pinned ${view.cpuPinned(cpu, pool)} tsk [${view.taskPinned(cpu, pool).join()}] used ${used}${dependent}`,
      );
    }
  }
  return lines.join('\n');
}

/** The same snapshot computed by brute force from the held breakpoints. */
function referenceSnapshot(ref: Reference, histogramModel: boolean): string {
  const { cpus, slots } = ref.machine;
  const lines = [`held ${ref.held.size}`];
  for (let pool = 0; pool < ref.pools; pool++) {
    const { all, dependent } = ref.independenceHistograms(pool);
    if (histogramModel) lines.push(`pool ${pool} all [${all.join()}]`);
    for (let cpu = 0; cpu < cpus; cpu++) {
      const counts = ref.taskCounts(cpu, pool);
      const histogram = ref.taskHistogram(cpu, pool);
      const cpuPinned = ref.cpuPinned(cpu, pool);
      const used = cpuPinned + Math.max(0, ...counts.values());
      // No CPU is ever over-committed: a snapshot with used > slots cannot match.
      const shownUsed = used <= slots ? used : 'OVER';
      let dependentPart = '';
      if (histogramModel) {
        const dependentOnly = new Array<number>(slots).fill(0);
        for (const [task, n] of counts) if (dependent.has(task)) dependentOnly[n - 1]!++;
        dependentPart = ` dep [${dependentOnly.join()}]`;
      }
      lines.push(
        `pool ${pool} cpu ${cpu}: cpu_pinned ${cpuPinned} tsk [${histogram.join()}] used ${shownUsed}${dependentPart}`,
      );
    }
  }
  return lines.join('\n');
}

function checkAgainstReference(engines: InspectableSlotEngine[], ref: Reference): void {
  const expected = { perCpu: referenceSnapshot(ref, false), histogram: '' };
  for (const engine of engines) {
    if (engine.design === 'ideal') continue;
    const isFinal = engine.accounting().model === 'histogram';
    if (isFinal && expected.histogram === '') expected.histogram = referenceSnapshot(ref, true);
    const actual = snapshotOf(engine, ref.machine);
    const wanted = isFinal ? expected.histogram : expected.perCpu;
    // list..rwsem: the per-CPU tsk_pinned; final: histogram_max_merge's view of its histograms.
    if (actual !== wanted)
      expect(`${nameOf(engine)}\n${actual}`).toBe(`${nameOf(engine)}\n${wanted}`);
  }
}

interface Run {
  engines: InspectableSlotEngine[];
  ref: Reference;
  /** Held keys in reservation order; release/modify pick from here. */
  keys: number[];
}

function step(run: Run, op: RandomOp, nextKey: number): void {
  const { engines, ref, keys } = run;
  if (op.kind === 'reserve') {
    const spec: BreakpointSpec = { task: op.task, cpu: op.cpu, type: op.type };
    const expected = ref.decide(spec);
    const ideal = expected === 'EINVAL' ? 'EINVAL' : 'ok';
    for (const engine of engines) {
      const result = engine.reserve(nextKey, spec).result;
      if (result !== (engine.design === 'ideal' ? ideal : expected)) {
        expect(result, nameOf(engine)).toBe(engine.design === 'ideal' ? ideal : expected);
      }
    }
    if (expected === 'ok') {
      ref.held.set(nextKey, spec);
      keys.push(nextKey);
    } else if (expected === 'ENOSPC') {
      // ideal accepted it; keep ideal's held set equal to the others'.
      engines.find((engine) => engine.design === 'ideal')?.release(nextKey);
    }
    return;
  }
  if (keys.length === 0) return;
  const index = op.pick % keys.length;
  const key = keys[index]!;
  const old = ref.held.get(key)!;
  if (op.kind === 'release') {
    for (const engine of engines) {
      const result = engine.release(key).result;
      if (result !== 'ok') expect(result, nameOf(engine)).toBe('ok');
    }
    ref.held.delete(key);
    keys.splice(index, 1);
    return;
  }
  let expected: OpResult = 'ok';
  if (op.type !== old.type) {
    ref.held.delete(key);
    expected = ref.decide({ ...old, type: op.type });
    ref.held.set(key, expected === 'ok' ? { ...old, type: op.type } : old);
  }
  for (const engine of engines) {
    const result = engine.modify(key, op.type).result;
    const wanted = engine.design === 'ideal' ? 'ok' : expected;
    if (result !== wanted) expect(result, nameOf(engine)).toBe(wanted);
  }
}

describe('random operation sequences', () => {
  it('every composition decides like the brute-force reference and keeps its invariants', () => {
    fc.assert(
      fc.property(scenarioArb, ({ machine, ops }) => {
        const run: Run = {
          engines: [
            ...COMPOSITIONS.map((parts) => createSlotEngine(parts, machine)),
            createSlotEngine('ideal', machine),
          ],
          ref: new Reference(machine),
          keys: [],
        };
        ops.forEach((op, i) => {
          step(run, op, i);
          checkAgainstReference(run.engines, run.ref);
        });
        for (const key of run.keys) for (const engine of run.engines) engine.release(key);
        for (const engine of run.engines) {
          expect(engine.accounting().isUsed(), nameOf(engine)).toBe(false);
          expect(engine.accounting().heldCount(), nameOf(engine)).toBe(0);
        }
      }),
      // 320 scripts × 65 engines (64 compositions + ideal): 20,800 engine runs, each checked
      // against the reference after every op.
      { numRuns: 320, seed: 20220829 },
    );
  }, 120_000); // about 6 s alone; generous for a machine shared with other test runs

  it('all compositions agree, op by op, on larger machines', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 9, max: 300 }),
        fc.array(opArb(40), { minLength: 50, maxLength: 300 }),
        (cpus, ops) => {
          const machine: MachineConfig = { cpus, slots: 4, pools: 'shared' };
          const engines = COMPOSITIONS.map((parts) => createSlotEngine(parts, machine));
          const keys: number[] = [];
          ops.forEach((op, i) => {
            let results: OpResult[];
            if (op.kind === 'reserve') {
              const spec = { task: op.task, cpu: op.cpu, type: op.type };
              results = engines.map((engine) => engine.reserve(i, spec).result);
              if (results[0] === 'ok') keys.push(i);
            } else if (keys.length === 0) {
              return;
            } else if (op.kind === 'release') {
              const [key] = keys.splice(op.pick % keys.length, 1);
              results = engines.map((engine) => engine.release(key!).result);
            } else {
              const key = keys[op.pick % keys.length]!;
              results = engines.map((engine) => engine.modify(key, op.type).result);
            }
            if (new Set(results).size !== 1) expect(`op ${i}: ${results.join(' ')}`).toBe('agree');
          });
        },
      ),
      { numRuns: 300, seed: 61 },
    );
  }, 60_000);
});
