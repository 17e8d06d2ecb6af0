/**
 * The CPU grid's layout: a near-square grid of cells (16x16 at 256 CPUs, 64x64 at 4096) sized to
 * fit a width, in device pixels. CPU c sits at column c % columns, row floor(c / columns).
 */
import type { SampleColumns } from '../sim/types.ts';

export interface GridLayout {
  readonly cpus: number;
  readonly columns: number;
  readonly rows: number;
  /** Cell pitch in device pixels, gap included. */
  readonly pitchPx: number;
  /** Gap between cells: 1 px when cells are big enough to afford it. */
  readonly gapPx: number;
  readonly widthPx: number;
  readonly heightPx: number;
}

export function gridLayout(cpus: number, maxWidthPx: number): GridLayout {
  const columns = Math.max(1, Math.ceil(Math.sqrt(cpus)));
  const rows = Math.max(1, Math.ceil(cpus / columns));
  const pitchPx = Math.max(1, Math.min(48, Math.floor(maxWidthPx / columns)));
  const gapPx = pitchPx >= 5 ? 1 : 0;
  return {
    cpus,
    columns,
    rows,
    pitchPx,
    gapPx,
    widthPx: columns * pitchPx,
    heightPx: rows * pitchPx,
  };
}

/** The CPU under a point in device pixels, or null (outside the grid, or in a gap). */
export function cpuAtPoint(layout: GridLayout, xPx: number, yPx: number): number | null {
  if (xPx < 0 || yPx < 0 || xPx >= layout.widthPx || yPx >= layout.heightPx) return null;
  const column = Math.floor(xPx / layout.pitchPx);
  const row = Math.floor(yPx / layout.pitchPx);
  const cpu = row * layout.columns + column;
  return cpu < layout.cpus ? cpu : null;
}

/** What the slot-occupancy view shows at one frame, in one number when every CPU is alike. */
export interface OccupancySummary {
  /** Slots every CPU uses (the fuller pool's), or null when CPUs differ. */
  readonly uniformUsed: number | null;
}

/** Whether every CPU holds the same number of slots at `frame` (the fuller pool's count). */
export function occupancySummary(samples: SampleColumns, frame: number): OccupancySummary {
  let first: number | null = null;
  for (let cpu = 0; cpu < samples.cpus; cpu++) {
    let used = 0;
    for (let pool = 0; pool < samples.pools; pool++) {
      const at = (frame * samples.pools + pool) * samples.cpus + cpu;
      used = Math.max(used, (samples.cpuPinned[at] ?? 0) + (samples.taskMax[at] ?? 0));
    }
    if (first === null) first = used;
    else if (used !== first) return { uniformUsed: null };
  }
  return { uniformUsed: first };
}
