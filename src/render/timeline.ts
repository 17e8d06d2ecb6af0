/**
 * The timeline's canvas: one run's tracks over a window of time. Per-CPU state rows (or, past
 * DENSITY_FROM_CPUS, a stacked density of CPUs per state, opening to a block of single CPUs when
 * zoomed), one row per lock (owner slices labelled with the thread; waiters stacked, spinning
 * below sleeping; hand-off arrows when the window is exact and they are far enough apart), a time
 * axis with human units, the time cursor and a brush. Pixel rows are written into ImageData at a
 * pixel per bin, off screen, and scaled onto the plot; the rest is fillRect batched per colour.
 * Sizes are device pixels; `dpr` scales text and strokes.
 */
import { durationTicks, formatNs } from '../report/format.ts';
import { CPU_STATE_COUNT } from '../sim/types.ts';
import { CpuState } from '../sim/cpuStates.ts';
import { NO_STATE, type TimelineLockTrack, type TimelineWindow } from '../sim/timelineTypes.ts';
import { cssColor, stateLut, type Rgb, type Theme } from './palette.ts';

const IDLE = CpuState.idle;

/** Lock tracks drawn at most (the busiest; a window can list up to TIMELINE_MAX_LOCK_TRACKS). */
export const SHOWN_LOCK_TRACKS = 3;

/**
 * The lock tracks worth drawing: those with an owner or a waiter in the window, busiest first (the
 * worker's order), at most SHOWN_LOCK_TRACKS; the first one always, so the row never vanishes.
 */
export function shownLockTracks(win: TimelineWindow | null): readonly TimelineLockTrack[] {
  if (!win) return [];
  const active = win.locks.filter(
    (t) =>
      t.slices.count > 0 ||
      t.slicesOmitted > 0 ||
      t.spinning.some((v) => v > 0) ||
      t.sleeping.some((v) => v > 0),
  );
  const shown = active.length > 0 ? active : win.locks.slice(0, 1);
  return shown.slice(0, SHOWN_LOCK_TRACKS);
}

/** Above this many CPUs the CPU tracks are a density view (all CPUs) plus a block of rows. */
export const DENSITY_FROM_CPUS = 256;
/** CPUs in the block of single-CPU rows the density view opens to. */
export const CPU_BLOCK = 256;

const CSS = {
  gutter: 116,
  cpuArea: 256,
  maxRow: 10,
  density: 96,
  lockSlices: 14,
  /** All lock tracks share this height, however many there are: the page never moves. */
  lockArea: 156,
  lockGap: 6,
  axis: 22,
  top: 4,
} as const;

export interface TimelineLayout {
  readonly dpr: number;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Where time is drawn: x from plotX to plotX + plotWidthPx. */
  readonly plotX: number;
  readonly plotWidthPx: number;
  /** The density strip (null at DENSITY_FROM_CPUS CPUs or fewer). */
  readonly density: { readonly y: number; readonly h: number } | null;
  /** Single-CPU rows: CPUs cpuFrom..cpuFrom+cpuCount-1 in y..y+h (null when not shown). */
  readonly rows: {
    readonly y: number;
    readonly h: number;
    readonly cpuFrom: number;
    readonly cpuCount: number;
  } | null;
  /** Per lock track: the owner-slice row and the waiters area beneath it. */
  readonly locks: readonly {
    readonly slicesY: number;
    readonly waitersY: number;
    readonly waitersH: number;
  }[];
  readonly axisY: number;
}

/**
 * The track layout for a run of `cpus` CPUs on a canvas `widthCssPx` wide. `showRows`: whether a
 * machine past DENSITY_FROM_CPUS shows its block of single CPUs (the panel opens it when zoomed).
 */
export function timelineLayout(
  cpus: number,
  lockTracks: number,
  widthCssPx: number,
  dpr: number,
  options: { readonly showRows: boolean; readonly blockFrom: number },
): TimelineLayout {
  const px = (css: number): number => Math.round(css * dpr);
  const widthPx = px(widthCssPx);
  const plotX = px(CSS.gutter);
  let y = px(CSS.top);
  let density: TimelineLayout['density'] = null;
  let rows: TimelineLayout['rows'] = null;
  if (cpus > DENSITY_FROM_CPUS) {
    density = { y, h: px(CSS.density) };
    y += density.h + px(CSS.lockGap);
    if (options.showRows) {
      const cpuFrom = Math.max(0, Math.min(cpus - 1, options.blockFrom));
      const cpuCount = Math.min(CPU_BLOCK, cpus - cpuFrom);
      rows = { y, h: px(CSS.cpuArea), cpuFrom, cpuCount };
      y += rows.h + px(CSS.lockGap);
    }
  } else if (cpus > 0) {
    const rowCss = Math.min(CSS.maxRow, CSS.cpuArea / cpus);
    rows = { y, h: px(rowCss * cpus), cpuFrom: 0, cpuCount: cpus };
    y += rows.h + px(CSS.lockGap);
  }
  const locks = [];
  const tracks = Math.max(1, lockTracks);
  const waitersCss = (CSS.lockArea - tracks * (CSS.lockSlices + CSS.lockGap)) / tracks;
  for (let i = 0; i < tracks; i++) {
    const slicesY = y;
    const waitersY = slicesY + px(CSS.lockSlices);
    locks.push({ slicesY, waitersY, waitersH: px(waitersCss) });
    y = waitersY + px(waitersCss) + px(CSS.lockGap);
  }
  const axisY = y;
  return {
    dpr,
    widthPx,
    heightPx: axisY + px(CSS.axis),
    plotX,
    plotWidthPx: Math.max(1, widthPx - plotX - px(8)),
    density,
    rows,
    locks,
    axisY,
  };
}

/** What lies under a point of the canvas. */
export type TimelineHit =
  | { readonly kind: 'cpu'; readonly cpu: number; readonly bin: number }
  | { readonly kind: 'density'; readonly bin: number }
  | {
      readonly kind: 'lock';
      readonly track: number;
      readonly bin: number;
      readonly part: 'owner' | 'waiters';
    }
  | null;

export function timelineHit(
  layout: TimelineLayout,
  bins: number,
  xPx: number,
  yPx: number,
): TimelineHit {
  if (xPx < layout.plotX || xPx >= layout.plotX + layout.plotWidthPx) return null;
  const bin = Math.min(
    bins - 1,
    Math.max(0, Math.floor(((xPx - layout.plotX) / layout.plotWidthPx) * bins)),
  );
  const { rows, density } = layout;
  if (rows && yPx >= rows.y && yPx < rows.y + rows.h) {
    const cpu = rows.cpuFrom + Math.floor(((yPx - rows.y) / rows.h) * rows.cpuCount);
    return { kind: 'cpu', cpu, bin };
  }
  if (density && yPx >= density.y && yPx < density.y + density.h) return { kind: 'density', bin };
  for (const [track, lock] of layout.locks.entries()) {
    if (yPx >= lock.slicesY && yPx < lock.waitersY)
      return { kind: 'lock', track, bin, part: 'owner' };
    if (yPx >= lock.waitersY && yPx < lock.waitersY + lock.waitersH)
      return { kind: 'lock', track, bin, part: 'waiters' };
  }
  return null;
}

/** The time axis's ticks: absolute, or offsets from the window's start when zoomed far in. */
export function timeTicks(
  fromNs: number,
  toNs: number,
  count: number,
): { readonly origin: number | null; readonly ticks: readonly { atNs: number; label: string }[] } {
  const spanNs = toNs - fromNs;
  // Three significant digits cannot tell 12.3451 s from 12.3452 s: label offsets then.
  const relative = fromNs > 0 && spanNs / toNs < 0.05;
  const origin = relative ? fromNs : null;
  // One unit for every label (durationTicks), at round values of it.
  const ticks = relative
    ? durationTicks(0, spanNs, count).map((t) => ({
        atNs: fromNs + t.atNs,
        label: `+${t.label}`,
      }))
    : durationTicks(fromNs, toNs, count);
  return { origin, ticks };
}

export interface TimelineColors {
  readonly background: Rgb;
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly spin: string;
  readonly sleep: string;
  readonly cursor: string;
  readonly brush: string;
  readonly owner: readonly string[];
  readonly arrow: string;
  readonly states: readonly Rgb[];
}

export function timelineColors(theme: Theme): TimelineColors {
  const dark = theme === 'dark';
  return {
    background: dark ? [24, 24, 27] : [255, 255, 255],
    text: dark ? '#ececef' : '#1d1d1f',
    muted: dark ? '#a9adb3' : '#555a60',
    grid: dark ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.10)',
    spin: '#d55e00',
    sleep: dark ? '#56b4e9' : '#0072b2',
    cursor: dark ? '#ffffff' : '#000000',
    brush: dark ? 'rgba(140,200,255,0.25)' : 'rgba(0,87,184,0.18)',
    // Owner slices: alternating neutral shades, so adjacent owners part; the label names the thread.
    owner: dark ? ['#6b6f78', '#8a8f99'] : ['#9aa0a8', '#c3c7cd'],
    arrow: dark ? '#ececef' : '#1d1d1f',
    states: stateLut(theme),
  };
}

export interface TimelineScene {
  readonly layout: TimelineLayout;
  readonly window: TimelineWindow | null;
  /** The machine's CPU count (for the density view's scale). */
  readonly cpus: number;
  /** The run's data ends here (ns): past it the tracks are washed grey, with a marker. */
  readonly dataEndNs: number;
  /** The marker's words before the time, e.g. "Total time" or "simulated so far". */
  readonly dataEndLabel: string;
  /** The visible time, ns (what the window was asked for; the axis is drawn for it). */
  readonly fromNs: number;
  readonly toNs: number;
  /** The most CPUs not idle in any bin: the density strip's full height. */
  readonly densityMax: number;
  /** The largest waiter count to scale the waiters area to. */
  readonly waitersMax: number;
  readonly cursorNs: number | null;
  readonly brush: readonly [number, number] | null;
  readonly colors: TimelineColors;
  /** Labels for the gutter: what the run is. */
  readonly title: string;
}

function fontPx(layout: TimelineLayout, css: number): string {
  return `${Math.round(css * layout.dpr)}px system-ui, sans-serif`;
}

/** Draws a whole scene onto `ctx` (a canvas of layout.widthPx × layout.heightPx). */
export function drawTimeline(ctx: CanvasRenderingContext2D, scene: TimelineScene): void {
  const { layout, window: win, colors } = scene;
  const { plotX, plotWidthPx: plotW, dpr } = layout;
  ctx.fillStyle = cssColor(colors.background);
  ctx.fillRect(0, 0, layout.widthPx, layout.heightPx);
  const spanNs = Math.max(1e-9, scene.toNs - scene.fromNs);
  const xOf = (ns: number): number => plotX + ((ns - scene.fromNs) / spanNs) * plotW;

  if (win) {
    // The window's bins may span a slightly different time than the view (a late answer): place
    // each bin by its own time.
    const binX0 = xOf(win.fromNs);
    const binW = ((win.toNs - win.fromNs) / spanNs) * plotW;
    if (layout.rows && win.cpuCount > 0) paintRows(ctx, scene, win, binX0, binW);
    if (layout.density) paintDensity(ctx, scene, win, binX0, binW);
    const tracks = shownLockTracks(win);
    tracks.forEach((track, i) => {
      const at = layout.locks[i];
      if (at) paintLock(ctx, scene, track, at, win, binX0, binW);
    });
    const first = layout.locks[0];
    if (tracks.length === 0 && first) {
      ctx.fillStyle = colors.muted;
      ctx.font = fontPx(layout, 11);
      ctx.textBaseline = 'top';
      ctx.fillText('no lock held or waited for in this window', plotX + 4 * dpr, first.slicesY);
    }
  }

  // Past the run's data: sparse diagonal hatching on the background, so "no data" never reads as
  // idle (idle is a flat grey), and a line with the time the data ends.
  const endX = xOf(scene.dataEndNs);
  if (endX < plotX + plotW) {
    const from = Math.max(plotX, endX);
    ctx.save();
    ctx.beginPath();
    ctx.rect(from, 0, plotX + plotW - from, layout.axisY);
    ctx.clip();
    ctx.strokeStyle = colors.grid;
    ctx.lineWidth = Math.max(1, dpr);
    ctx.beginPath();
    const step = 10 * dpr;
    for (let x = from - layout.axisY; x < plotX + plotW; x += step) {
      ctx.moveTo(x, layout.axisY);
      ctx.lineTo(x + layout.axisY, 0);
    }
    ctx.stroke();
    ctx.restore();
    if (endX >= plotX) {
      ctx.fillStyle = colors.muted;
      ctx.fillRect(Math.round(endX), 0, Math.max(1, dpr), layout.axisY);
      ctx.font = fontPx(layout, 11);
      ctx.textBaseline = 'top';
      const share = (scene.dataEndNs - scene.fromNs) / spanNs;
      const text = `${scene.dataEndLabel} ${formatNs(scene.dataEndNs)}${
        share < 0.02 ? ` (${(share * 100).toPrecision(2)}% of this window)` : ''
      }`;
      const tw = ctx.measureText(text).width;
      const tx = endX + 4 * dpr + tw < plotX + plotW ? endX + 4 * dpr : endX - 4 * dpr - tw;
      ctx.fillStyle = cssColor(colors.background);
      ctx.fillRect(tx - 2 * dpr, 3 * dpr, tw + 4 * dpr, 14 * dpr);
      ctx.fillStyle = colors.text;
      ctx.fillText(text, tx, 4 * dpr);
    }
  }

  drawGutter(ctx, scene);
  drawAxis(ctx, scene, xOf);

  if (scene.brush) {
    const [a, b] = scene.brush;
    const x0 = Math.max(plotX, xOf(Math.min(a, b)));
    const x1 = Math.min(plotX + plotW, xOf(Math.max(a, b)));
    ctx.fillStyle = colors.brush;
    ctx.fillRect(x0, 0, Math.max(1, x1 - x0), layout.axisY);
  }
  if (scene.cursorNs !== null) {
    const x = xOf(scene.cursorNs);
    if (x >= plotX && x <= plotX + plotW) {
      ctx.strokeStyle = colors.cursor;
      ctx.lineWidth = Math.max(1, dpr);
      ctx.setLineDash([4 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(Math.round(x) + 0.5, 0);
      ctx.lineTo(Math.round(x) + 0.5, layout.axisY);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }
}

/**
 * A layer of pixel rows drawn at one device pixel per bin (and per row of the track's height),
 * kept off screen and scaled onto the plot with drawImage: a pan or a redraw of the same window
 * only re-blits it, and putImageData runs only when the window, the rows or the colours change.
 */
interface Layer {
  readonly canvas: OffscreenCanvas | HTMLCanvasElement;
  readonly ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
  image: ImageData | null;
  key: readonly unknown[];
}

const layers = new WeakMap<CanvasRenderingContext2D, Map<string, Layer>>();

function newLayerCanvas(): OffscreenCanvas | HTMLCanvasElement {
  return typeof OffscreenCanvas !== 'undefined'
    ? new OffscreenCanvas(1, 1)
    : document.createElement('canvas');
}

/**
 * The layer `name` of `ctx`, `w` × `h`, repainted by `paint` only when `key` differs (element by
 * element) from the one it was painted for; null when no 2D context can be had.
 */
function layer(
  ctx: CanvasRenderingContext2D,
  name: string,
  w: number,
  h: number,
  key: readonly unknown[],
  paint: (image: ImageData) => void,
): Layer | null {
  let byName = layers.get(ctx);
  if (!byName) {
    byName = new Map();
    layers.set(ctx, byName);
  }
  let l = byName.get(name);
  if (!l) {
    const canvas = newLayerCanvas();
    const lctx = canvas.getContext('2d');
    if (!lctx) return null;
    l = { canvas, ctx: lctx, image: null, key: [] };
    byName.set(name, l);
  }
  const same =
    l.canvas.width === w &&
    l.canvas.height === h &&
    l.key.length === key.length &&
    l.key.every((k, i) => k === key[i]);
  if (same) return l;
  if (l.canvas.width !== w || l.canvas.height !== h) {
    l.canvas.width = w;
    l.canvas.height = h;
  }
  if (!l.image || l.image.width !== w || l.image.height !== h)
    l.image = l.ctx.createImageData(w, h);
  paint(l.image);
  l.ctx.putImageData(l.image, 0, 0);
  l.key = key;
  return l;
}

/**
 * Scales a layer of `bins` columns, bin 0 at binX0 and all of them binW wide, onto the plot at
 * rows y..y+h, nearest neighbour (each device pixel shows the bin under its centre), clipped to
 * the plot. Only the bins in view are drawn, so the numbers stay small however far it is zoomed.
 */
function blitBins(
  ctx: CanvasRenderingContext2D,
  scene: TimelineScene,
  l: Layer,
  bins: number,
  binX0: number,
  binW: number,
  y: number,
  h: number,
): void {
  const { plotX, plotWidthPx: plotW } = scene.layout;
  const w = Math.max(1, Math.round(plotW));
  const bw = binW / bins;
  if (!(bw > 0)) return;
  const b0 = Math.max(0, Math.floor((plotX - binX0) / bw));
  const b1 = Math.min(bins, Math.ceil((plotX + w - binX0) / bw));
  if (b1 <= b0) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(plotX, y, w, h);
  ctx.clip();
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(l.canvas, b0, 0, b1 - b0, h, binX0 + b0 * bw, y, (b1 - b0) * bw, h);
  ctx.restore();
}

/** Packs a colour as the little-endian RGBA word ImageData's bytes make. */
function packRgba([r, g, b]: Rgb): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** Per state list: 256 words, every byte a state can hold; NO_STATE and unknown ones the background. */
const lutCache = new WeakMap<readonly Rgb[], Map<number, Uint32Array>>();

function stateWords(states: readonly Rgb[], background: Rgb): Uint32Array {
  const bg = packRgba(background);
  let byBg = lutCache.get(states);
  if (!byBg) {
    byBg = new Map();
    lutCache.set(states, byBg);
  }
  let lut = byBg.get(bg);
  if (!lut) {
    lut = new Uint32Array(256).fill(bg);
    states.forEach((c, s) => {
      if (lut) lut[s] = packRgba(c);
    });
    byBg.set(bg, lut);
  }
  return lut;
}

function paintRows(
  ctx: CanvasRenderingContext2D,
  scene: TimelineScene,
  win: TimelineWindow,
  binX0: number,
  binW: number,
): void {
  const rows = scene.layout.rows;
  if (!rows) return;
  const w = win.bins;
  const h = Math.max(1, rows.h);
  const { background: bgRgb, states } = scene.colors;
  const key = [win, rows.cpuFrom, rows.cpuCount, states, ...bgRgb];
  const l = layer(ctx, 'rows', w, h, key, (image) => {
    const words = new Uint32Array(image.data.buffer);
    const background = packRgba(bgRgb);
    const lut = stateWords(states, bgRgb);
    let lastTrack = -2;
    for (let y = 0; y < h; y++) {
      const cpu = rows.cpuFrom + Math.floor((y / h) * rows.cpuCount);
      const track = cpu - win.cpuFrom;
      const rowStart = y * w;
      if (track === lastTrack && y > 0) {
        // The same CPU as the row above (rows taller than a pixel): copy it.
        words.copyWithin(rowStart, rowStart - w, rowStart);
        continue;
      }
      lastTrack = track;
      if (track < 0 || track >= win.cpuCount) {
        words.fill(background, rowStart, rowStart + w);
        continue;
      }
      const rowBase = track * win.bins;
      for (let b = 0; b < w; b++) {
        words[rowStart + b] = lut[win.cpuState[rowBase + b] ?? NO_STATE] ?? background;
      }
    }
  });
  if (l) blitBins(ctx, scene, l, w, binX0, binW, rows.y, h);
}

function paintDensity(
  ctx: CanvasRenderingContext2D,
  scene: TimelineScene,
  win: TimelineWindow,
  binX0: number,
  binW: number,
): void {
  const density = scene.layout.density;
  if (!density) return;
  const w = win.bins;
  const h = density.h;
  const { background: bgRgb, states: lut } = scene.colors;
  const key = [win, scene.densityMax, lut, ...bgRgb];
  const l = layer(ctx, 'density', w, h, key, (image) => {
    const data = image.data;
    new Uint32Array(data.buffer).fill(packRgba(bgRgb));
    const perCpu = h / Math.max(1, scene.densityMax);
    for (let b = 0; b < w; b++) {
      // Stacked from the bottom in the table's order.
      let top = h;
      for (let s = 0; s < CPU_STATE_COUNT; s++) {
        if (s === IDLE) continue;
        const n = win.stateCpus[b * CPU_STATE_COUNT + s] ?? 0;
        if (n <= 0) continue;
        const next = Math.max(0, top - n * perCpu);
        const c = lut[s];
        if (!c) continue;
        for (let y = Math.max(0, Math.round(next)); y < Math.round(top); y++) {
          const o = (y * w + b) * 4;
          data[o] = c[0];
          data[o + 1] = c[1];
          data[o + 2] = c[2];
        }
        top = next;
      }
    }
  });
  if (l) blitBins(ctx, scene, l, w, binX0, binW, density.y, h);
}

function paintLock(
  ctx: CanvasRenderingContext2D,
  scene: TimelineScene,
  track: TimelineLockTrack,
  at: TimelineLayout['locks'][number],
  win: TimelineWindow,
  binX0: number,
  binW: number,
): void {
  const { layout, colors } = scene;
  const { plotX, plotWidthPx: plotW, dpr } = layout;
  const spanNs = Math.max(1e-9, scene.toNs - scene.fromNs);
  const xOf = (ns: number): number => plotX + ((ns - scene.fromNs) / spanNs) * plotW;
  const clipL = plotX;
  const clipR = plotX + plotW;

  // Waiters: spinning from the bottom, sleeping stacked on it; one rect per bin and colour.
  const yMax = Math.max(1, scene.waitersMax);
  const unit = at.waitersH / yMax;
  const bottom = at.waitersY + at.waitersH;
  const bw = binW / win.bins;
  ctx.fillStyle = colors.grid;
  ctx.fillRect(plotX, bottom - Math.max(1, dpr), plotW, Math.max(1, dpr));
  for (const [series, color, below] of [
    [track.spinning, colors.spin, null],
    [track.sleeping, colors.sleep, track.spinning],
  ] as const) {
    ctx.fillStyle = color;
    for (let b = 0; b < win.bins; b++) {
      const v = series[b] ?? 0;
      if (v <= 0) continue;
      const x0 = Math.max(clipL, binX0 + b * bw);
      const x1 = Math.min(clipR, binX0 + (b + 1) * bw);
      if (x1 <= x0) continue;
      const base = below ? (below[b] ?? 0) : 0;
      const y1 = bottom - base * unit;
      const hgt = Math.max(dpr * 0.5, v * unit);
      ctx.fillRect(x0, y1 - hgt, Math.max(1, x1 - x0), hgt);
    }
  }

  // Owner slices, labelled with the thread when there is room. Under them, in a summary, how much
  // of each bin the lock was held: the holds too short to list show as a band of that height.
  const slices = track.slices;
  const rowH = at.waitersY - at.slicesY - Math.round(2 * dpr);
  const held = win.exact ? undefined : track.held;
  let heldAny = false;
  if (held !== undefined) {
    ctx.fillStyle = colors.owner[0] ?? colors.muted;
    ctx.globalAlpha = 0.8;
    for (let b = 0; b < win.bins; b++) {
      const share = Math.min(1, held[b] ?? 0);
      if (share <= 0) continue;
      heldAny = true;
      const x0 = Math.max(clipL, binX0 + b * bw);
      const x1 = Math.min(clipR, binX0 + (b + 1) * bw);
      if (x1 <= x0) continue;
      const hgt = Math.max(dpr, share * rowH);
      ctx.fillRect(x0, at.slicesY + rowH - hgt, Math.max(1, x1 - x0), hgt);
    }
    ctx.globalAlpha = 1;
  }
  ctx.font = fontPx(layout, 10);
  ctx.textBaseline = 'middle';
  for (let i = 0; i < slices.count; i++) {
    const x0 = Math.max(clipL, xOf(slices.startNs[i] ?? 0));
    const x1 = Math.min(clipR, xOf(slices.endNs[i] ?? 0));
    if (x1 < clipL || x0 > clipR) continue;
    const w = Math.max(1, x1 - x0);
    ctx.fillStyle = colors.owner[i % colors.owner.length] ?? colors.muted;
    ctx.fillRect(x0, at.slicesY, w, rowH);
    if (w > 34 * dpr) {
      ctx.fillStyle = colors.text;
      ctx.fillText(`T${slices.thread[i] ?? '?'}`, x0 + 3 * dpr, at.slicesY + rowH / 2, w - 6 * dpr);
    }
  }
  if (slices.count === 0 && !heldAny) {
    ctx.fillStyle = colors.muted;
    ctx.fillText(
      win.exact ? 'no owner in this window' : 'owners: zoom in for exact events',
      plotX + 4 * dpr,
      at.slicesY + rowH / 2,
    );
  }

  // Hand-offs: an arrow from the owner's release to the waiter's acquisition that followed it,
  // when exact and at least 8 px apart (closer, they would be a smear of arrowheads).
  const hand = track.handoffs;
  if (win.exact && hand.count > 0) {
    let minGap = Infinity;
    for (let i = 1; i < hand.count; i++) {
      minGap = Math.min(minGap, xOf(hand.atNs[i] ?? 0) - xOf(hand.atNs[i - 1] ?? 0));
    }
    if (hand.count === 1 || minGap >= 8 * dpr) {
      ctx.strokeStyle = colors.arrow;
      ctx.fillStyle = colors.arrow;
      ctx.lineWidth = Math.max(1, dpr);
      const y = at.slicesY + rowH;
      for (let i = 0; i < hand.count; i++) {
        const x0 = xOf(hand.atNs[i] ?? 0);
        const x1 = Math.max(x0 + 4 * dpr, xOf(hand.grantNs[i] ?? hand.atNs[i] ?? 0));
        if (x1 < clipL || x0 > clipR) continue;
        // An arc under the slice row, from the release down and back up to the new owner.
        ctx.beginPath();
        ctx.moveTo(x0, y);
        ctx.quadraticCurveTo((x0 + x1) / 2, y + 8 * dpr, x1, y);
        ctx.stroke();
        ctx.beginPath();
        ctx.moveTo(x1, y);
        ctx.lineTo(x1 - 4 * dpr, y + 2 * dpr);
        ctx.lineTo(x1 - 1 * dpr, y + 4 * dpr);
        ctx.closePath();
        ctx.fill();
      }
    }
  }
}

function drawGutter(ctx: CanvasRenderingContext2D, scene: TimelineScene): void {
  const { layout, colors, window: win } = scene;
  const { dpr } = layout;
  const x = 4 * dpr;
  ctx.fillStyle = cssColor(colors.background);
  ctx.fillRect(0, 0, layout.plotX, layout.heightPx);
  ctx.textBaseline = 'top';
  ctx.fillStyle = colors.text;
  ctx.font = `600 ${fontPx(layout, 12)}`;
  const titleY = layout.density?.y ?? layout.rows?.y ?? 0;
  ctx.fillText(scene.title, x, titleY, layout.plotX - 8 * dpr);
  ctx.font = fontPx(layout, 11);
  ctx.fillStyle = colors.muted;
  if (layout.density) {
    ctx.fillText(`of ${scene.cpus} CPUs:`, x, layout.density.y + 16 * dpr);
    ctx.fillText('those not idle,', x, layout.density.y + 30 * dpr);
    ctx.fillText('stacked by state', x, layout.density.y + 44 * dpr);
    ctx.textBaseline = 'bottom';
    ctx.fillText(`0–${formatCpus(scene.densityMax)} CPUs`, x, layout.density.y + layout.density.h);
    ctx.textBaseline = 'top';
  }
  const rows = layout.rows;
  if (rows) {
    const offset = layout.density ? 0 : 16 * dpr;
    ctx.fillText(`CPU ${rows.cpuFrom}`, x, rows.y + offset);
    ctx.textBaseline = 'bottom';
    ctx.fillText(`CPU ${rows.cpuFrom + rows.cpuCount - 1}`, x, rows.y + rows.h);
    ctx.textBaseline = 'top';
  }
  shownLockTracks(win).forEach((track, i) => {
    const at = layout.locks[i];
    if (!at) return;
    ctx.fillStyle = colors.text;
    ctx.fillText(track.lock, x, at.slicesY, layout.plotX - 8 * dpr);
    ctx.fillStyle = colors.muted;
    ctx.fillText(
      track.instance ? `${track.instance}: waiters` : 'waiters',
      x,
      at.waitersY + 2 * dpr,
      layout.plotX - 8 * dpr,
    );
    ctx.textBaseline = 'bottom';
    ctx.fillText(`0–${formatWaiters(scene.waitersMax)}`, x, at.waitersY + at.waitersH);
    ctx.textBaseline = 'top';
  });
}

/** The most CPUs not idle in any bin of the window (the density strip's scale). */
export function busyCpusMax(win: TimelineWindow | null): number {
  let most = 0;
  if (!win) return most;
  for (let b = 0; b < win.bins; b++) {
    let busy = 0;
    for (let s = 0; s < CPU_STATE_COUNT; s++) {
      if (s !== IDLE) busy += win.stateCpus[b * CPU_STATE_COUNT + s] ?? 0;
    }
    most = Math.max(most, busy);
  }
  return most;
}

function formatCpus(n: number): string {
  return n >= 10 ? String(Math.round(n)) : Math.max(1, n).toFixed(1);
}

/** The waiters scale's top, as the gutter prints it. */
export function formatWaiters(n: number): string {
  const top = Math.max(1, n);
  return top >= 10 ? String(Math.round(top)) : top.toFixed(1);
}

function drawAxis(
  ctx: CanvasRenderingContext2D,
  scene: TimelineScene,
  xOf: (ns: number) => number,
): void {
  const { layout, colors } = scene;
  const { dpr, axisY, plotX, plotWidthPx: plotW } = layout;
  const count = Math.max(2, Math.floor(plotW / dpr / 110));
  const { origin, ticks } = timeTicks(scene.fromNs, scene.toNs, count);
  ctx.fillStyle = colors.muted;
  ctx.fillRect(plotX, axisY, plotW, Math.max(1, dpr));
  ctx.font = fontPx(layout, 11);
  ctx.textBaseline = 'top';
  for (const tick of ticks) {
    const x = Math.round(xOf(tick.atNs));
    ctx.fillStyle = colors.grid;
    ctx.fillRect(x, 0, Math.max(1, dpr), axisY);
    ctx.fillStyle = colors.muted;
    ctx.fillRect(x, axisY, Math.max(1, dpr), 4 * dpr);
    const tw = ctx.measureText(tick.label).width;
    const tx = Math.min(plotX + plotW - tw, Math.max(plotX, x - tw / 2));
    ctx.fillStyle = colors.text;
    ctx.fillText(tick.label, tx, axisY + 6 * dpr);
  }
  if (origin !== null) {
    ctx.fillStyle = colors.muted;
    ctx.fillText(`from ${formatNs(origin)}`, 4 * dpr, axisY + 6 * dpr, plotX - 8 * dpr);
  }
}
