/**
 * Machine configuration: a checked factory plus the type-to-pool mapping.
 *
 * machineConfig() is the one place a MachineConfig is built from loose input; every error reads
 * `invalid <field>: <value> (<allowed>)`, so the CLI, the scenario coercers and the tests report
 * the same thing.
 */
import type { BpType, MachineConfig, PoolMode } from './types.ts';
import { DEFAULT_MACHINE, MACHINE_LIMITS } from './types.ts';

export interface MachineOptions {
  readonly cpus?: number;
  readonly slots?: number;
  readonly pools?: PoolMode;
}

export const POOL_MODES: readonly PoolMode[] = ['shared', 'split'];

function checkedInteger(name: 'cpus' | 'slots', value: number | undefined): number {
  const limits = MACHINE_LIMITS[name];
  if (value === undefined) return limits.default;
  if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
    throw new RangeError(`invalid ${name}: ${String(value)} (${limits.min}..${limits.max})`);
  }
  return value;
}

/** Builds a MachineConfig; throws a RangeError such as `invalid cpus: 0 (1..4096)`. */
export function machineConfig(options: MachineOptions = {}): MachineConfig {
  const cpus = checkedInteger('cpus', options.cpus);
  const slots = checkedInteger('slots', options.slots);
  const pools = options.pools ?? DEFAULT_MACHINE.pools;
  if (!POOL_MODES.includes(pools)) {
    throw new RangeError(`invalid pools: ${String(pools)} (${POOL_MODES.join('|')})`);
  }
  return { cpus, slots, pools };
}

/** Number of type indexes (TYPE_MAX): 1 when instruction and data share registers, else 2. */
export function poolCount(pools: PoolMode): number {
  return pools === 'shared' ? 1 : 2;
}

/**
 * mirrors find_slot_idx(): TYPE_DATA if the type has R or W, else TYPE_INST. With shared pools
 * (CONFIG_HAVE_MIXED_BREAKPOINTS_REGS) both are 0; with split pools TYPE_INST is 0, TYPE_DATA 1.
 */
export function slotIndex(type: BpType, pools: PoolMode): number {
  if (pools === 'shared') return 0;
  return type === 'x' ? 0 : 1;
}
