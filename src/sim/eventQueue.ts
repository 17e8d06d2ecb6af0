/**
 * The discrete-event queue: a binary min-heap ordered by (time, insertion sequence), so events at
 * the same simulated instant run in the order they were scheduled. That tie-break is what makes
 * runs bit-identical across hosts.
 */
export type SimNanos = number;

export class EventQueue {
  private times: number[] = [];
  private seqs: number[] = [];
  private actions: (() => void)[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.times.length;
  }

  peekTime(): SimNanos {
    return this.times.length > 0 ? (this.times[0] as number) : Infinity;
  }

  push(atNs: SimNanos, action: () => void): void {
    const times = this.times;
    const seqs = this.seqs;
    const actions = this.actions;
    const seq = this.nextSeq++;
    let i = times.length;
    times.push(atNs);
    seqs.push(seq);
    actions.push(action);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (pt < atNs || (pt === atNs && (seqs[parent] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      actions[i] = actions[parent] as () => void;
      i = parent;
    }
    times[i] = atNs;
    seqs[i] = seq;
    actions[i] = action;
  }

  /** Removes the earliest event and returns its action; the caller reads the time first. */
  pop(): () => void {
    const times = this.times;
    const seqs = this.seqs;
    const actions = this.actions;
    const top = actions[0] as () => void;
    const lastTime = times.pop() as number;
    const lastSeq = seqs.pop() as number;
    const lastAction = actions.pop() as () => void;
    const n = times.length;
    if (n > 0) {
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
        actions[i] = actions[c] as () => void;
        i = c;
      }
      times[i] = lastTime;
      seqs[i] = lastSeq;
      actions[i] = lastAction;
    }
    return top;
  }
}
