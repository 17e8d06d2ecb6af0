import {
  DESIGN_IDS,
  DESIGN_PART_VALUES,
  DESIGN_PRESETS,
  composedDesign,
  isComposed,
  isDesignId,
  specParts,
  type DesignParts,
  type DesignSpec,
} from '../../engine/index.ts';
import { PART_DESCRIPTIONS, designName, designNaming, memoryText } from '../../report/designs.ts';
import type { ColumnId } from '../../worker/protocol.ts';
import { useScenarioShallow, useServices } from '../app/services.tsx';

/** The main select's value that opens the three part selects. */
const COMPOSE = 'compose';

const PART_LABELS: Readonly<Record<keyof DesignParts, string>> = {
  store: 'Store',
  lock: 'Lock',
  max: 'Max',
};

/**
 * One column's design: a named design, or "compose…" with a select per part (store, lock, max;
 * docs/design-lab.md), each option with its one-line description. Composing starts from the
 * parts of the design shown, so the first change is one part away from it.
 */
export function DesignPicker({ column }: { readonly column: ColumnId }) {
  const design = useScenarioShallow((s) => (column === 'A' ? s.view.designA : s.view.designB));
  const { scenarioStore } = useServices();
  const set = (next: DesignSpec): void =>
    scenarioStore.getState().updateView(column === 'A' ? { designA: next } : { designB: next });
  const composing = isComposed(design);
  const parts = specParts(design) ?? DESIGN_PRESETS.final;
  const setPart = (part: keyof DesignParts, value: string): void => {
    const allowed: readonly string[] = DESIGN_PART_VALUES[part];
    if (allowed.includes(value)) set(composedDesign({ ...parts, [part]: value }));
  };
  return (
    <div className="field design-picker">
      <label>
        Design {column}
        <select
          value={composing ? COMPOSE : design}
          onChange={(e) => {
            const picked = e.target.value;
            if (picked === COMPOSE) set(composedDesign(parts));
            else if (isDesignId(picked)) set(picked);
          }}
        >
          {DESIGN_IDS.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
          <option value={COMPOSE}>compose… (store+lock+max)</option>
        </select>
      </label>
      {composing && (
        <fieldset className="design-parts">
          <legend>Parts of design {column}</legend>
          {(Object.keys(PART_LABELS) as (keyof DesignParts)[]).map((part) => (
            <label key={part} className="design-part">
              {PART_LABELS[part]}
              <select
                aria-label={`${PART_LABELS[part]} of column ${column}`}
                value={parts[part]}
                onChange={(e) => setPart(part, e.target.value)}
              >
                {DESIGN_PART_VALUES[part].map((value) => (
                  <option key={value} value={value}>
                    {value}: {(PART_DESCRIPTIONS[part] as Readonly<Record<string, string>>)[value]}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <code className="design-spec" data-testid={`design-spec-${column}`}>
            {designName(design)}
          </code>
        </fieldset>
      )}
      {/* The full name wraps here; in the select it would be cut at the sidebar's width. */}
      <span className="hint design-hint">({designNaming(design).description})</span>
      {design !== 'ideal' && (
        <span className="hint design-hint" data-testid={`design-memory-${column}`}>
          Memory: {memoryText(design)}
        </span>
      )}
    </div>
  );
}
