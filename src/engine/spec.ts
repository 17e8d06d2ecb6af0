/**
 * What one column, one `sim bench` run or one sweep line runs: a named design (`final`) or a
 * composition of parts in its text form (`task_struct+percpu-rwsem+histogram`). One string type,
 * so it travels unchanged through the URL, the worker protocol, the stores and the CLI.
 *
 * A composition that equals a preset stays as written (the page shows both names), and runs the
 * preset's engine: the same decisions, work and locks, so the same numbers (docs/design-lab.md).
 */
import {
  DESIGN_PRESETS,
  allDesignParts,
  formatDesignParts,
  parseDesignParts,
  presetOf,
  sameParts,
} from './parts.ts';
import { DESIGN_IDS } from './types.ts';
import type { DesignId, DesignParts, LockPart, MaxPart, StorePart } from './types.ts';

/** A composition in its text form, `store+lock+max`. */
export type ComposedDesign = `${StorePart}+${LockPart}+${MaxPart}`;

/** A named design or a composition of parts. */
export type DesignSpec = DesignId | ComposedDesign;

export type DesignSpecParse =
  { readonly ok: true; readonly spec: DesignSpec } | { readonly ok: false; readonly error: string };

export function isDesignId(text: string): text is DesignId {
  return (DESIGN_IDS as readonly string[]).includes(text);
}

/** True for a composition (`a+b+c`), false for a named design. */
export function isComposed(spec: DesignSpec): spec is ComposedDesign {
  return spec.includes('+');
}

/**
 * Reads a design as typed: a named design, or `store+lock+max`. Errors are one line:
 * `invalid design 'btree' (list|rhltable|sharded|rwsem|final|ideal, or store+lock+max)`, or the
 * part parser's `invalid design part 'x' (lock: global-mutex|sharded|percpu-rwsem|rwlock)`.
 */
export function parseDesignSpec(text: string): DesignSpecParse {
  if (isDesignId(text)) return { ok: true, spec: text };
  if (!text.includes('+')) {
    return {
      ok: false,
      error: `invalid design '${text}' (${DESIGN_IDS.join('|')}, or store+lock+max)`,
    };
  }
  const parsed = parseDesignParts(text);
  return parsed.ok ? { ok: true, spec: composedDesign(parsed.parts) } : parsed;
}

/** The text form of a spec: parseDesignSpec's inverse. */
export function formatDesignSpec(spec: DesignSpec): string {
  return spec;
}

/** The spec of a composition of parts (its text form). */
export function composedDesign(parts: DesignParts): ComposedDesign {
  return formatDesignParts(parts) as ComposedDesign;
}

/** The parts a spec runs; null for `ideal`. */
export function specParts(spec: DesignSpec): DesignParts | null {
  if (spec === 'ideal') return null;
  if (!isComposed(spec)) return DESIGN_PRESETS[spec];
  const parsed = parseDesignParts(spec);
  if (!parsed.ok) throw new RangeError(parsed.error);
  return parsed.parts;
}

/** The named design a spec is or equals (`rhltable+percpu-rwsem+histogram` → `final`), or null. */
export function specPreset(spec: DesignSpec): DesignId | null {
  if (!isComposed(spec)) return spec;
  const parts = specParts(spec);
  return parts === null ? null : presetOf(parts);
}

/** Every composition as a spec, store-major (the 64 of `sim bench --design parts`). */
export function allComposedDesigns(): ComposedDesign[] {
  return allDesignParts().map(composedDesign);
}

/** True when two specs run the same engine (`final` and `rhltable+percpu-rwsem+histogram`). */
export function sameDesignRun(a: DesignSpec, b: DesignSpec): boolean {
  if (a === b) return true;
  const pa = specParts(a);
  const pb = specParts(b);
  return pa !== null && pb !== null && sameParts(pa, pb);
}
