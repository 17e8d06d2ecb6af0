/**
 * The scenario and the view, mirrored to the URL. The URL is the source of truth: the store is
 * loaded from it, and every change is written back (replaceState for continuous edits, pushState
 * for presets). This module and ./history.ts are the only code that touches window.history.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Scenario } from '../scenario/scenario.ts';
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
  /** Replaces scenario and view; the URL follows with pushState. */
  applyPreset(preset: Preset): void;
  dismissNotices(): void;
  /** The query of the current scenario and view (what Copy link shares). */
  query(): string;
}

export type ScenarioStore = StoreApi<ScenarioState & ScenarioActions>;

export function createScenarioStore(history: HistoryPort): ScenarioStore {
  return createStore<ScenarioState & ScenarioActions>()((set, get) => {
    const decoded = scenarioFromQuery(history.read());
    const write = (how: 'replace' | 'push'): void => {
      const { scenario, view } = get();
      history[how](queryFromScenario(scenario, view));
    };
    return {
      scenario: decoded.scenario,
      view: decoded.view,
      corrections: decoded.corrections,
      newerVersion: decoded.newerVersion,

      loadFromUrl() {
        const next = scenarioFromQuery(history.read());
        set({
          scenario: next.scenario,
          view: next.view,
          corrections: next.corrections,
          newerVersion: next.newerVersion,
        });
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
      applyPreset(preset) {
        set({ scenario: preset.scenario, view: preset.view });
        write('push');
      },
      dismissNotices() {
        set({ corrections: [], newerVersion: false });
      },
      query() {
        return queryFromScenario(get().scenario, get().view);
      },
    };
  });
}
