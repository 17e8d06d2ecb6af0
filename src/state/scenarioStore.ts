/**
 * The scenario and the view, mirrored to the URL. The URL is the source of truth: the store is
 * loaded from it, and every change is written back (replaceState for continuous edits, pushState
 * for presets). This module and ./history.ts are the only code that touches window.history.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Scenario } from '../scenario/scenario.ts';
import { sweepFromQuery, withSweepQuery, type SweepSpec } from '../scenario/sweep.ts';
import {
  queryFromScenario,
  roundCursor,
  scenarioFromQuery,
  type ViewState,
} from '../scenario/url.ts';
import type { HistoryPort } from './history.ts';
import type { Preset } from './presets.ts';

export interface ScenarioState {
  readonly scenario: Scenario;
  readonly view: ViewState;
  /** The scaling sweep the URL names (`sw=…`), or null. */
  readonly sweep: SweepSpec | null;
  /** Fields the last loaded URL had to correct; shown until dismissed. */
  readonly corrections: readonly string[];
  readonly newerVersion: boolean;
}

export interface ScenarioActions {
  /** Reads the URL again (page load, Back/Forward). */
  loadFromUrl(): void;
  /** Changes the scenario; the URL follows with replaceState. */
  updateScenario(change: (scenario: Scenario) => Scenario): void;
  /** Changes the view. `writeUrl: false` skips the URL (the cursor while playing). */
  updateView(change: Partial<ViewState>, options?: { writeUrl?: boolean }): void;
  /** Sets the sweep (the user ran one); the URL follows with pushState. */
  setSweep(sweep: SweepSpec | null): void;
  /** Replaces scenario and view; the URL follows with pushState. */
  applyPreset(preset: Preset): void;
  dismissNotices(): void;
  /** The query of the current scenario and view (what Copy link shares). */
  query(): string;
}

export type ScenarioStore = StoreApi<ScenarioState & ScenarioActions>;

export function createScenarioStore(history: HistoryPort): ScenarioStore {
  return createStore<ScenarioState & ScenarioActions>()((set, get) => {
    const read = () => {
      const query = history.read();
      const decoded = scenarioFromQuery(query);
      const sweep = sweepFromQuery(query);
      return {
        scenario: decoded.scenario,
        view: decoded.view,
        sweep: sweep.sweep,
        corrections: [...decoded.corrections, ...sweep.corrections],
        newerVersion: decoded.newerVersion,
      };
    };
    const queryOf = (): string => {
      const { scenario, view, sweep } = get();
      return withSweepQuery(queryFromScenario(scenario, view), sweep);
    };
    const write = (how: 'replace' | 'push'): void => history[how](queryOf());
    return {
      ...read(),

      loadFromUrl() {
        set(read());
      },
      updateScenario(change) {
        set({ scenario: change(get().scenario), view: { ...get().view, cursor: null } });
        write('replace');
      },
      updateView(change, options) {
        const merged = { ...get().view, ...change };
        const cursor =
          merged.cursor === null ? null : roundCursor(Math.min(1, Math.max(0, merged.cursor)));
        set({ view: { ...merged, cursor } });
        if (options?.writeUrl !== false) write('replace');
      },
      setSweep(sweep) {
        set({ sweep });
        write('push');
      },
      applyPreset(preset) {
        set({ scenario: preset.scenario, view: preset.view });
        write('push');
      },
      dismissNotices() {
        set({ corrections: [], newerVersion: false });
      },
      query: queryOf,
    };
  });
}
