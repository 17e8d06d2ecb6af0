/**
 * The base of the simulated kernel locks (kernel-model.md section 7): what the scheduler calls on
 * any lock, and the one way a lock reports its waiters.
 *
 * A lock is attached to one Kernel. acquire() either grants at once or parks the thread (spinning
 * or asleep) and later calls Kernel.grant(). The scheduler calls two hooks: kick() when
 * need_resched() is set on a spinner's CPU, and wokenRuns() when a thread woken by the lock gets
 * its CPU back.
 */
import { CpuState, type CpuStateIndex } from '../cpuStates.ts';
import type { Kernel, SimThread } from '../kernel.ts';
import type { LockRecord } from '../recorder.ts';

export type LockMode = 'read' | 'write';

export interface LockOptions {
  /** What a CPU shows while its thread sleeps on this lock (default: lockSleep for accounting locks, else idle). */
  readonly sleepState?: CpuStateIndex;
}

// Fields are `declare`d and set in the constructor, in one order: a run creates a lock per task
// (perf_event_mutex), and class-field definitions cost several times more than stores.
export abstract class SimLock {
  declare readonly name: string;
  /** Accounting locks count towards the waiter columns; others do not. */
  declare readonly accounting: boolean;
  /** The CPU state of a CPU left idle by a thread sleeping on this lock. */
  declare readonly sleepState: CpuStateIndex;
  /** The CPU state of a spinner: accounting and thread-lifecycle spinning are distinct states. */
  declare protected readonly spinState: CpuStateIndex;
  declare protected kernel: Kernel;
  /**
   * The recorder's record of this instance (its class statistics, its open log entries): kept on
   * the lock so it goes with it, and found without a lookup.
   */
  declare recorded: LockRecord | null;
  /** Which instance of its class ("task 17", "shard 3"), "" for a single global lock. */
  declare instance: string;
  /** The timeline recorder's record of this instance (./timeline.ts), like `recorded`. */
  declare timelineRecord: unknown;
  // The waiters last reported to the kernel, so a recount reports only the change.
  declare private reportedSpinning: number;
  declare private reportedSleeping: number;

  constructor(name: string, accounting: boolean, options?: LockOptions) {
    this.name = name;
    this.accounting = accounting;
    this.sleepState = options?.sleepState ?? (accounting ? CpuState.lockSleep : CpuState.idle);
    this.spinState = accounting ? CpuState.otherSpin : CpuState.lockSpin;
    this.kernel = null as unknown as Kernel;
    this.recorded = null;
    this.instance = '';
    this.timelineRecord = null;
    this.reportedSpinning = 0;
    this.reportedSleeping = 0;
  }

  /** mmap_write_downgrade() and kin: only the rw-semaphore has it. */
  downgrade(_t: SimThread): void {
    throw new Error(`${this.name}: cannot downgrade`);
  }

  attach(kernel: Kernel): void {
    this.kernel = kernel;
  }

  /** Returns true when granted at once; otherwise the kernel resumes the thread on grant. */
  abstract acquire(t: SimThread, mode: LockMode): boolean;
  abstract release(t: SimThread, mode: LockMode): void;

  /** need_resched() on a spinner's CPU: returns true if the spinner left the CPU. */
  kick(_t: SimThread): boolean {
    return false;
  }

  /**
   * A thread this lock woke (waitMode 'woken') got its CPU back. Returns true if the lock took
   * over (it retries, spins or sleeps again); false lets the thread's program continue.
   */
  wokenRuns(_t: SimThread): boolean {
    return false;
  }

  /** Threads waiting on this lock now, spinning and sleeping. */
  protected abstract spinningWaiters(): number;
  protected abstract sleepingWaiters(): number;

  /**
   * Reports this lock's waiters to the kernel's waiter columns (accounting locks only). Called
   * after every change of the wait queues; a call with nothing changed still closes the
   * columns' interval at this instant.
   */
  protected recountWaiters(): void {
    if (!this.accounting) return;
    const spinning = this.spinningWaiters();
    const sleeping = this.sleepingWaiters();
    const hook = this.kernel.hooks.lockWaiters;
    if (
      hook !== undefined &&
      (spinning !== this.reportedSpinning || sleeping !== this.reportedSleeping)
    ) {
      hook(this, spinning, sleeping, this.kernel.nowNs);
    }
    this.kernel.noteWaiters(spinning - this.reportedSpinning, sleeping - this.reportedSleeping);
    this.reportedSpinning = spinning;
    this.reportedSleeping = sleeping;
  }
}

/**
 * A lock whose waiters spin in one FIFO queue with preemption off and never sleep (the queued
 * spinlock and rwlock: queued_spin_lock_slowpath() and kin).
 */
export abstract class SpinningLock extends SimLock {
  protected readonly waiting: SimThread[] = [];

  /** `t` joins the queue and spins, charged to `spinSymIndex` (profileIndex()). */
  protected spin(t: SimThread, spinSymIndex: number): void {
    t.waitLock = this;
    t.waitMode = 'spin';
    this.waiting.push(t);
    this.kernel.setWaitActivity(t, this.spinState, spinSymIndex);
    this.recountWaiters();
  }

  protected spinningWaiters(): number {
    return this.waiting.length;
  }

  protected sleepingWaiters(): number {
    return 0;
  }
}
