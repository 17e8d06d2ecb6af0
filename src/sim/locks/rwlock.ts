import type { SimThread } from '../kernel.ts';
import { SpinningLock, type LockMode } from './lock.ts';
import { profileIndex } from '../types.ts';

const SYM_READ_SPIN = profileIndex('queued_read_lock_slowpath');
const SYM_WRITE_SPIN = profileIndex('queued_write_lock_slowpath');

/**
 * v1's rwlock_t (a queued rwlock): readers share it, a writer excludes all. Waiters spin in FIFO
 * order. The cache-line cost of the reader's atomic add is charged as shared atomics by the
 * design's work counts, not here.
 */
export class SimRwlock extends SpinningLock {
  private readers = 0;
  private writer: SimThread | null = null;

  acquire(t: SimThread, mode: LockMode): boolean {
    const free = this.writer === null && this.waiting.length === 0;
    if (mode === 'read' ? free : free && this.readers === 0) {
      if (mode === 'read') this.readers++;
      else this.writer = t;
      return true;
    }
    this.spin(t, mode === 'read' ? SYM_READ_SPIN : SYM_WRITE_SPIN);
    return false;
  }

  release(_t: SimThread, mode: LockMode): void {
    if (mode === 'read') this.readers--;
    else this.writer = null;
    // Grant in FIFO order: a writer when nobody holds it, then any readers behind it.
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as SimThread;
      if (next.requestMode === 'write') {
        if (this.readers > 0 || this.writer !== null) break;
        this.writer = next;
      } else {
        if (this.writer !== null) break;
        this.readers++;
      }
      this.waiting.shift();
      this.recountWaiters();
      this.kernel.grant(next, this, this.kernel.costs.lockHandoffNs);
      if (next.requestMode === 'write') break;
    }
  }
}
