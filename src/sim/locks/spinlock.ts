import { CpuState } from '../cpuStates.ts';
import type { SimThread } from '../kernel.ts';
import type { ProfileSymbol } from '../types.ts';
import { SimLock, type LockMode } from './lock.ts';

/**
 * A queued spinlock (or the write side of one): FIFO, waiters spin with preemption off and never
 * sleep. Used for the thread group's lifecycle serialization (tasklist_lock and friends).
 */
export class SimSpinlock extends SimLock {
  private owner: SimThread | null = null;
  private readonly waiting: SimThread[] = [];
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
    t.waitLock = this;
    t.waitMode = 'spin';
    this.waiting.push(t);
    this.kernel.setWaitActivity(t, CpuState.otherSpin, this.spinSym);
    this.recountWaiters();
    return false;
  }

  protected spinningWaiters(): number {
    return this.waiting.length;
  }

  protected sleepingWaiters(): number {
    return 0;
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
