/**
 * The simulation worker's entry: exposes the runner through Comlink and nothing else. The logic
 * lives in ./runner.ts; the protocol in ./protocol.ts.
 */
import { expose, releaseProxy, type Remote } from 'comlink';
import { checkRunSize, createSimulation, estimateRunCost, PAGE_BUDGET } from '../sim/index.ts';
import { createRunner, messageChannelYield } from './runner.ts';

/**
 * Runs up to this many events (estimated) record their timeline summary in a second run after the
 * result (./runner.ts): the seed's runs are about 150,000 events, the Heavier preset 3.4 million.
 */
const SUMMARY_AFTER_RUN_MAX_EVENTS = 1_000_000;

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
    // A run of up to a million events (about a second warm) records its summary afterwards.
    summaryAfterRun: (scenario, design) =>
      estimateRunCost(scenario, design).events <= SUMMARY_AFTER_RUN_MAX_EVENTS,
    now: () => performance.now(),
    timeOrigin: performance.timeOrigin,
    bootMs,
    yieldToEventLoop: messageChannelYield(),
    // The callback arrives as a Comlink proxy of the page's function; release it so its
    // MessageChannel does not outlive the run.
    releaseCallback: (callback) => (callback as unknown as Remote<unknown>)[releaseProxy](),
  }),
);
