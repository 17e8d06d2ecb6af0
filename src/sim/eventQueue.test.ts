import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './eventQueue.ts';

/** Pops everything left, as [time, subject] pairs. */
function drain(queue: EventQueue, out: [number, unknown][]): void {
  while (queue.size > 0) {
    const at = queue.peekTime();
    queue.pop();
    out.push([at, queue.subject]);
  }
}

describe('EventQueue', () => {
  it('pops by time, and events at one instant in the order they were pushed', () => {
    // Few distinct times, so ties are common; pops interleaved with pushes, so events go both
    // to the front register (earlier than all queued) and to the heap.
    const step = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 12 }) }),
      fc.constant({ pop: true as const }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const queue = new EventQueue();
        // The model: pending [time, sequence] pairs; the earliest (time, then sequence) pops.
        const model: [number, number][] = [];
        let now = 0;
        let seq = 0;
        const got: [number, unknown][] = [];
        const want: [number, unknown][] = [];
        const popModel = (): void => {
          model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const [at, s] = model.shift() as [number, number];
          want.push([at, s]);
        };
        for (const s of steps) {
          if ('push' in s) {
            // Times never run backwards from the last pop, as in the kernel.
            queue.push(now + s.push, 0, seq, null);
            model.push([now + s.push, seq++]);
          } else if (queue.size > 0) {
            now = queue.peekTime();
            queue.pop();
            got.push([now, queue.subject]);
            popModel();
          }
        }
        drain(queue, got);
        while (model.length > 0) popModel();
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps an event pushed earlier than the register in front, and the register after it', () => {
    const queue = new EventQueue();
    queue.push(10, 0, 'a', null); // the register (queue empty)
    queue.push(5, 0, 'b', null); // earlier: 'a' moves to the heap
    queue.push(5, 0, 'c', null); // a tie with the register: after it
    queue.push(20, 0, 'd', null);
    const out: [number, unknown][] = [];
    drain(queue, out);
    expect(out).toEqual([
      [5, 'b'],
      [5, 'c'],
      [10, 'a'],
      [20, 'd'],
    ]);
  });

  it('clear() drops the register with the heap', () => {
    const queue = new EventQueue();
    queue.push(1, 0, 'a', null);
    queue.push(2, 0, 'b', null);
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.peekTime()).toBe(Infinity);
  });
});
