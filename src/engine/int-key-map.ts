/**
 * A map from integer keys to values, for the engine's per-breakpoint and per-task records.
 * Callers choose small non-negative keys (breakpoint and task numbers), so those live in pages of
 * a plain array (two indexed loads, no hashing); any other key falls back to a Map. A page whose
 * keys are all deleted is freed: keys that only grow (a simulation's task numbers) cost memory
 * for the live ones, not for every one ever used.
 */
const PAGE_BITS = 10;
const PAGE_SIZE = 1 << PAGE_BITS;
const DENSE_LIMIT = 1 << 30;

interface Page<V> {
  readonly values: (V | undefined)[];
  used: number;
}

export class IntKeyMap<V> {
  private readonly pages: (Page<V> | undefined)[] = [];
  private readonly sparse = new Map<number, V>();
  size = 0;

  private static isDense(key: number): boolean {
    return key >= 0 && key < DENSE_LIMIT && Math.floor(key) === key;
  }

  get(key: number): V | undefined {
    if (!IntKeyMap.isDense(key)) return this.sparse.get(key);
    const page = this.pages[key >> PAGE_BITS];
    return page === undefined ? undefined : page.values[key & (PAGE_SIZE - 1)];
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
    const p = key >> PAGE_BITS;
    // Grow by pushing, so the arrays keep V8's fast (non-dictionary) elements.
    while (this.pages.length <= p) this.pages.push(undefined);
    let page = this.pages[p];
    if (page === undefined) {
      const values: (V | undefined)[] = [];
      for (let i = 0; i < PAGE_SIZE; i++) values.push(undefined);
      page = { values, used: 0 };
      this.pages[p] = page;
    }
    const i = key & (PAGE_SIZE - 1);
    if (page.values[i] === undefined) {
      this.size++;
      page.used++;
    }
    page.values[i] = value;
  }

  delete(key: number): void {
    if (!IntKeyMap.isDense(key)) {
      if (this.sparse.delete(key)) this.size--;
      return;
    }
    const p = key >> PAGE_BITS;
    const page = this.pages[p];
    if (page === undefined) return;
    const i = key & (PAGE_SIZE - 1);
    if (page.values[i] === undefined) return;
    page.values[i] = undefined;
    this.size--;
    if (--page.used === 0) this.pages[p] = undefined;
  }
}
