import type { SimThread } from '../kernel.ts';
import { SimLock, type LockMode } from './lock.ts';

/**
 * The percpu-rwsem (kernel-model.md 7.2). Readers take a per-CPU counter when no writer is about
 * (free, and never contended). A writer first waits an RCU grace period (rcu_sync_enter) unless
 * readers are already on the slow path, then sets `block` (readers arriving from then on sleep),
 * then sleeps until the reader count drains. Release wakes the waiters FIFO (readers up to the
 * next writer) and readers go back to the fast path one grace period after the last writer.
 */
export class SimPercpuRwsem extends SimLock {
  private readers = 0;
  private block = false;
  private writersPending = 0;
  /** idle: readers on the fast path; entering: a grace period runs; active: slow path. */
  private rcu: 'idle' | 'entering' | 'active' = 'idle';
  private rcuWaiters: SimThread[] = [];
  private drainWaiter: SimThread | null = null;
  private readonly waiting: SimThread[] = [];
  private exitEpoch = 0;

  acquire(t: SimThread, mode: LockMode): boolean {
    if (mode === 'read') {
      if (!this.block) {
        this.readers++;
        return true;
      }
      this.sleepOn(t, 'read');
      return false;
    }
    this.writersPending++;
    this.exitEpoch++;
    if (this.rcu === 'idle') {
      // rcu_sync_enter(): the first writer waits a grace period for readers to see the slow path.
      this.rcu = 'entering';
      this.rcuWaiters.push(t);
      this.kernel.at(this.kernel.costs.rcuGracePeriodNs, () => {
        this.rcu = 'active';
        for (const w of this.rcuWaiters.splice(0)) this.writerAfterSync(w);
      });
      this.park(t);
      return false;
    }
    if (this.rcu === 'entering') {
      this.rcuWaiters.push(t);
      this.park(t);
      return false;
    }
    if (!this.block) {
      this.block = true;
      if (this.readers === 0) return true;
      this.drainWaiter = t;
      this.park(t);
      return false;
    }
    this.sleepOn(t, 'write');
    return false;
  }

  private park(t: SimThread): void {
    t.waitLock = this;
    t.waitMode = 'sleep';
    this.recountWaiters();
    this.kernel.block(t, true);
  }

  private unpark(t: SimThread, waker: SimThread | null): void {
    this.recountWaiters();
    this.kernel.grant(t, this, 0);
    this.kernel.wake(t, waker);
  }

  private sleepOn(t: SimThread, mode: LockMode): void {
    t.requestMode = mode;
    this.waiting.push(t);
    this.park(t);
  }

  /** After the grace period: take `block`, or queue behind the writer that has it. */
  private writerAfterSync(t: SimThread): void {
    if (this.block) {
      t.requestMode = 'write';
      this.waiting.push(t);
    } else {
      this.block = true;
      if (this.readers === 0) {
        this.kernel.grant(t, this, 0);
        this.kernel.wake(t, null);
      } else {
        this.drainWaiter = t;
      }
    }
    this.recountWaiters();
  }

  protected spinningWaiters(): number {
    return 0;
  }

  /** Writers in the grace period or draining readers, and the queue behind `block`. */
  protected sleepingWaiters(): number {
    return this.rcuWaiters.length + this.waiting.length + (this.drainWaiter === null ? 0 : 1);
  }

  release(t: SimThread, mode: LockMode): void {
    if (mode === 'read') {
      this.readers--;
      if (this.readers === 0 && this.drainWaiter !== null) {
        const w = this.drainWaiter;
        this.drainWaiter = null;
        this.unpark(w, t);
      }
      return;
    }
    this.block = false;
    this.writersPending--;
    // Wake FIFO: readers up to the first writer; a writer at the head takes block at once.
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as SimThread;
      if (next.requestMode === 'write') {
        if (this.readers > 0) break;
        this.waiting.shift();
        this.block = true;
        this.unpark(next, t);
        break;
      }
      this.waiting.shift();
      this.readers++;
      this.unpark(next, t);
    }
    if (this.writersPending === 0) {
      // rcu_sync_exit(): readers return to the fast path a grace period later, unless a writer
      // comes back first.
      const epoch = ++this.exitEpoch;
      this.kernel.at(this.kernel.costs.rcuGracePeriodNs, () => {
        if (this.exitEpoch === epoch && this.writersPending === 0) this.rcu = 'idle';
      });
    }
  }
}
