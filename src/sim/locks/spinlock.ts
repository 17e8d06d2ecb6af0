import type { SimThread } from '../kernel.ts';
import { profileIndex, type ProfileSymbol } from '../types.ts';
import { SpinningLock, type LockMode } from './lock.ts';

/**
 * A queued spinlock (or the write side of one): FIFO, waiters spin with preemption off and never
 * sleep. Used for the thread group's lifecycle serialization (tasklist_lock and friends).
 */
export class SimSpinlock extends SpinningLock {
  private owner: SimThread | null = null;
  /** The spin's profile symbol, as profileIndex(). */
  private readonly spinSymIndex: number;

  constructor(
    name: string,
    accounting: boolean,
    spinSym: ProfileSymbol = 'queued_spin_lock_slowpath',
  ) {
    super(name, accounting);
    this.spinSymIndex = profileIndex(spinSym);
  }

  acquire(t: SimThread, _mode: LockMode): boolean {
    if (this.owner === null) {
      this.owner = t;
      return true;
    }
    this.spin(t, this.spinSymIndex);
    return false;
  }

  release(_t: SimThread, _mode: LockMode): void {
    const next = this.waiting.shift();
    this.owner = next ?? null;
    if (next !== undefined) {
      this.recountWaiters();
      this.kernel.grant(next, this, this.kernel.costs.lockHandoffNs);
    }
  }
}
