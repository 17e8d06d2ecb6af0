/**
 * `mixed` is a long-lived population: tasks holding task breakpoints (on every CPU or pinned),
 * CPU-bound breakpoints, and churn that creates and destroys both at a given rate.
 */
import type { BreakpointSpec } from '../../engine/types.ts';
import type { MixedWorkload } from '../../scenario/scenario.ts';
import { accountingCall } from '../accounting.ts';
import type { Program, SimThread } from '../kernel.ts';
import { createPrng, type Prng } from '../prng.ts';
import {
  run,
  type OwnedBreakpoint,
  type WorkloadContext,
  type WorkloadDefinition,
} from './common.ts';

/** Work done in user space between two operations of a mixed-workload task, ns. */
const MIXED_USER_WORK_NS = 50_000;

interface MixedPrograms {
  /** Called with each task thread (in program order) before setup(). */
  register(task: SimThread): void;
  /** Reserves the initial population, untimed. */
  setup(): void;
  /** One program per task thread, then the monitor's. */
  programs: ((self: SimThread) => Program)[];
}

/**
 * The mixed workload: `tasks` long-lived threads, each holding task breakpoints and changing them
 * at random times, and a monitor thread that reserves and releases CPU-bound breakpoints (the
 * rwsem writer path). Operations arrive as Poisson processes that add up to `churnPerMs`.
 */
function mixedPrograms(
  ctx: WorkloadContext,
  params: MixedWorkload,
  cpus: number,
  seed: number,
  durationNs: number,
): MixedPrograms {
  const totalPerNs = params.churnPerMs / 1e6;
  const cpuBoundShare = params.cpuBoundChurnPercent / 100;
  const taskPerNs = params.tasks > 0 ? (totalPerNs * (1 - cpuBoundShare)) / params.tasks : 0;
  const monitorPerNs = totalPerNs * cpuBoundShare;
  // Each task and the monitor draw from their own stream, so the workload (times, choices,
  // breakpoints) is the same whatever the design's timing does to the interleaving.
  const streamOf = (index: number): Prng =>
    createPrng((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + index * 0x27d4eb2f) >>> 0);
  /** The gap to the next arrival of a Poisson process of `perNs` arrivals per ns, ns. */
  const gapNs = (prng: Prng, perNs: number): number =>
    perNs > 0 ? -Math.log(1 - prng.next()) / perNs : Infinity;

  const taskBp = (prng: Prng, task: number): BreakpointSpec => ({
    task,
    cpu: prng.next() * 100 < params.pinnedPercent ? prng.int(cpus) : -1,
    type: prng.next() < 0.2 ? 'x' : 'rw',
  });
  const cpuBp = (prng: Prng): BreakpointSpec => ({ task: null, cpu: prng.int(cpus), type: 'rw' });

  const held = new Map<number, OwnedBreakpoint[]>();
  const cpuHeld: OwnedBreakpoint[] = [];
  const tasks: SimThread[] = [];

  /** The initial population, in place before the clock starts. */
  const setup = (): void => {
    const prng = streamOf(0);
    for (const t of tasks) {
      const owned: OwnedBreakpoint[] = [];
      for (let i = 0; i < params.bpsPerTask; i++) {
        const key = ctx.nextKey();
        const bp = taskBp(prng, t.id);
        if (ctx.accounting.engine.reserve(key, bp).result === 'ok') owned.push({ key, bp });
      }
      held.set(t.id, owned);
    }
    for (let i = 0; i < params.cpuBound; i++) {
      const key = ctx.nextKey();
      const bp: BreakpointSpec = { task: null, cpu: i % cpus, type: 'rw' };
      if (ctx.accounting.engine.reserve(key, bp).result === 'ok') cpuHeld.push({ key, bp });
    }
  };

  function* task(self: SimThread): Program {
    const owned = held.get(self.id) ?? [];
    const prng = streamOf(1 + tasks.indexOf(self) + 1);
    let nextNs = gapNs(prng, taskPerNs);
    while (nextNs < durationNs) {
      const waitNs = nextNs - ctx.kernel.nowNs;
      if (waitNs > 0) yield { kind: 'sleep', ns: waitNs };
      yield run(MIXED_USER_WORK_NS, 'user');
      // Add a breakpoint or drop one, equally likely while the task holds some.
      if (owned.length > 0 && prng.next() < 0.5) {
        const o = owned.splice(prng.int(owned.length), 1)[0] as OwnedBreakpoint;
        yield* accountingCall(ctx.accounting, { op: 'release', key: o.key, bp: o.bp });
      } else {
        const key = ctx.nextKey();
        const bp = taskBp(prng, self.id);
        const result = yield* accountingCall(ctx.accounting, { op: 'reserve', key, bp });
        if (result === 'ok') owned.push({ key, bp });
      }
      nextNs += gapNs(prng, taskPerNs);
    }
  }

  function* monitor(_self: SimThread): Program {
    const prng = streamOf(1);
    let nextNs = gapNs(prng, monitorPerNs);
    while (nextNs < durationNs) {
      const waitNs = nextNs - ctx.kernel.nowNs;
      if (waitNs > 0) yield { kind: 'sleep', ns: waitNs };
      if (cpuHeld.length > 0 && prng.next() < 0.5) {
        const o = cpuHeld.splice(prng.int(cpuHeld.length), 1)[0] as OwnedBreakpoint;
        yield* accountingCall(ctx.accounting, { op: 'release', key: o.key, bp: o.bp });
      } else {
        const key = ctx.nextKey();
        const bp = cpuBp(prng);
        const result = yield* accountingCall(ctx.accounting, { op: 'reserve', key, bp });
        if (result === 'ok') cpuHeld.push({ key, bp });
      }
      nextNs += gapNs(prng, monitorPerNs);
    }
  }

  const programs: ((self: SimThread) => Program)[] = [];
  for (let i = 0; i < params.tasks; i++) programs.push(task);
  programs.push(monitor);
  return { register: (t) => void tasks.push(t), setup, programs };
}

export const mixedWorkload: WorkloadDefinition = {
  create(ctx, scenario) {
    const durationNs = scenario.mixed.durationMs * 1e6;
    return {
      endNs: durationNs,
      start() {
        const { kernel } = ctx;
        const mixed = mixedPrograms(ctx, scenario.mixed, scenario.cpus, scenario.seed, durationNs);
        const threads = mixed.programs.map(() => kernel.newThread());
        threads.slice(0, scenario.mixed.tasks).forEach((t) => mixed.register(t));
        mixed.setup();
        threads.forEach((t, i) =>
          kernel.spawn(t, (mixed.programs[i] as (typeof mixed.programs)[number])(t)),
        );
      },
      isUntimed: () => false,
      progress: ({ nowNs }) => Math.min(0.999, nowNs / durationNs),
      result: () => ({
        totalTimeNs: durationNs,
        usecsPerOp: 0,
        usecsPerOpPerCpu: 0,
        openError: null,
        threadsCreated: scenario.mixed.tasks + 1,
      }),
    };
  },
};
