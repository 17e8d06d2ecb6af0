/**
 * The engine's public entry point: the slot-constraint accounting of every design of the 2022
 * hw_breakpoint series. Pure TypeScript; see README.md for what it may import.
 */
export * from './types.ts';
export { createSlotEngine, isValidBreakpoint } from './designs.ts';
export {
  DESIGN_PRESETS,
  STORE_MEMORY,
  allDesignParts,
  designParts,
  formatDesignParts,
  parseDesignParts,
  presetOf,
  sameParts,
  storeMemoryBytes,
} from './parts.ts';
export type { DesignPartsParse, StoreMemory } from './parts.ts';
export {
  allComposedDesigns,
  composedDesign,
  formatDesignSpec,
  isComposed,
  isDesignId,
  parseDesignSpec,
  sameDesignRun,
  specParts,
  specPreset,
} from './spec.ts';
export type { ComposedDesign, DesignSpec, DesignSpecParse } from './spec.ts';
export { machineConfig, poolCount, slotIndex, POOL_MODES } from './machine.ts';
export type { MachineOptions } from './machine.ts';
export { emptyPhase, totalWork, PHASE_FIELDS, NO_WORK } from './work.ts';
