import type { SimThread } from '../kernel.ts';
import type { ProfileSymbol } from '../types.ts';
import { SpinningLock, type LockMode } from './lock.ts';

/**
 * A queued spinlock (or the write side of one): FIFO, waiters spin with preemption off and never
 * sleep. Used for the thread group's lifecycle serialization (tasklist_lock and friends).
 */
export class SimSpinlock extends SpinningLock {
  private owner: SimThread | null = null;
  private readonly spinSym: ProfileSymbol;

  constructor(
    name: string,
    accounting: boolean,
    spinSym: ProfileSymbol = 'queued_spin_lock_slowpath',
  ) {
    super(name, accounting);
    this.spinSym = spinSym;
  }

  acquire(t: SimThread, _mode: LockMode): boolean {
    if (this.owner === null) {
      this.owner = t;
      return true;
    }
    this.spin(t, this.spinSym);
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
