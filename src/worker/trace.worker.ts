/**
 * Builds a Trace Event file off the page's thread: both runs' exact windows in, the file out as a
 * Blob (a handle the page downloads; the tens of megabytes of JSON never cross back as a string).
 * The seed scenario's trace is about 450,000 events: building its JSON took a second of the main
 * thread, which froze the page while the export said it was working.
 */
import { expose } from 'comlink';
import { traceFile, traceJson, type TraceRun } from '../report/traceEvent.ts';

export interface TraceWorkerApi {
  build(runs: readonly TraceRun[], scenario: string): Blob;
}

const api: TraceWorkerApi = {
  build(runs, scenario) {
    const json = traceJson(traceFile(runs, { otherData: { scenario } }));
    return new Blob([json], { type: 'application/json' });
  },
};

expose(api);
