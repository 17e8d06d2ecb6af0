/**
 * Colours and second cues. The CPU states use the Okabe-Ito palette (safe for the common colour
 * vision deficiencies); each state also has a letter glyph for legends and tooltips, and the spin
 * and sleep states a texture in the grid, so colour is never the only cue.
 */
import { rgb } from 'd3-color';
import { interpolateCividis } from 'd3-scale-chromatic';
import { CPU_STATES, type CpuStateName } from '../sim/types.ts';

export type Theme = 'light' | 'dark';
export type Rgb = readonly [number, number, number];
export type Texture = 'none' | 'hatch' | 'dots';

export interface StateStyle {
  readonly label: string;
  readonly glyph: string;
  readonly texture: Texture;
  readonly light: Rgb;
  readonly dark: Rgb;
}

function style(
  label: string,
  glyph: string,
  texture: Texture,
  light: Rgb,
  dark = light,
): StateStyle {
  return { label, glyph, texture, light, dark };
}

// Okabe-Ito: bluish green, orange, vermillion, reddish purple, blue (sky blue in the dark), yellow.
export const STATE_STYLES: Readonly<Record<CpuStateName, StateStyle>> = {
  idle: style('Idle', '·', 'none', [226, 226, 226], [52, 52, 56]),
  work: style('User / other kernel work', 'W', 'none', [0, 158, 115]),
  accounting: style('Accounting critical section', 'A', 'none', [230, 159, 0]),
  osqSpin: style('OSQ spin (osq_lock)', 'Q', 'hatch', [213, 94, 0]),
  ownerSpin: style('Spin on owner (mutex_spin_on_owner)', 'O', 'hatch', [204, 121, 167]),
  lockSleep: style('Asleep on a lock', 'S', 'dots', [0, 114, 178], [86, 180, 233]),
  otherSpin: style('Other spin (rwlock, thread lock)', 'X', 'hatch', [240, 228, 66]),
};

export function stateColor(state: CpuStateName, theme: Theme): Rgb {
  return STATE_STYLES[state][theme];
}

export function cssColor([r, g, b]: Rgb): string {
  return `rgb(${r} ${g} ${b})`;
}

/** State colours indexed like CPU_STATES, for the pixel painter. */
export function stateLut(theme: Theme): Rgb[] {
  return CPU_STATES.map((state) => stateColor(state, theme));
}

/** Occupancy colours for 0..slots slots used (cividis: perceptually even, CVD-safe). */
export function occupancyLut(slots: number): Rgb[] {
  const lut: Rgb[] = [];
  for (let used = 0; used <= slots; used++) {
    const { r, g, b } = rgb(interpolateCividis(slots > 0 ? used / slots : 0));
    lut.push([r, g, b]);
  }
  return lut;
}

/** Marks CPUs that refused a breakpoint (ENOSPC) in slot mode. */
export const ENOSPC_MARK: Readonly<Record<Theme, Rgb>> = {
  light: [0, 0, 0],
  dark: [255, 255, 255],
};
