import { useId, useMemo, useState, type ReactNode } from 'react';
import { logSliderPosition, logSliderStops } from './logSlider.ts';

interface Props {
  readonly label: string;
  /** Shown after the label, e.g. the perf flag: "-p". */
  readonly flag?: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  /** Log-scale sliders for ranges spanning decades (CPUs 1..4096). */
  readonly scale?: 'linear' | 'log';
  readonly onChange: (value: number) => void;
  readonly hint?: ReactNode;
  /** Hide the slider (fields with huge ranges such as the seed). */
  readonly inputOnly?: boolean;
}

/** Slider position ↔ value: the value itself when linear, an index into the stops when log. */
function sliderMapping(
  min: number,
  max: number,
  scale: 'linear' | 'log',
): { min: number; max: number; toPosition(value: number): number; toValue(at: number): number } {
  if (scale === 'linear') return { min, max, toPosition: (v) => v, toValue: (at) => at };
  const stops = logSliderStops(min, max);
  return {
    min: 0,
    max: stops.length - 1,
    toPosition: (value) => logSliderPosition(stops, value),
    toValue: (at) => stops[at] ?? max,
  };
}

/** A labelled slider paired with a numeric input; both edit the same value. */
export function NumberControl(props: Props) {
  const { label, flag, value, min, max, onChange, hint, inputOnly } = props;
  const scale = props.scale ?? 'linear';
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const slider = useMemo(() => sliderMapping(min, max, scale), [min, max, scale]);

  const commitText = (text: string): void => {
    const parsed = Number(text);
    if (text.trim() !== '' && Number.isFinite(parsed)) {
      const clamped = Math.min(max, Math.max(min, Math.round(parsed)));
      if (clamped !== value) onChange(clamped);
    }
    setDraft(null);
  };

  return (
    <div className="number-control">
      <label htmlFor={`${id}-input`}>
        {label}
        {flag && <span className="flag"> {flag}</span>}
      </label>
      <div className="number-control-row">
        {!inputOnly && (
          <input
            type="range"
            aria-label={`${label} slider`}
            aria-valuetext={String(value)}
            min={slider.min}
            max={slider.max}
            step={1}
            value={slider.toPosition(value)}
            onChange={(e) => onChange(slider.toValue(Number(e.target.value)))}
          />
        )}
        <input
          id={`${id}-input`}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          value={draft ?? String(value)}
          onChange={(e) => {
            const text = e.target.value;
            const parsed = Number(text);
            if (text.trim() !== '' && Number.isInteger(parsed) && parsed >= min && parsed <= max) {
              setDraft(null);
              if (parsed !== value) onChange(parsed);
            } else {
              setDraft(text);
            }
          }}
          onBlur={(e) => commitText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitText(e.currentTarget.value);
          }}
        />
      </div>
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}
