/**
 * Paints the CPU grid into an RGBA pixel buffer (ImageData's data), one cell per CPU, for the
 * frame under the cursor. Imperative and allocation-free per frame: 4096 cells are a few hundred
 * thousand byte writes. Textures (hatching for spin states, dots for sleep) are the second cue
 * besides colour.
 *
 * Modes:
 *   states: the state the CPU spent most of the frame in (samples.cpuState).
 *   slots:  slots in use at the end of the frame, the fuller pool's (CPU-bound + the largest task
 *           count); a darker band at the bottom is the CPU-bound share (its height: CPU-bound
 *           slots / S); a corner mark on CPUs that refused a breakpoint (ENOSPC) during the run.
 */
import type { GridLayout } from '../derive/grid.ts';
import type { GridMode } from '../scenario/url.ts';
import type { SampleColumns } from '../sim/types.ts';
import { CPU_STATES } from '../sim/types.ts';
import type { Rgb, Texture } from './palette.ts';
import { STATE_STYLES } from './palette.ts';

export interface GridPaint {
  readonly layout: GridLayout;
  readonly samples: SampleColumns;
  readonly frame: number;
  readonly mode: GridMode;
  readonly slots: number;
  readonly stateColors: readonly Rgb[];
  readonly occupancyColors: readonly Rgb[];
  readonly background: Rgb;
  readonly mark: Rgb;
  /** Draw the spin and sleep textures; off when cells are too small for them (they alias). */
  readonly textures?: boolean;
}

const TEXTURES: readonly Texture[] = CPU_STATES.map((state) => STATE_STYLES[state].texture);

/** Slots used on `cpu` at `frame`: the fuller pool's CPU-bound plus largest task count. */
export function slotsUsed(samples: SampleColumns, frame: number, cpu: number): number {
  return fullerPool(samples, frame, cpu).used;
}

/** The fuller pool's occupancy on `cpu` at `frame`, and its CPU-bound part. */
export function fullerPool(
  samples: SampleColumns,
  frame: number,
  cpu: number,
): { used: number; cpuBound: number } {
  let used = 0;
  let cpuBound = 0;
  for (let pool = 0; pool < samples.pools; pool++) {
    const at = (frame * samples.pools + pool) * samples.cpus + cpu;
    const pinned = samples.cpuPinned[at] ?? 0;
    const poolUsed = pinned + (samples.taskMax[at] ?? 0);
    if (poolUsed > used || pool === 0) {
      used = poolUsed;
      cpuBound = pinned;
    }
  }
  return { used, cpuBound };
}

export function cellColorIndex(paint: GridPaint, cpu: number): number {
  const { samples, frame } = paint;
  if (paint.mode === 'states') return samples.cpuState[frame * samples.cpus + cpu] ?? 0;
  return Math.min(paint.slots, slotsUsed(samples, frame, cpu));
}

/** Writes the whole grid into `pixels` (RGBA, row stride layout.widthPx * 4). */
export function paintCpuGrid(pixels: Uint8ClampedArray, paint: GridPaint): void {
  const { layout, mode, samples } = paint;
  const { pitchPx, gapPx, widthPx } = layout;
  // One 32-bit word per pixel, so solid runs are a native fill().
  const words = new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.length >> 2);
  words.fill(packRgb(paint.background));
  const markWord = packRgb(paint.mark);
  const cellPx = pitchPx - gapPx;
  const markPx = Math.max(1, Math.floor(cellPx / 3));
  const cpus = Math.min(layout.cpus, samples.cpus);
  for (let cpu = 0; cpu < cpus; cpu++) {
    const index = cellColorIndex(paint, cpu);
    const color =
      (mode === 'states' ? paint.stateColors[index] : paint.occupancyColors[index]) ??
      paint.background;
    const texture =
      mode === 'states' && paint.textures !== false ? (TEXTURES[index] ?? 'none') : 'none';
    const enospc = mode === 'slots' && (samples.enospcPerCpu[cpu] ?? 0) > 0;
    const cpuBoundRows =
      mode === 'slots' && paint.slots > 0
        ? Math.round(
            (cellPx * Math.min(paint.slots, fullerPool(samples, paint.frame, cpu).cpuBound)) /
              paint.slots,
          )
        : 0;
    const [r, g, b] = color;
    const word = packRgb(color);
    // The texture's second colour: darker for hatching, lighter for dots.
    const altWord =
      texture === 'hatch' || cpuBoundRows > 0
        ? packRgb([r * 0.55, g * 0.55, b * 0.55])
        : packRgb([r + (255 - r) * 0.6, g + (255 - g) * 0.6, b + (255 - b) * 0.6]);
    const x0 = (cpu % layout.columns) * pitchPx;
    const y0 = Math.floor(cpu / layout.columns) * pitchPx;
    for (let dy = 0; dy < cellPx; dy++) {
      const rowStart = (y0 + dy) * widthPx + x0;
      words.fill(dy >= cellPx - cpuBoundRows ? altWord : word, rowStart, rowStart + cellPx);
      if (texture === 'hatch') {
        // Diagonal stripes: pixels where (dx + dy) % 4 === 0.
        for (let dx = (4 - (dy % 4)) % 4; dx < cellPx; dx += 4) words[rowStart + dx] = altWord;
      } else if (texture === 'dots' && dy % 3 === 1) {
        for (let dx = 1; dx < cellPx; dx += 3) words[rowStart + dx] = altWord;
      }
      if (enospc && dy < markPx) {
        // The top-left corner triangle: dx + dy < markPx.
        words.fill(markWord, rowStart, rowStart + markPx - dy);
      }
    }
  }
}

/** An opaque colour as one RGBA pixel word (ImageData is little-endian on every platform we run). */
export function packRgb([r, g, b]: Rgb): number {
  const clamp = (v: number): number => Math.min(255, Math.max(0, Math.round(v)));
  return ((255 << 24) | (clamp(b) << 16) | (clamp(g) << 8) | clamp(r)) >>> 0;
}

export interface CpuDetails {
  readonly cpu: number;
  readonly state: (typeof CPU_STATES)[number];
  /** Per pool: CPU-bound slots and the largest task count at the end of the frame. */
  readonly pools: ReadonlyArray<{ readonly cpuBound: number; readonly taskMax: number }>;
  readonly enospc: number;
}

/** The numbers the tooltip shows for one CPU at one frame. */
export function cpuDetails(samples: SampleColumns, frame: number, cpu: number): CpuDetails {
  const pools = [];
  for (let pool = 0; pool < samples.pools; pool++) {
    const at = (frame * samples.pools + pool) * samples.cpus + cpu;
    pools.push({ cpuBound: samples.cpuPinned[at] ?? 0, taskMax: samples.taskMax[at] ?? 0 });
  }
  const stateIndex = samples.cpuState[frame * samples.cpus + cpu] ?? 0;
  return {
    cpu,
    state: CPU_STATES[stateIndex] ?? 'idle',
    pools,
    enospc: samples.enospcPerCpu[cpu] ?? 0,
  };
}
