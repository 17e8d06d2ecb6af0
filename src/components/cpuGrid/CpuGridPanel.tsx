import { memo, useCallback, useMemo, useState, type KeyboardEvent } from 'react';
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
import { useTheme } from '../shared/useTheme.ts';
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
}

const GRID_CSS_PX = 300;
const BACKGROUND: Record<'light' | 'dark', Rgb> = { light: [255, 255, 255], dark: [24, 24, 27] };

function stateCounts(samples: SampleColumns, frame: number): number[] {
  return CPU_STATES.map((_, s) => samples.stateCpus[frame * CPU_STATE_COUNT + s] ?? 0);
}

/** The per-CPU grid: each CPU's state (or slot occupancy) at the time cursor. */
export const CpuGridPanel = memo(function CpuGridPanel(props: Props) {
  const { column, design, samples, simulatedNs, spanNs, cursor, mode, slots, cpus } = props;
  const theme = useTheme();
  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  const layout = useMemo(() => gridLayout(cpus, GRID_CSS_PX * dpr), [cpus, dpr]);
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
      <h3>CPUs</h3>
      <p className="caption">
        {mode === 'states'
          ? 'What each CPU does at the time cursor (its main state in the frame); hatched cells spin on a lock. Counts are CPUs averaged over the frame.'
          : `Slots in use per CPU (of ${slots}); the darker bottom band is the CPU-bound share; a corner mark means the CPU refused a breakpoint (ENOSPC).`}
      </p>
      <div className="grid-wrap">
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
    </section>
  );
});
