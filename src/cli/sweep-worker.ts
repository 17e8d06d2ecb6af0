/**
 * One of `sim sweep`'s worker threads: runs the points it is sent, one at a time, and posts each
 * result back. The pool and the protocol are in ./sweep.ts; the run is `sim bench`'s runDesign,
 * so a point's numbers are bench's (and the page's) to the bit.
 */
import { parentPort } from 'node:worker_threads';
import { runDesign } from './bench.ts';
import type { PointReply, PointRequest } from './sweep.ts';

const port = parentPort;
if (port === null) throw new Error('sweep-worker.ts runs as a worker thread of sim sweep');
port.on('message', (request: PointRequest) => {
  let reply: PointReply;
  try {
    const { result } = runDesign(request.scenario, request.design, request.budget);
    reply = { id: request.id, result, error: null };
  } catch (error) {
    reply = {
      id: request.id,
      result: null,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  port.postMessage(reply);
});
