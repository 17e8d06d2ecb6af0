/**
 * How components reach the app's services (src/state/appServices.ts): one React context, set by
 * <AppServicesProvider> above the page, and hooks that select from its stores. Components never
 * import a store instance, so each can render alone with services of its own.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/shallow';
import type { AppServices } from '../../state/appServices.ts';
import type { RunActions, RunState } from '../../state/runStore.ts';
import type { ScenarioActions, ScenarioState } from '../../state/scenarioStore.ts';

const AppServicesContext = createContext<AppServices | null>(null);

export function AppServicesProvider({
  services,
  children,
}: {
  readonly services: AppServices;
  readonly children?: ReactNode;
}) {
  return <AppServicesContext.Provider value={services}>{children}</AppServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(AppServicesContext);
  if (services === null) throw new Error('no app services: render inside <AppServicesProvider>');
  return services;
}

export function useScenario<T>(select: (state: ScenarioState & ScenarioActions) => T): T {
  return useStore(useServices().scenarioStore, select);
}

export function useScenarioShallow<T>(select: (state: ScenarioState & ScenarioActions) => T): T {
  return useStore(useServices().scenarioStore, useShallow(select));
}

export function useRuns<T>(select: (state: RunState & RunActions) => T): T {
  return useStore(useServices().runStore, select);
}

export function useRunsShallow<T>(select: (state: RunState & RunActions) => T): T {
  return useStore(useServices().runStore, useShallow(select));
}
