/**
 * Colours and second cues. The CPU states use the Okabe-Ito palette (safe for the common colour
 * vision deficiencies), extended with Paul Tol's for states beyond its eight; each state also has
 * a letter glyph for legends and tooltips, and the spin and sleep states a texture in the grid, so
 * colour is never the only cue.
 *
 * The states come from the simulator's one table (CPU_STATE_TABLE): a state gets the next unused
 * colour of its family and its family's texture, so a new state needs no line here.
 */
import { rgb } from 'd3-color';
import type { DesignId } from '../engine/types.ts';
import { interpolateCividis } from 'd3-scale-chromatic';
import {
  CPU_STATE_TABLE,
  CPU_STATES,
  type CpuStateFamily,
  type CpuStateName,
  type CpuStateSpec,
} from '../sim/types.ts';

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

interface Shade {
  readonly light: Rgb;
  readonly dark: Rgb;
}

function shade(light: Rgb, dark = light): Shade {
  return { light, dark };
}

/**
 * Each family's colours, given to its states in table order. Okabe-Ito first (bluish green,
 * orange, vermillion, reddish purple, blue or sky blue in the dark, yellow), then Paul Tol's
 * muted scheme (green, olive, teal, sand, wine, rose, indigo) for the states to come.
 */
const FAMILY_SHADES: Readonly<Record<CpuStateFamily, readonly Shade[]>> = {
  idle: [shade([226, 226, 226], [52, 52, 56])],
  work: [
    shade([0, 158, 115]),
    shade([17, 119, 51], [68, 170, 119]),
    shade([153, 153, 51]),
    shade([68, 170, 153]),
  ],
  accounting: [shade([230, 159, 0]), shade([221, 204, 119])],
  spin: [
    shade([213, 94, 0]),
    shade([204, 121, 167]),
    shade([240, 228, 66]),
    shade([136, 34, 85], [187, 85, 136]),
    shade([204, 102, 119]),
  ],
  sleep: [
    shade([0, 114, 178], [86, 180, 233]),
    shade([51, 34, 136], [136, 119, 221]),
    shade([119, 119, 119], [170, 170, 170]),
  ],
};

const FAMILY_TEXTURES: Readonly<Record<CpuStateFamily, Texture>> = {
  idle: 'none',
  work: 'none',
  accounting: 'none',
  spin: 'hatch',
  sleep: 'dots',
};

/** The style of each state of `table`, in its order; throws if a family has run out of colours. */
export function stateStyles(table: readonly CpuStateSpec[]): StateStyle[] {
  const used = new Map<CpuStateFamily, number>();
  return table.map(({ name, label, glyph, family }) => {
    const index = used.get(family) ?? 0;
    used.set(family, index + 1);
    const colour = FAMILY_SHADES[family][index];
    if (colour === undefined)
      throw new Error(`palette: no colour left for CPU state ${name} (family ${family})`);
    return { label, glyph, texture: FAMILY_TEXTURES[family], ...colour };
  });
}

const STYLES = stateStyles(CPU_STATE_TABLE);
export const STATE_STYLES: Readonly<Record<CpuStateName, StateStyle>> = Object.fromEntries(
  CPU_STATES.map((state, i) => [state, STYLES[i] as StateStyle]),
) as Record<CpuStateName, StateStyle>;

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

/**
 * One colour per design, for the sweep's lines (Okabe-Ito, like the states; the dark theme
 * lightens the two that would sink into a dark background). Each design also has its own point
 * shape in the sweep plot, so colour is not the only cue.
 */
export const DESIGN_COLORS: Readonly<Record<DesignId, Readonly<Record<Theme, Rgb>>>> = {
  list: { light: [213, 94, 0], dark: [230, 120, 40] },
  rhltable: { light: [230, 159, 0], dark: [230, 159, 0] },
  sharded: { light: [204, 121, 167], dark: [204, 121, 167] },
  rwsem: { light: [0, 158, 115], dark: [0, 178, 130] },
  final: { light: [0, 114, 178], dark: [86, 180, 233] },
  ideal: { light: [110, 110, 110], dark: [170, 170, 170] },
};

/**
 * Colours for compositions that are no named design (Paul Tol's muted scheme: indigo, teal, wine,
 * olive, sand, rose), given in the order a sweep lists them.
 */
export const COMPOSED_COLORS: readonly Rgb[] = [
  [51, 34, 136],
  [68, 170, 153],
  [136, 34, 85],
  [153, 153, 51],
  [221, 204, 119],
  [204, 102, 119],
];

/**
 * The colour of a design: a named design's own, a composition equal to one takes that one's,
 * another composition the `composedIndex`-th of COMPOSED_COLORS.
 */
export function designColor(preset: DesignId | null, composedIndex: number, theme: Theme): string {
  if (preset !== null) return cssColor(DESIGN_COLORS[preset][theme]);
  const colour = COMPOSED_COLORS[composedIndex % COMPOSED_COLORS.length] as Rgb;
  // Tol's muted colours are dark: lightened on the dark background.
  const [r, g, b] = colour;
  return theme === 'dark' ? rgb(r, g, b).brighter(0.8).formatRgb() : cssColor(colour);
}
