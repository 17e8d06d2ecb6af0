/**
 * The page's side of the trace worker (./trace.worker.ts): one short-lived worker per export, so a
 * trace's tens of megabytes of JSON are built and dropped away from the page's thread and heap.
 */
import { wrap } from 'comlink';
import type { TraceRun } from '../report/traceEvent.ts';
import type { TraceWorkerApi } from './trace.worker.ts';

export async function buildTraceOffThread(
  runs: readonly TraceRun[],
  scenario: string,
): Promise<Blob> {
  const worker = new Worker(new URL('./trace.worker.ts', import.meta.url), {
    type: 'module',
    name: 'slotscope-trace',
  });
  try {
    return await wrap<TraceWorkerApi>(worker).build(runs, scenario);
  } finally {
    worker.terminate();
  }
}
