import type { SimThread } from '../kernel.ts';
import { SimLock, type LockMode, type LockOptions } from './lock.ts';
import { profileIndex } from '../types.ts';

const SYM_OSQ = profileIndex('osq_lock');

/**
 * The kernel's rw_semaphore (kernel/locking/rwsem.c), as `mm->mmap_lock` uses it
 * (thread-lifecycle.md sections 1, 3, 6, 8):
 * - readers share it; a writer excludes everyone;
 * - queued waiters block new readers: with waiters queued (RWSEM_FLAG_WAITERS) a reader takes
 *   the slow path and queues if readers hold the lock (rwsem_down_read_slowpath() does not
 *   steal from a reader-owned lock) or a writer does; it steals a free lock. Readers never
 *   spin (reader optimistic spinning is gone since 5.12);
 * - a writer takes a free lock even with waiters queued (no HANDOFF until a waiter has waited
 *   4 ms, which this workload does not reach); one that finds a running writer in the lock spins
 *   (rwsem_optimistic_spin -> osq_lock) until the lock is passed to it or need_resched() is set
 *   on its CPU; otherwise it sleeps on the FIFO wait list;
 * - release passes a free lock to the first spinning writer; else it wakes the waiters at the
 *   head (rwsem_mark_wake): every reader there gets the lock at once (granted when it runs); a
 *   writer is only woken, retries when it runs, and sleeps again at the head if it lost;
 * - downgrade (mmap_write_downgrade) turns the writer into a reader and wakes the readers
 *   queued at the head; spinning writers see a reader-owned lock and go to sleep.
 * Left out: a writer's bounded spin on a reader-owned lock (docs/model.md says why).
 */
export class SimRwsem extends SimLock {
  private readers = 0;
  private writer: SimThread | null = null;
  private readonly osq: SimThread[] = [];
  private readonly waitList: SimThread[] = [];

  constructor(name: string, accounting = false, options: LockOptions = {}) {
    super(name, accounting, options);
  }

  /** Who holds it now (for tests). */
  get holders(): { readonly readers: number; readonly writer: SimThread | null } {
    return { readers: this.readers, writer: this.writer };
  }

  private canSpin(t: SimThread): boolean {
    const w = this.writer;
    return (
      w !== null &&
      w.onCpu &&
      w.waitMode === 'none' &&
      !this.kernel.cpus[t.cpu]!.queue.length &&
      !this.kernel.rcuForcesResched(t)
    );
  }

  acquire(t: SimThread, mode: LockMode): boolean {
    if (mode === 'read') {
      if (this.writer === null && (this.waitList.length === 0 || this.readers === 0)) {
        this.readers++;
        return true;
      }
    } else if (this.writer === null && this.readers === 0) {
      this.writer = t;
      return true;
    }
    t.waitLock = this;
    if (mode === 'write' && this.canSpin(t)) {
      t.waitMode = 'osq';
      this.osq.push(t);
      this.kernel.setWaitActivity(t, this.spinState, SYM_OSQ);
    } else {
      this.sleep(t);
    }
    this.recountWaiters();
    return false;
  }

  private sleep(t: SimThread): void {
    t.waitMode = 'sleep';
    this.waitList.push(t);
    this.kernel.block(t, true);
  }

  release(t: SimThread, mode: LockMode): void {
    if (mode === 'read') {
      if (this.readers <= 0) throw new Error(`${this.name}: read-released while not read-held`);
      this.readers--;
    } else {
      if (this.writer !== t) throw new Error(`${this.name}: write-released by a non-owner`);
      this.writer = null;
    }
    this.handOn(t);
    this.recountWaiters();
  }

  override downgrade(t: SimThread): void {
    if (this.writer !== t) throw new Error(`${this.name}: downgraded by a non-owner`);
    this.writer = null;
    this.readers = 1;
    // Spinning writers now face a reader-owned lock: they stop spinning and sleep (in place of
    // osq.splice(0), which made an array at every downgrade, mostly an empty one).
    const osq = this.osq;
    for (let i = 0; i < osq.length; i++) this.sleep(osq[i] as SimThread);
    osq.length = 0;
    this.wakeReaders(t);
    this.recountWaiters();
  }

  private handOn(waker: SimThread): void {
    const k = this.kernel;
    if (this.writer !== null) return;
    if (this.readers === 0) {
      const spinner = this.osq.shift();
      if (spinner !== undefined) {
        this.writer = spinner;
        k.grant(spinner, this, k.costs.lockHandoffNs);
        return;
      }
      const first = this.waitList[0];
      if (first !== undefined && first.requestMode === 'write') {
        if (first.waitMode === 'sleep') {
          first.waitMode = 'woken';
          k.wake(first, waker);
        }
        return;
      }
    }
    if (this.osq.length === 0) this.wakeReaders(waker);
  }

  /** rwsem_mark_wake(): every reader at the head of the queue gets the lock. */
  private wakeReaders(waker: SimThread): void {
    while (this.waitList.length > 0 && this.waitList[0]!.requestMode === 'read') {
      const r = this.waitList.shift() as SimThread;
      this.readers++;
      this.wakeOwner(r, waker);
    }
  }

  /**
   * A woken waiter that already owns the lock (granted when it gets its CPU): marked on the thread
   * (SimThread.handedBy) rather than in a Set, whose table each batch of readers grew and shrank.
   */
  private wakeOwner(t: SimThread, waker: SimThread): void {
    t.handedBy = this;
    t.waitMode = 'woken';
    this.kernel.wake(t, waker);
  }

  override wokenRuns(t: SimThread): boolean {
    if (t.handedBy === this) {
      t.handedBy = null;
      this.kernel.grant(t, this, 0);
      return true;
    }
    // A woken writer retries; if it lost the lock meanwhile it sleeps again at the head.
    if (this.writer === null && this.readers === 0) {
      this.waitList.splice(this.waitList.indexOf(t), 1);
      this.writer = t;
      this.kernel.grant(t, this, 0);
    } else {
      t.waitMode = 'sleep';
      this.kernel.block(t, true);
    }
    this.recountWaiters();
    return true;
  }

  override kick(t: SimThread): boolean {
    if (t.waitMode !== 'osq') return false;
    this.osq.splice(this.osq.indexOf(t), 1);
    this.sleep(t);
    this.recountWaiters();
    return true;
  }

  protected spinningWaiters(): number {
    return this.osq.length;
  }

  protected sleepingWaiters(): number {
    return this.waitList.length;
  }
}
