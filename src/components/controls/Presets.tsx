import { PRESETS } from '../../state/presets.ts';
import { queryFromScenario } from '../../scenario/url.ts';
import { useScenarioShallow, useServices } from '../app/services.tsx';

/** Named scenarios; choosing one adds a history entry, so Back returns to the previous one. */
export function Presets() {
  const current = useScenarioShallow((s) =>
    queryFromScenario(s.scenario, { ...s.view, cursor: null }),
  );
  const { scenarioStore } = useServices();
  return (
    <nav className="presets" aria-label="Presets">
      <h2>Presets</h2>
      <ul>
        {PRESETS.map((preset) => {
          const active = queryFromScenario(preset.scenario, preset.view) === current;
          return (
            <li key={preset.id}>
              <button
                type="button"
                aria-pressed={active}
                title={preset.description}
                onClick={() => scenarioStore.getState().applyPreset(preset)}
              >
                {preset.label}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
