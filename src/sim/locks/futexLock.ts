import type { SimThread } from '../kernel.ts';
import { SimLock, type LockMode, type LockOptions } from './lock.ts';

/**
 * glibc's low-level lock (lll_lock, nptl's `dl_stack_cache_lock`): a futex word, no spinning.
 * A caller that finds it taken sleeps in FUTEX_WAIT (__lll_lock_wait_private); unlock frees it
 * and wakes one waiter, which retries when it runs and may find it taken again by a thread
 * that came in meanwhile (no hand-off), in which case it sleeps again at the tail.
 */
export class SimFutexLock extends SimLock {
  private owner: SimThread | null = null;
  private readonly waitList: SimThread[] = [];

  constructor(name: string, options: LockOptions = {}) {
    super(name, false, options);
  }

  get held(): boolean {
    return this.owner !== null;
  }

  /** The thread holding it, or null. */
  get holder(): SimThread | null {
    return this.owner;
  }

  acquire(t: SimThread, _mode: LockMode): boolean {
    if (this.owner === null) {
      this.owner = t;
      return true;
    }
    t.waitLock = this;
    this.sleep(t);
    return false;
  }

  private sleep(t: SimThread): void {
    t.waitMode = 'sleep';
    this.waitList.push(t);
    this.kernel.block(t, true);
  }

  release(t: SimThread, _mode: LockMode): void {
    if (this.owner !== t) throw new Error(`${this.name}: released by a non-owner`);
    this.owner = null;
    const first = this.waitList.shift();
    if (first !== undefined) {
      first.waitMode = 'woken';
      this.kernel.wake(first, t);
    }
  }

  override wokenRuns(t: SimThread): boolean {
    if (this.owner === null) {
      this.owner = t;
      this.kernel.grant(t, this, 0);
    } else {
      this.sleep(t);
    }
    return true;
  }

  protected spinningWaiters(): number {
    return 0;
  }

  protected sleepingWaiters(): number {
    return this.waitList.length;
  }
}
