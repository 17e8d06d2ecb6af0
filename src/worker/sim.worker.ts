/**
 * The simulation worker's entry: exposes the runner through Comlink and nothing else. The logic
 * lives in ./runner.ts; the protocol in ./protocol.ts.
 */
import { expose, releaseProxy, type Remote } from 'comlink';
import { checkRunSize, createSimulation, PAGE_BUDGET } from '../sim/index.ts';
import { createRunner, messageChannelYield } from './runner.ts';

/** The module has loaded (imports are evaluated first). */
const bootMs = performance.now();

expose(
  createRunner({
    // The columns' runs keep their timeline summary (fixed memory) for the timeline panel.
    createSimulation: (scenario, design, keepTimeline) =>
      createSimulation(
        scenario,
        design,
        PAGE_BUDGET,
        keepTimeline ? { timeline: { summary: true } } : {},
      ),
    checkRunSize,
    now: () => performance.now(),
    timeOrigin: performance.timeOrigin,
    bootMs,
    yieldToEventLoop: messageChannelYield(),
    // The callback arrives as a Comlink proxy of the page's function; release it so its
    // MessageChannel does not outlive the run.
    releaseCallback: (callback) => (callback as unknown as Remote<unknown>)[releaseProxy](),
  }),
);
