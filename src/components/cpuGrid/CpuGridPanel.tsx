import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { frameAtCursor } from '../../derive/frames.ts';
import { cpuAtPoint, gridLayout } from '../../derive/grid.ts';
import { formatNs } from '../../report/format.ts';
import { cpuDetails, paintCpuGrid } from '../../render/cpuGrid.ts';
import {
  ENOSPC_MARK,
  STATE_STYLES,
  cssColor,
  occupancyLut,
  stateLut,
  type Rgb,
} from '../../render/palette.ts';
import type { GridMode } from '../../scenario/url.ts';
import {
  CPU_STATE_COUNT,
  CPU_STATE_TABLE,
  CPU_STATES,
  type SampleColumns,
} from '../../sim/types.ts';
import { CanvasPanel } from '../shared/CanvasPanel.tsx';
import { gridFiles } from '../shared/exportFiles.ts';
import { PanelExport } from '../shared/PanelExport.tsx';
import { useTheme } from '../shared/useTheme.ts';
import { useDevicePixelRatio, useElementWidth } from '../shared/useElementSize.ts';
import { occupancySummary } from '../../derive/grid.ts';
import type { ColumnId } from '../../worker/protocol.ts';

/** `samples`, `cpus` and `slots` come from one run (the column's), so they always agree. */
interface Props {
  readonly column: ColumnId;
  readonly design: string;
  readonly samples: SampleColumns | null;
  readonly simulatedNs: number;
  readonly spanNs: number;
  readonly cursor: number | null;
  readonly mode: GridMode;
  readonly slots: number;
  readonly cpus: number;
  /** What this column's grid shows and what to look for (derive/narrative.ts). */
  readonly caption: string;
}

/** The grid's largest CSS size; below it, the grid takes its container's width. */
const GRID_MAX_CSS_PX = 360;
/** Below this cell size (device px) the 4-px hatching would alias into moiré: colour only. */
const MIN_TEXTURE_PX = 6;
const BACKGROUND: Record<'light' | 'dark', Rgb> = { light: [255, 255, 255], dark: [24, 24, 27] };

function stateCounts(samples: SampleColumns, frame: number): number[] {
  return CPU_STATES.map((_, s) => samples.stateCpus[frame * CPU_STATE_COUNT + s] ?? 0);
}

/** The per-CPU grid: each CPU's state (or slot occupancy) at the time cursor. */
export const CpuGridPanel = memo(function CpuGridPanel(props: Props) {
  const { column, design, samples, simulatedNs, spanNs, cursor, mode, slots, cpus, caption } =
    props;
  const theme = useTheme();
  const dpr = useDevicePixelRatio();
  const wrapRef = useRef<HTMLDivElement>(null);
  const widthCssPx = Math.min(GRID_MAX_CSS_PX, useElementWidth(wrapRef, GRID_MAX_CSS_PX));
  const layout = useMemo(() => gridLayout(cpus, widthCssPx * dpr), [cpus, widthCssPx, dpr]);
  const frame = samples ? frameAtCursor(samples, simulatedNs, cursor, spanNs) : 0;
  const [hover, setHover] = useState<{ cpu: number; xPx: number; yPx: number } | null>(null);
  const stateColors = useMemo(() => stateLut(theme), [theme]);
  const occupancyColors = useMemo(() => occupancyLut(slots), [slots]);

  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => {
      const image = ctx.createImageData(layout.widthPx, layout.heightPx);
      if (samples) {
        paintCpuGrid(image.data, {
          layout,
          samples,
          frame,
          mode,
          slots,
          stateColors,
          occupancyColors,
          background: BACKGROUND[theme],
          mark: ENOSPC_MARK[theme],
          textures: layout.pitchPx - layout.gapPx >= MIN_TEXTURE_PX,
        });
      } else {
        const [r, g, b] = BACKGROUND[theme];
        for (let i = 0; i < image.data.length; i += 4) image.data.set([r, g, b, 255], i);
      }
      ctx.putImageData(image, 0, 0);
    },
    [layout, samples, frame, mode, slots, stateColors, occupancyColors, theme],
  );

  const counts = samples ? stateCounts(samples, frame) : null;
  const occupancy = samples ? occupancySummary(samples, frame) : null;
  // Every design makes the same slot decisions (they differ in cost only), so this view is the
  // same in both columns; say so, and say why a grid can be one flat colour.
  const occupancyNote =
    'Every design makes the same slot decisions (they differ only in what the accounting costs), so this view is alike in A and B.' +
    (occupancy?.uniformUsed !== null && occupancy !== null
      ? ` Here every CPU holds ${occupancy.uniformUsed} of ${slots}: the breakpoints are all cpu = −1 (task-bound on every CPU), so each CPU counts them alike.`
      : '');
  const summary = counts
    ? CPU_STATES.map((s, i) => `${STATE_STYLES[s].label} ${Math.round(counts[i] ?? 0)}`).join(', ')
    : 'no samples yet';
  const label = `CPU grid of design ${column} (${design}), ${cpus} CPUs, at ${formatNs(
    samples ? frame * samples.frameNs : 0,
  )}: ${summary}`;

  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>): void => {
    const step: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: layout.columns,
      ArrowUp: -layout.columns,
    };
    const delta = step[event.key];
    if (delta === undefined) {
      if (event.key === 'Escape') setHover(null);
      return;
    }
    event.preventDefault();
    const cpu = Math.min(cpus - 1, Math.max(0, (hover?.cpu ?? -delta) + delta));
    const xPx = ((cpu % layout.columns) + 0.5) * layout.pitchPx;
    const yPx = (Math.floor(cpu / layout.columns) + 0.5) * layout.pitchPx;
    setHover({ cpu, xPx, yPx });
  };

  const details =
    hover && samples && hover.cpu < samples.cpus ? cpuDetails(samples, frame, hover.cpu) : null;

  return (
    <section className="panel cpu-grid" aria-label={`CPU grid, design ${column}`}>
      <div className="panel-head">
        <h3>CPUs</h3>
        <a className="model-link" href="#model-2-the-simulated-kernel">
          the model: CPUs and threads
        </a>
        <PanelExport
          column={column}
          panel="cpus"
          title={mode === 'states' ? 'CPU states' : 'Slot occupancy'}
          when={`at ${formatNs(samples ? frame * samples.frameNs : 0)}`}
          images
          files={gridFiles(samples)}
        />
      </div>
      <p className="caption">
        {mode === 'states' ? caption : `Slots in use per CPU (of ${slots}). ${occupancyNote}`}
      </p>
      <div className="grid-wrap" ref={wrapRef}>
        <CanvasPanel
          widthPx={layout.widthPx}
          heightPx={layout.heightPx}
          draw={draw}
          version={draw}
          label={label}
          measureName={`slotscope:grid-draw:${column}`}
          onPointer={(xPx, yPx) => {
            const cpu = xPx === null || yPx === null ? null : cpuAtPoint(layout, xPx, yPx);
            setHover(cpu === null || xPx === null || yPx === null ? null : { cpu, xPx, yPx });
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setHover(null)}
        />
        {details && hover && (
          <div
            className="tooltip"
            role="tooltip"
            style={{ left: hover.xPx / dpr + 12, top: hover.yPx / dpr + 12 }}
          >
            <strong>CPU {details.cpu}</strong>
            <div>
              {STATE_STYLES[details.state].glyph} {STATE_STYLES[details.state].label}
            </div>
            {details.pools.map((pool, index) => (
              <div key={index}>
                {details.pools.length > 1
                  ? index === 0
                    ? 'Instruction pool: '
                    : 'Data pool: '
                  : 'Slots: '}
                {pool.cpuBound} CPU-bound + {pool.taskMax} task = {pool.cpuBound + pool.taskMax} of{' '}
                {slots}
              </div>
            ))}
            <div>ENOSPC on this CPU: {details.enospc}</div>
          </div>
        )}
      </div>
      {mode === 'states' ? (
        <ul className="legend" aria-label="CPU states">
          {CPU_STATE_TABLE.map(({ name: state, description }, index) => (
            <li key={state} title={description}>
              <span
                className={`swatch texture-${STATE_STYLES[state].texture}`}
                style={{ background: cssColor(stateColors[index] ?? [0, 0, 0]) }}
                aria-hidden="true"
              >
                {STATE_STYLES[state].glyph}
              </span>
              {STATE_STYLES[state].label}
              {counts ? `: ${Math.round(counts[index] ?? 0)}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <ul className="legend" aria-label="Slot occupancy">
          {occupancyColors.map((color, used) => (
            <li key={used}>
              <span className="swatch" style={{ background: cssColor(color) }} aria-hidden="true" />
              {used}
            </li>
          ))}
          <li>
            <span className="swatch swatch-band" aria-hidden="true" />
            CPU-bound share
          </li>
          <li>
            <span className="swatch swatch-enospc" aria-hidden="true" />
            refused a breakpoint (ENOSPC)
          </li>
        </ul>
      )}
      <p className="legend-note">
        {mode === 'states'
          ? `Each cell is one CPU's main state in the frame${
              layout.pitchPx - layout.gapPx < MIN_TEXTURE_PX
                ? '; the cells are too small for textures here, so only colour tells the states apart'
                : '; hatched cells spin on a lock, dotted ones sleep on it'
            }. Counts are CPUs, averaged over the frame.`
          : 'The darker bottom band is the CPU-bound share; a corner mark means the CPU refused a breakpoint (ENOSPC).'}
      </p>
    </section>
  );
});
