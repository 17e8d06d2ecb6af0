/**
 * The discrete-event queue: a binary min-heap ordered by (time, insertion sequence), so events at
 * the same simulated instant run in the order they were scheduled. That tie-break is what makes
 * runs bit-identical across hosts.
 *
 * An event is a small record (kind, subject, argument), not a closure: the kernel schedules
 * hundreds of thousands per simulated second, and a closure each was most of the run's garbage.
 * The heap holds (time, sequence, slot) in typed arrays; the record lives in a slot of a pool
 * that pop() frees, so a long run reuses the same few slots.
 *
 * An event earlier than every queued one (a third of a run's events: a thread's next step that
 * ends before anything else happens) waits in a front register instead of the heap, and the next
 * pop() takes it without sifting. The order is the heap's order exactly: the register's event
 * always precedes every heap entry by (time, sequence).
 */
export type SimNanos = number;

export class EventQueue {
  private times = new Float64Array(256);
  private seqs = new Float64Array(256);
  private heapSlots = new Int32Array(256);
  private n = 0;
  private nextSeq = 0;
  // The record pool.
  private kinds = new Int32Array(256);
  private subjects: unknown[] = [];
  private args: unknown[] = [];
  private free = new Int32Array(256);
  private freeCount = 0;
  // The front register: an event that precedes every heap entry, when hasFront.
  private hasFront = false;
  private frontTime = 0;
  private frontSeq = 0;
  private frontKind = 0;
  private frontSubject: unknown = null;
  private frontArg: unknown = null;
  /** The record of the event pop() returned last. */
  kind = 0;
  subject: unknown = null;
  arg: unknown = null;

  get size(): number {
    return this.hasFront ? this.n + 1 : this.n;
  }

  /**
   * Drops every pending event and what it refers to: a finished run's stale timers (a spinner's
   * RCU limit) would otherwise keep its dead threads reachable.
   */
  clear(): void {
    this.n = 0;
    this.freeCount = 0;
    this.hasFront = false;
    this.frontSubject = null;
    this.frontArg = null;
    this.subjects = [];
    this.args = [];
    this.subject = null;
    this.arg = null;
  }

  peekTime(): SimNanos {
    if (this.hasFront) return this.frontTime;
    return this.n > 0 ? (this.times[0] as number) : Infinity;
  }

  private growHeap(): void {
    const grow = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(old.length * 2);
      next.set(old);
      return next;
    };
    this.times = grow(this.times, (n) => new Float64Array(n));
    this.seqs = grow(this.seqs, (n) => new Float64Array(n));
    this.heapSlots = grow(this.heapSlots, (n) => new Int32Array(n));
    this.free = grow(this.free, (n) => new Int32Array(n));
    const kinds = new Int32Array(this.kinds.length * 2);
    kinds.set(this.kinds);
    this.kinds = kinds;
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount] as number;
    const slot = this.subjects.length;
    if (slot >= this.kinds.length) this.growHeap();
    this.subjects.push(null);
    this.args.push(null);
    return slot;
  }

  push(atNs: SimNanos, kind: number, subject: unknown, arg: unknown): void {
    const seq = this.nextSeq++;
    if (this.hasFront) {
      // Not before the register's event (a tie goes after it: a later sequence): to the heap.
      if (atNs >= this.frontTime) {
        this.heapPush(atNs, seq, kind, subject, arg);
        return;
      }
      // Before it: the register's event moves to the heap, keeping its sequence.
      this.heapPush(
        this.frontTime,
        this.frontSeq,
        this.frontKind,
        this.frontSubject,
        this.frontArg,
      );
    } else if (this.n > 0 && atNs >= (this.times[0] as number)) {
      this.heapPush(atNs, seq, kind, subject, arg);
      return;
    }
    this.hasFront = true;
    this.frontTime = atNs;
    this.frontSeq = seq;
    this.frontKind = kind;
    this.frontSubject = subject;
    this.frontArg = arg;
  }

  private heapPush(
    atNs: SimNanos,
    seq: number,
    kind: number,
    subject: unknown,
    arg: unknown,
  ): void {
    if (this.n >= this.times.length) this.growHeap();
    const slot = this.allocSlot();
    this.kinds[slot] = kind;
    this.subjects[slot] = subject;
    this.args[slot] = arg;
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.heapSlots;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (pt < atNs || (pt === atNs && (seqs[parent] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      slots[i] = slots[parent] as number;
      i = parent;
    }
    times[i] = atNs;
    seqs[i] = seq;
    slots[i] = slot;
  }

  /** Removes the earliest event into kind, subject and arg; the caller reads the time first. */
  pop(): void {
    if (this.hasFront) {
      this.hasFront = false;
      this.kind = this.frontKind;
      this.subject = this.frontSubject;
      this.arg = this.frontArg;
      this.frontSubject = null;
      this.frontArg = null;
      return;
    }
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.heapSlots;
    const top = slots[0] as number;
    const n = --this.n;
    if (n > 0) {
      const lastTime = times[n] as number;
      const lastSeq = seqs[n] as number;
      const lastSlot = slots[n] as number;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n) {
          const lt = times[l] as number;
          const rt = times[r] as number;
          if (rt < lt || (rt === lt && (seqs[r] as number) < (seqs[l] as number))) c = r;
        }
        const ct = times[c] as number;
        if (ct > lastTime || (ct === lastTime && (seqs[c] as number) > lastSeq)) break;
        times[i] = ct;
        seqs[i] = seqs[c] as number;
        slots[i] = slots[c] as number;
        i = c;
      }
      times[i] = lastTime;
      seqs[i] = lastSeq;
      slots[i] = lastSlot;
    }
    this.kind = this.kinds[top] as number;
    this.subject = this.subjects[top];
    this.arg = this.args[top];
    this.subjects[top] = null;
    this.args[top] = null;
    this.free[this.freeCount++] = top;
  }
}
