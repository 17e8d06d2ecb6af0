import { useId, useState, type ReactNode } from 'react';

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

const LOG_STEPS = 1000;

function toSlider(value: number, min: number, max: number, scale: 'linear' | 'log'): number {
  if (scale === 'linear') return value;
  const lo = Math.log(Math.max(1, min));
  const hi = Math.log(max);
  return Math.round(((Math.log(Math.max(1, value)) - lo) / (hi - lo)) * LOG_STEPS);
}

function fromSlider(position: number, min: number, max: number, scale: 'linear' | 'log'): number {
  if (scale === 'linear') return position;
  const lo = Math.log(Math.max(1, min));
  const hi = Math.log(max);
  return Math.min(
    max,
    Math.max(min, Math.round(Math.exp(lo + (position / LOG_STEPS) * (hi - lo)))),
  );
}

/** A labelled slider paired with a numeric input; both edit the same value. */
export function NumberControl(props: Props) {
  const { label, flag, value, min, max, onChange, hint, inputOnly } = props;
  const scale = props.scale ?? 'linear';
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);

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
            min={scale === 'log' ? 0 : min}
            max={scale === 'log' ? LOG_STEPS : max}
            step={1}
            value={toSlider(value, min, max, scale)}
            onChange={(e) => onChange(fromSlider(Number(e.target.value), min, max, scale))}
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
