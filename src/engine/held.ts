/**
 * The breakpoints one engine holds, by key.
 *
 * A reserve holds a breakpoint for thousands of operations, long enough for a per-breakpoint
 * object to be promoted by the garbage collector, so the usual case (a small key, a task key
 * that is null or a non-negative int32) lives in typed-array columns and allocates nothing.
 * Anything else falls back to a Map of records. find() leaves the breakpoint in the `found…`
 * fields rather than returning an object.
 */
import { BP_TYPES } from './types.ts';
import type { BpKey, BpType, TaskKey } from './types.ts';

const DENSE_KEYS = 1 << 20;
const CPU_BOUND = -1;

interface HeldRecord {
  readonly task: TaskKey | null;
  readonly cpu: number;
  readonly type: BpType;
}

function isDenseKey(key: BpKey): boolean {
  return key >= 0 && key < DENSE_KEYS && Math.floor(key) === key;
}

function isDenseTask(task: TaskKey | null): boolean {
  return task === null || (task >= 0 && task <= 0x7fffffff && Math.floor(task) === task);
}

export class HeldTable {
  private present = new Uint8Array(0);
  private tasks = new Int32Array(0);
  private cpus = new Int32Array(0);
  private types = new Uint8Array(0);
  private readonly sparse = new Map<BpKey, HeldRecord>();
  size = 0;
  foundTask: TaskKey | null = null;
  foundCpu = 0;
  foundType: BpType = 'rw';

  has(key: BpKey): boolean {
    return isDenseKey(key) ? this.present[key] === 1 : this.sparse.has(key);
  }

  /** Looks the key up; on success the breakpoint is in foundTask, foundCpu and foundType. */
  find(key: BpKey): boolean {
    if (isDenseKey(key) && this.present[key] === 1) {
      const task = this.tasks[key]!;
      this.foundTask = task === CPU_BOUND ? null : task;
      this.foundCpu = this.cpus[key]!;
      this.foundType = BP_TYPES[this.types[key]!]!;
      return true;
    }
    const record = this.sparse.get(key);
    if (record === undefined) return false;
    this.foundTask = record.task;
    this.foundCpu = record.cpu;
    this.foundType = record.type;
    return true;
  }

  /** Holds (or re-holds, after a modify) the breakpoint under `key`. */
  set(key: BpKey, task: TaskKey | null, cpu: number, type: BpType): void {
    this.delete(key);
    this.size++;
    if (!isDenseKey(key) || !isDenseTask(task)) {
      this.sparse.set(key, { task, cpu, type });
      return;
    }
    if (key >= this.present.length) this.grow(key);
    this.present[key] = 1;
    this.tasks[key] = task ?? CPU_BOUND;
    this.cpus[key] = cpu;
    this.types[key] = BP_TYPES.indexOf(type);
  }

  delete(key: BpKey): void {
    if (isDenseKey(key) && this.present[key] === 1) {
      this.present[key] = 0;
      this.size--;
    } else if (this.sparse.delete(key)) {
      this.size--;
    }
  }

  private grow(key: BpKey): void {
    const length = Math.min(DENSE_KEYS, Math.max(1024, this.present.length * 2, key + 1));
    const grown = <T extends Uint8Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(length);
      next.set(old);
      return next;
    };
    this.present = grown(this.present, (n) => new Uint8Array(n));
    this.tasks = grown(this.tasks, (n) => new Int32Array(n));
    this.cpus = grown(this.cpus, (n) => new Int32Array(n));
    this.types = grown(this.types, (n) => new Uint8Array(n));
  }
}
