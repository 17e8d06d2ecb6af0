/**
 * A map from integer keys to values, for the engine's per-breakpoint and per-task records.
 * Callers choose small non-negative keys (breakpoint and task numbers), so those live in a plain
 * array (one indexed load, no hashing); any other key falls back to a Map. The array grows to
 * the largest small key seen and never shrinks: at most DENSE_LIMIT slots.
 */
const DENSE_LIMIT = 1 << 20;

export class IntKeyMap<V> {
  private readonly dense: (V | undefined)[] = [];
  private readonly sparse = new Map<number, V>();
  size = 0;

  private static isDense(key: number): boolean {
    return key >= 0 && key < DENSE_LIMIT && Math.floor(key) === key;
  }

  get(key: number): V | undefined {
    return IntKeyMap.isDense(key) ? this.dense[key] : this.sparse.get(key);
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  set(key: number, value: V): void {
    if (!IntKeyMap.isDense(key)) {
      if (!this.sparse.has(key)) this.size++;
      this.sparse.set(key, value);
      return;
    }
    // Grow by pushing, so the array keeps V8's fast (non-dictionary) elements.
    while (this.dense.length <= key) this.dense.push(undefined);
    if (this.dense[key] === undefined) this.size++;
    this.dense[key] = value;
  }

  delete(key: number): void {
    if (!IntKeyMap.isDense(key)) {
      if (this.sparse.delete(key)) this.size--;
    } else if (this.dense[key] !== undefined) {
      this.dense[key] = undefined;
      this.size--;
    }
  }
}
