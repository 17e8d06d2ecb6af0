import { PRESETS } from '../../state/presets.ts';
import { queryFromScenario } from '../../scenario/url.ts';
import { useScenarioShallow, useServices } from '../app/services.tsx';

/** Named scenarios; choosing one adds a history entry, so Back returns to the previous one. */
export function Presets() {
  const current = useScenarioShallow((s) =>
    queryFromScenario(s.scenario, { ...s.view, cursor: null }),
  );
  const { scenarioStore } = useServices();
  const active = PRESETS.find(
    (preset) => queryFromScenario(preset.scenario, preset.view) === current,
  );
  return (
    <nav className="presets" aria-label="Presets">
      <h2>Presets</h2>
      <ul>
        {PRESETS.map((preset) => {
          const pressed = preset === active;
          return (
            <li key={preset.id}>
              <button
                type="button"
                aria-pressed={pressed}
                aria-describedby={pressed ? 'preset-description' : undefined}
                onClick={() => scenarioStore.getState().applyPreset(preset)}
              >
                {pressed && (
                  <span className="pressed-mark" aria-hidden="true">
                    ✓{' '}
                  </span>
                )}
                {preset.label}
              </button>
            </li>
          );
        })}
      </ul>
      <p id="preset-description" className="preset-description">
        {active
          ? `${active.label}: ${active.description}`
          : 'Your own scenario: no preset matches the controls.'}
      </p>
    </nav>
  );
}
