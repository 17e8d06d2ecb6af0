/** Literal sample columns for unit tests of derive and render helpers (not used by the page). */
import { CPU_STATE_COUNT, CpuState } from '../sim/cpuStates.ts';
import type { SampleColumns } from '../sim/types.ts';

/** 2 CPUs, 1 pool, 3 frames of 100 ns; four sampled acquisitions. */
export function tinySamples(overrides: Partial<SampleColumns> = {}): SampleColumns {
  return {
    cpus: 2,
    pools: 1,
    frameCount: 3,
    frameNs: 100,
    cpuState: Uint8Array.from([
      CpuState.idle,
      CpuState.work,
      CpuState.osqSpin,
      CpuState.ownerSpin,
      CpuState.lockSleep,
      CpuState.idle,
    ]),
    stateCpus: new Float32Array(3 * CPU_STATE_COUNT),
    cpuPinned: Uint8Array.from([0, 1, 0, 1, 0, 2]),
    taskMax: Uint8Array.from([1, 1, 2, 3, 4, 1]),
    spinWaiters: Float32Array.from([0, 2, 1]),
    sleepWaiters: Float32Array.from([0, 1, 3]),
    enospcPerFrame: Uint32Array.from([0, 0, 1]),
    enospcPerCpu: Uint32Array.from([1, 0]),
    acquisitionCount: 4,
    acquisitionStride: 1,
    acquisitionAtNs: Float64Array.from([0, 10, 20, 30]),
    acquisitionWaitNs: Float64Array.from([0, 1000, 0, 1_000_000]),
    acquisitionHoldNs: Float64Array.from([5, 5, 5, 5]),
    ...overrides,
  };
}
