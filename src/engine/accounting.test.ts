import { describe, expect, it } from 'vitest';
import { countOnCpu, poolOf, TaskTable } from './accounting.ts';

describe('TaskTable', () => {
  it('gives a task whose breakpoints all went no record, and the next task a record of its own', () => {
    const table = new TaskTable(2);
    table.add(1, 0, 3);
    table.add(1, 1, -1);
    const first = table.get(1);
    table.remove(1, 0, 3);
    table.remove(1, 1, -1);
    expect(table.get(1)).toBeUndefined();
    expect(table.size).toBe(0);
    // Task 2 takes task 1's emptied record: it counts only its own breakpoint.
    table.add(2, 0, -1);
    const second = table.get(2);
    expect(second).toBe(first);
    expect(second?.entries).toBe(1);
    expect(countOnCpu(poolOf(second, 0), 3)).toBe(1);
    expect(countOnCpu(poolOf(second, 1), 0)).toBe(0);
    expect(poolOf(second, 0).pinnedTotal).toBe(0);
    // Task 1 is back with nothing of task 2's.
    table.add(1, 1, 5);
    expect(table.get(1)).not.toBe(second);
    expect([table.get(1)?.entries, countOnCpu(poolOf(table.get(1), 1), 5)]).toEqual([1, 1]);
    expect(countOnCpu(poolOf(table.get(1), 0), 5)).toBe(0);
  });
});
