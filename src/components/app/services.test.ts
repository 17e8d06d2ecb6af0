/**
 * The wiring: createAppServices() builds independent instances, and components take theirs from
 * the context. Vitest runs in Node without a DOM, so components render with react-dom/server
 * (which reads zustand stores' initial state).
 */
import { createElement, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO } from '../../scenario/scenario.ts';
import { createAppServices, type AppServices } from '../../state/appServices.ts';
import { memoryHistory } from '../../state/history.ts';
import { createRunStore } from '../../state/runStore.ts';
import { createSweepController } from '../../state/sweepController.ts';
import type { PointClient } from '../../worker/pointClient.ts';
import { createScenarioStore } from '../../state/scenarioStore.ts';
import type { SimClient } from '../../worker/client.ts';
import { Column } from '../column/Column.tsx';
import { ShownRunsProvider } from './ShownRuns.tsx';
import { Notices } from '../notices/Notices.tsx';
import { AppServicesProvider } from './services.tsx';

function fakeClient(): SimClient & { cancels: number; disposed: boolean } {
  let runs = 0;
  return {
    cancels: 0,
    disposed: false,
    start: () => ++runs,
    cancel() {
      this.cancels++;
    },
    dispose() {
      this.disposed = true;
    },
  };
}

function servicesAt(query: string, clients: SimClient[] = []): AppServices {
  return createAppServices({
    history: memoryHistory(query),
    createClient: () => {
      const client = fakeClient();
      clients.push(client);
      return client;
    },
    scheduleFlush: (flush) => flush(),
  });
}

function render(services: AppServices, element: ReactElement): string {
  return renderToString(createElement(AppServicesProvider, { services }, element));
}

/** This test runs no sweep. */
const unusedPointClient: PointClient = {
  run: () => Promise.reject(new Error('no sweep in this test')),
  cancel: () => undefined,
  dispose: () => undefined,
};

describe('app services', () => {
  it('gives every call its own stores and its own run controller', () => {
    const clientsA: Array<ReturnType<typeof fakeClient>> = [];
    const clientsB: Array<ReturnType<typeof fakeClient>> = [];
    const a = servicesAt('', clientsA);
    const b = servicesAt('', clientsB);
    expect(a.scenarioStore).not.toBe(b.scenarioStore);
    expect(a.runStore).not.toBe(b.runStore);

    a.scenarioStore.getState().updateScenario((s) => ({ ...s, cpus: 64 }));
    expect(a.scenarioStore.getState().scenario.cpus).toBe(64);
    expect(b.scenarioStore.getState().scenario.cpus).toBe(DEFAULT_SCENARIO.cpus);

    const stopA = a.startRuns();
    expect(a.runStore.getState().columns.A.status).toBe('running');
    expect(b.runStore.getState().columns.A.status).toBe('idle');
    b.cancelRuns(); // b has no controller running: nothing to cancel, and a's runs go on.
    expect(clientsA[0]?.cancels).toBe(0);
    a.cancelRuns();
    expect(clientsA[0]?.cancels).toBe(1);
    expect(a.runStore.getState().columns.A.status).toBe('cancelled');
    stopA();
    expect(clientsA[0]?.disposed).toBe(true);
    expect(clientsB).toHaveLength(0);
  });

  it('starts a fresh client each time the runs start again (StrictMode mounts twice)', () => {
    const clients: Array<ReturnType<typeof fakeClient>> = [];
    const services = servicesAt('', clients);
    services.startRuns()();
    const stop = services.startRuns();
    expect(clients.map((c) => c.disposed)).toEqual([true, false]);
    services.cancelRuns();
    expect(clients.map((c) => c.cancels)).toEqual([0, 1]);
    stop();
  });
});

describe('components take their services from the context', () => {
  it('render each provider’s own state', () => {
    const corrected = servicesAt('cpus=0');
    const clean = servicesAt('');
    expect(render(corrected, createElement(Notices))).toContain('cpus: 0 → 1 (1..4096)');
    expect(render(clean, createElement(Notices))).toBe('');
  });

  it('refuse to render without a provider', () => {
    expect(() => renderToString(createElement(Notices))).toThrow(/AppServicesProvider/);
  });

  it('draw a column from the scenario its run ran, not from the controls', () => {
    // The controls say 64 CPUs on a changed machine; the column's run was the seed scenario.
    const scenarioStore = createScenarioStore(memoryHistory('cpus=64&da=list'));
    const runStore = createRunStore({ A: 'list', B: 'final' }, DEFAULT_SCENARIO);
    const services: AppServices = {
      scenarioStore,
      runStore,
      startRuns: () => () => undefined,
      cancelRuns: () => undefined,
      rerun: () => undefined,
      sweep: createSweepController({ createClient: () => unusedPointClient }),
      timeline: () => Promise.resolve(null),
    };
    const html = render(
      services,
      createElement(ShownRunsProvider, null, createElement(Column, { column: 'A' })),
    );
    expect(html).toContain(`${DEFAULT_SCENARIO.cpus} CPUs`);
    expect(html).not.toContain('64 CPUs');
    // The published figures belong to the seed scenario, which is what the run ran.
    expect(html).toContain('Total time: 236.418 [sec]');
  });
});
