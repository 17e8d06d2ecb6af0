import { CpuState } from '../cpuStates.ts';
import type { SimThread } from '../kernel.ts';
import { SimLock, type LockMode, type LockOptions } from './lock.ts';
import { profileIndex } from '../types.ts';

const SYM_OSQ = profileIndex('osq_lock');
const SYM_SPIN_ON_OWNER = profileIndex('mutex_spin_on_owner');

/**
 * The kernel's struct mutex with optimistic spinning (kernel-model.md 7.1):
 * - fast path when free (also stealing from sleepers: running spinners beat sleeping waiters);
 * - OSQ spinning while the owner runs and the spinner need not reschedule; the OSQ head spins on
 *   the owner (mutex_spin_on_owner), the rest on their node (osq_lock);
 * - otherwise sleep on the FIFO wait list; unlock wakes the first waiter, which on failing sets
 *   HANDOFF and spins as a waiter-spinner; the next unlock hands the lock to it directly
 *   (PICKUP). A hand-off to a waiter that is not running makes every OSQ spinner give up and
 *   sleep, because mutex_spin_on_owner() stops when the owner is off-CPU.
 */
export class SimMutex extends SimLock {
  declare owner: SimThread | null;
  declare private handoff: boolean;
  declare private readonly osq: SimThread[];
  declare private readonly waitList: SimThread[];

  constructor(name: string, accounting: boolean, options?: LockOptions) {
    super(name, accounting, options);
    this.owner = null;
    this.handoff = false;
    this.osq = [];
    this.waitList = [];
  }

  /**
   * Makes a mutex nobody holds, waits on or spins on as good as new, for another task's use
   * (DesignLocks pools per-task mutexes): false, and nothing changed, if it is in use.
   */
  recycle(): boolean {
    if (this.owner !== null || this.osq.length > 0 || this.waitList.length > 0) return false;
    // A waiter that took the lock unopposed after setting HANDOFF leaves the flag behind.
    this.handoff = false;
    this.timelineRecord = null;
    return true;
  }

  /** Accounting spinners show as ownerSpin; a non-accounting mutex's (child_mutex) as lockSpin. */
  private ownerSpinState(): number {
    return this.accounting ? CpuState.ownerSpin : this.spinState;
  }

  private ownerRunning(): boolean {
    const o = this.owner;
    return o !== null && o.onCpu && o.waitMode !== 'woken' && o.waitMode !== 'sleep';
  }

  /** mutex_can_spin_on_owner(): a running owner, and no need_resched() on our CPU. */
  private canSpin(t: SimThread): boolean {
    return (
      this.ownerRunning() &&
      !this.kernel.cpus[t.cpu]!.queue.length &&
      !this.kernel.rcuForcesResched(t)
    );
  }

  /**
   * The wait list's waiter-spinner, 0 or 1: only the first waiter spins (wokenRuns() sets it on
   * the first alone, and waiters are only ever appended), so the counts need no walk of a list
   * that holds some 200 sleepers in the seed's list run, recounted at every change.
   */
  private waiterSpinners(): number {
    return this.waitList[0]?.waitMode === 'waiterSpin' ? 1 : 0;
  }

  protected spinningWaiters(): number {
    return this.osq.length + this.waiterSpinners();
  }

  protected sleepingWaiters(): number {
    return this.waitList.length - this.waiterSpinners();
  }

  private setSpinActivity(): void {
    const osq = this.osq;
    for (let i = 0; i < osq.length; i++) {
      const s = osq[i] as SimThread;
      if (i === 0) this.kernel.setWaitActivity(s, this.ownerSpinState(), SYM_SPIN_ON_OWNER);
      else
        this.kernel.setWaitActivity(
          s,
          this.accounting ? CpuState.osqSpin : this.spinState,
          SYM_OSQ,
        );
    }
  }

  acquire(t: SimThread, _mode: LockMode): boolean {
    if (this.owner === null) {
      this.owner = t;
      return true;
    }
    t.waitLock = this;
    if (this.canSpin(t)) {
      t.waitMode = 'osq';
      this.osq.push(t);
      this.setSpinActivity();
      this.armSpinLimit(t);
    } else {
      this.sleep(t, true);
    }
    this.recountWaiters();
    return false;
  }

  private sleep(t: SimThread, append: boolean): void {
    t.waitMode = 'sleep';
    if (append) this.waitList.push(t);
    this.kernel.block(t, true);
  }

  release(t: SimThread, _mode: LockMode): void {
    if (this.owner !== t)
      throw new Error(`${this.name}: released by a thread that does not own it`);
    this.owner = null;
    const k = this.kernel;
    const first = this.waitList[0];
    if (this.handoff && first !== undefined) {
      // __mutex_handoff(): the first waiter owns the lock (PICKUP) and nobody may overtake it.
      this.handoff = false;
      this.waitList.shift();
      this.owner = first;
      if (first.waitMode === 'waiterSpin') {
        k.grant(first, this, k.costs.lockHandoffNs);
      } else {
        if (first.waitMode === 'sleep') {
          first.waitMode = 'woken';
          k.wake(first, t);
        }
        // The owner is now off-CPU: every OSQ spinner stops spinning and sleeps.
        for (const s of this.osq.splice(0)) this.sleep(s, true);
      }
      this.recountWaiters();
      return;
    }
    const head = this.osq.shift();
    if (head !== undefined) {
      this.owner = head;
      k.grant(head, this, k.costs.lockHandoffNs);
      this.setSpinActivity();
    } else if (first !== undefined && first.waitMode === 'waiterSpin') {
      this.waitList.shift();
      this.owner = first;
      k.grant(first, this, k.costs.lockHandoffNs);
    }
    // Unlock slow path: wake the first waiter if it sleeps.
    const sleeper = this.waitList[0];
    if (sleeper !== undefined && sleeper.waitMode === 'sleep') {
      sleeper.waitMode = 'woken';
      k.wake(sleeper, t);
    }
    this.recountWaiters();
  }

  /**
   * A woken waiter got its CPU back: trylock, or set HANDOFF and spin as a waiter-spinner, or
   * sleep again (the loop of __mutex_lock_common() after schedule_preempt_disabled()).
   */
  override wokenRuns(t: SimThread): boolean {
    const k = this.kernel;
    if (this.owner === t) {
      k.grant(t, this, 0);
    } else if (this.owner === null) {
      this.waitList.splice(this.waitList.indexOf(t), 1);
      this.owner = t;
      k.grant(t, this, 0);
    } else {
      const isFirst = this.waitList[0] === t;
      if (isFirst) this.handoff = true;
      if (isFirst && this.canSpin(t)) {
        t.waitMode = 'waiterSpin';
        k.setWaitActivity(t, this.ownerSpinState(), SYM_SPIN_ON_OWNER);
        this.armSpinLimit(t);
      } else {
        this.sleep(t, false);
      }
    }
    this.recountWaiters();
    return true;
  }

  /**
   * A spinner runs with preemption disabled, so its CPU reports no RCU quiescent state. Once a
   * grace period has waited jiffies_till_sched_qs for it (counted from its last quiescent state,
   * which may lie before earlier critical sections), RCU sets need_resched() on that CPU
   * (rcu_urgent_qs at the next tick) and the spinner gives up and sleeps.
   */
  private armSpinLimit(t: SimThread): void {
    const episode = ++t.spinEpisode;
    const k = this.kernel;
    // The timer holds the thread through a handle that its exit clears (SimThread.spinTimer); an
    // earlier timer of this thread is stale from now on, so it lets go too.
    if (t.spinTimer !== null) t.spinTimer.thread = null;
    const timer: { thread: SimThread | null } = { thread: t };
    t.spinTimer = timer;
    k.at(Math.max(0, t.quiescentAtNs + k.rcuForcedReschedNs() - k.nowNs), () => {
      // A stale limit (the spinner got the lock, slept or exited already) changes nothing.
      const s = timer.thread;
      return s !== null && s.spinEpisode === episode && s.waitLock === this && this.kick(s);
    });
  }

  override kick(t: SimThread): boolean {
    t.spinEpisode++;
    if (t.waitMode === 'osq') {
      this.osq.splice(this.osq.indexOf(t), 1);
      this.setSpinActivity();
      this.sleep(t, true);
    } else if (t.waitMode === 'waiterSpin') {
      this.sleep(t, false);
    } else {
      return false;
    }
    this.recountWaiters();
    return true;
  }
}
