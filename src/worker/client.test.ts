/**
 * The page's side of the workers, end to end through Comlink: "workers" here are MessagePorts
 * whose other end exposes a real runner (over a scripted simulation), so what the client sends,
 * to which worker, is what a browser's workers would get.
 */
import { expose, releaseProxy, type Remote } from 'comlink';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO } from '../scenario/scenario.ts';
import { createSimClient, defaultWorkerCount, prestartWorkers } from './client.ts';
import type { ColumnId, RunMessage, RunRequest } from './protocol.ts';
import { createRunner } from './runner.ts';
import { scriptedSimulation } from './testSimulation.ts';

interface FakeWorker {
  /** The requests this worker received, in order. */
  readonly runs: RunRequest[];
  terminated: boolean;
}

/** A createWorker for the client: each call is a new "worker" with its own runner. */
function fakeWorkers(totalEvents = 20_000) {
  const spawned: FakeWorker[] = [];
  const createWorker = (): Worker => {
    const { port1, port2 } = new MessageChannel();
    const record: FakeWorker = { runs: [], terminated: false };
    const runner = createRunner({
      createSimulation: () => scriptedSimulation(totalEvents),
      checkRunSize: () => null,
      now: () => performance.now(),
      yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
      releaseCallback: (callback) => (callback as unknown as Remote<unknown>)[releaseProxy](),
    });
    expose(
      {
        run: (request: RunRequest, onMessage: (message: RunMessage) => unknown) => {
          record.runs.push(request);
          return runner.run(request, onMessage);
        },
        cancel: () => runner.cancel(),
      },
      port2,
    );
    spawned.push(record);
    return Object.assign(port1, {
      terminate() {
        record.terminated = true;
        port1.close();
        port2.close();
      },
    }) as unknown as Worker;
  };
  return { spawned, createWorker };
}

/** Starts A (list) and B (final); resolves with each column's done message. */
function runBoth(client: ReturnType<typeof createSimClient>): Promise<Map<ColumnId, RunMessage>> {
  return new Promise((resolve) => {
    const done = new Map<ColumnId, RunMessage>();
    client.start(
      DEFAULT_SCENARIO,
      [
        { column: 'A', design: 'list' },
        { column: 'B', design: 'final' },
      ],
      (column, message) => {
        if (message.kind !== 'done') return;
        done.set(column, message);
        if (done.size === 2) resolve(done);
      },
    );
  });
}

describe('the workers a page uses', () => {
  it('is one worker on two cores or fewer, one per column above', () => {
    expect(defaultWorkerCount(1)).toBe(1);
    expect(defaultWorkerCount(2)).toBe(1);
    expect(defaultWorkerCount(3)).toBe(2);
    expect(defaultWorkerCount(16)).toBe(2);
  });

  it('with one worker, sends both columns to it, each in its own lane', async () => {
    const { spawned, createWorker } = fakeWorkers();
    const client = createSimClient(createWorker, 1);
    const done = await runBoth(client);
    expect([...done.keys()].sort()).toEqual(['A', 'B']);
    expect(spawned).toHaveLength(1);
    expect(spawned[0]?.runs.map((r) => [r.lane, r.design])).toEqual([
      ['A', 'list'],
      ['B', 'final'],
    ]);
    client.dispose();
    expect(spawned[0]?.terminated).toBe(true);
  });

  it('with two workers, gives each column its own, and reuses it for the next run', async () => {
    const { spawned, createWorker } = fakeWorkers();
    const client = createSimClient(createWorker, 2);
    await runBoth(client);
    await runBoth(client);
    expect(spawned.map((w) => w.runs.map((r) => r.lane))).toEqual([
      ['A', 'A'],
      ['B', 'B'],
    ]);
    client.dispose();
  });

  it('uses the workers started before the page rendered, and starts no others', async () => {
    const { spawned, createWorker } = fakeWorkers();
    const fromPrestarted = prestartWorkers(1, createWorker);
    // Started at once, before any run: the page's entry calls this before loading React.
    expect(spawned).toHaveLength(1);
    const client = createSimClient(fromPrestarted, 1);
    await runBoth(client);
    expect(spawned).toHaveLength(1);
    expect(spawned[0]?.runs).toHaveLength(2);
    client.dispose();
  });
});
