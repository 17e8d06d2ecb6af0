/**
 * The page's store instances and their React hooks. The stores live in src/state; this module
 * binds them to the browser (window.history) and to React (useStore).
 */
import { useStore } from 'zustand';
import { useShallow } from 'zustand/shallow';
import { browserHistory } from '../../state/history.ts';
import { createRunStore, type RunActions, type RunState } from '../../state/runStore.ts';
import {
  createScenarioStore,
  type ScenarioActions,
  type ScenarioState,
} from '../../state/scenarioStore.ts';

export const scenarioStore = createScenarioStore(browserHistory);
const initialView = scenarioStore.getState().view;
export const runStore = createRunStore({ A: initialView.designA, B: initialView.designB });

export function useScenario<T>(select: (state: ScenarioState & ScenarioActions) => T): T {
  return useStore(scenarioStore, select);
}

export function useScenarioShallow<T>(select: (state: ScenarioState & ScenarioActions) => T): T {
  return useStore(scenarioStore, useShallow(select));
}

export function useRuns<T>(select: (state: RunState & RunActions) => T): T {
  return useStore(runStore, select);
}
