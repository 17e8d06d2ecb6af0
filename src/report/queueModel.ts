/**
 * The simple model beside `list`'s sweep: one server (nr_bp_mutex) whose service time grows with
 * C·L, and the benchmark's threads as its clients. Where the simulation and this model agree, the
 * global mutex and the list walk explain everything; where they part, the rest of the simulation
 * does (spinning that burns CPUs, the thread lifecycle, the order of wake-ups).
 *
 * The queue is closed: M/M/1//K, a single server with K clients (the machine-repairman model),
 * solved exactly by mean value analysis. Closed, because perf bench's creators wait for each
 * reservation before they issue the next, so arrivals slow down as the queue grows; an open M/D/1
 * or M/M/1 queue cannot say that (its queue grows without bound once arrivals exceed 1/s, which
 * is where `list` spends the whole run). MVA's answer is exact for exponential service; with a
 * saturated server (list's case) the throughput is 1/s whatever the distribution.
 *
 * Inputs, all from the scenario and the cost table (docs/model.md §1, §4):
 * - service time per operation: s = accountingCallNs + listNodeNs · 1.5 · C · L, since a reserve
 *   walks 2·C·L list nodes and a release C·L, and there are as many of each;
 * - L, breakpoints in the list: B · (1 + P + min(P, R) · T / 2): main, the workers, and the
 *   running batches' threads, half of them alive on average (a batch fills up, then drains);
 * - K = min(P, R) clients: the workers with a batch, each creating (reserves) and joining its
 *   threads' exits (releases);
 * - think time per operation Z: the thread's creation and exit work outside the accounting
 *   (threadCreateNs + threadExitNs + B · (perfAllocNs + perfInheritNs + perfExitNs)), over its
 *   2·B operations.
 * Predicted usecs/op = ops / X(K) / (R · T), as perf bench divides.
 */
import type { Scenario } from '../scenario/scenario.ts';
import { DEFAULT_COSTS } from '../scenario/costs.ts';

export interface QueuePrediction {
  /** perf bench's usecs/op under the model. */
  readonly usecsPerOp: number;
  /** Mean service time of one accounting operation, ns. */
  readonly serviceNs: number;
  /** Breakpoints in the list, on average. */
  readonly listLength: number;
  readonly clients: number;
  /** Server utilisation at K clients, 0..1. */
  readonly utilisation: number;
}

/** X(K) of a closed single-server queue with think time Z, by exact MVA; operations per ns. */
export function closedQueueThroughput(serviceNs: number, thinkNs: number, clients: number): number {
  let queue = 0;
  let throughput = 0;
  for (let n = 1; n <= clients; n++) {
    const response = serviceNs * (1 + queue);
    throughput = n / (response + thinkNs);
    queue = throughput * response;
  }
  return throughput;
}

/** The model's usecs/op for `list` on the thread workload; null for the mixed one or with -b 0. */
export function listQueuePrediction(scenario: Scenario): QueuePrediction | null {
  if (scenario.workload !== 'thread') return null;
  const { repeat: r, breakpoints: b, parallelism: p, threads: t } = scenario.thread;
  if (b === 0 || b > scenario.slots) return null;
  const costs = { ...DEFAULT_COSTS, ...scenario.costs };
  const busyWorkers = Math.min(p, r);
  const listLength = b * (1 + p + (busyWorkers * t) / 2);
  const serviceNs = costs.accountingCallNs + costs.listNodeNs * 1.5 * scenario.cpus * listLength;
  const thinkNs =
    (costs.threadCreateNs +
      costs.threadExitNs +
      b * (costs.perfAllocNs + costs.perfInheritNs + costs.perfExitNs)) /
    (2 * b);
  const throughput = closedQueueThroughput(serviceNs, thinkNs, busyWorkers);
  const ops = 2 * b * (p + r * t);
  const totalNs = ops / throughput;
  return {
    usecsPerOp: totalNs / 1e3 / (r * t),
    serviceNs,
    listLength,
    clients: busyWorkers,
    utilisation: Math.min(1, throughput * serviceNs),
  };
}
