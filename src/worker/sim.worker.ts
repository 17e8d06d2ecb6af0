/**
 * The simulation worker's entry: exposes the runner through Comlink and nothing else. The logic
 * lives in ./runner.ts; the protocol in ./protocol.ts.
 */
import { expose } from 'comlink';
import { checkRunSize, createSimulation } from '../sim/index.ts';
import { createRunner, messageChannelYield } from './runner.ts';

expose(
  createRunner({
    createSimulation,
    checkRunSize,
    now: () => performance.now(),
    yieldToEventLoop: messageChannelYield(),
  }),
);
