import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';

interface Props {
  /** Size in device pixels; CSS size is this over devicePixelRatio. */
  readonly widthPx: number;
  readonly heightPx: number;
  /** Draws the whole canvas; called at most once per animation frame, after `version` changes. */
  readonly draw: (ctx: CanvasRenderingContext2D) => void;
  /** Redraw key: any change schedules one draw on the next frame. */
  readonly version: unknown;
  readonly label: string;
  readonly onPointer?: (xPx: number | null, yPx: number | null, event: MouseEvent) => void;
  readonly onKeyDown?: (event: KeyboardEvent<HTMLCanvasElement>) => void;
  readonly onBlur?: () => void;
  /**
   * A User Timing name for each draw, recorded only when the page runs under the frame benchmark
   * (`<html data-bench="frames">`, set by scripts/bench-frames.ts), so normal use buffers nothing.
   */
  readonly measureName?: string;
}

const benchmarking = (): boolean =>
  typeof document !== 'undefined' && document.documentElement.dataset.bench === 'frames';

/**
 * The one canvas wrapper: React owns the element; drawing is imperative and coalesced to one
 * requestAnimationFrame however often props change.
 */
export function CanvasPanel(props: Props) {
  const { widthPx, heightPx, draw, version, label, onPointer, onKeyDown, onBlur, measureName } =
    props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawRef = useRef(draw);
  const frameRef = useRef<number | null>(null);

  useEffect(() => {
    drawRef.current = draw;
  }, [draw]);

  useEffect(() => {
    if (frameRef.current !== null) return;
    frameRef.current = requestAnimationFrame(() => {
      frameRef.current = null;
      const ctx = canvasRef.current?.getContext('2d');
      if (!ctx) return;
      const startMs = performance.now();
      drawRef.current(ctx);
      if (measureName && benchmarking()) performance.measure(measureName, { start: startMs });
    });
  }, [version, widthPx, heightPx, measureName]);

  useEffect(
    () => () => {
      if (frameRef.current !== null) cancelAnimationFrame(frameRef.current);
      frameRef.current = null;
    },
    [],
  );

  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  const toDevice = (event: MouseEvent): [number, number] => {
    const rect = event.currentTarget.getBoundingClientRect();
    return [(event.clientX - rect.left) * dpr, (event.clientY - rect.top) * dpr];
  };

  return (
    <canvas
      ref={canvasRef}
      width={widthPx}
      height={heightPx}
      style={{ width: widthPx / dpr, height: heightPx / dpr }}
      role="img"
      aria-label={label}
      tabIndex={0}
      onMouseMove={onPointer ? (e) => onPointer(...toDevice(e), e) : undefined}
      onMouseLeave={onPointer ? (e) => onPointer(null, null, e) : undefined}
      onKeyDown={onKeyDown}
      onBlur={onBlur}
    />
  );
}
