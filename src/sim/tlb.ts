/**
 * The process's mm_cpumask and its TLB shootdowns, computed arithmetically (thread-lifecycle.md
 * section 6): one shootdown costs the initiator a fixed number of events whatever the number of
 * targets, so a 256-CPU munmap is no dearer to simulate than a 2-CPU one.
 *
 * - A CPU joins the mask when it switches to a thread of the process (switch_mm_irqs_off).
 * - An idle CPU keeps the mm loaded lazily and stays in the mask.
 * - munmap frees page tables (freed_tables), so the flush goes to every CPU in the mask, lazy
 *   ones included (on_each_cpu_mask); a lazy receiver switches to init_mm and leaves the mask.
 * - The initiator queues a csd and sends an IPI per target (smp_call_function_many_cond), flushes
 *   locally, then spins until the slowest target acked: an idle target first leaves its C-state.
 */
import type { CostParams } from '../scenario/costs.ts';

export class MmCpumask {
  private readonly bits: Uint8Array;
  private members = 0;
  /** Shootdowns so far, and their targets (all and idle), for statistics and tests. */
  shootdowns = 0;
  targetsSent = 0;
  idleTargetsSent = 0;

  constructor(cpus: number) {
    this.bits = new Uint8Array(cpus);
  }

  get size(): number {
    return this.members;
  }

  has(cpu: number): boolean {
    return this.bits[cpu] === 1;
  }

  /** A thread of the process starts running on `cpu`. */
  switchIn(cpu: number): void {
    if (this.bits[cpu] === 0) {
      this.bits[cpu] = 1;
      this.members++;
    }
  }

  /** `cpu` switched to another mm (a lazy receiver of a flush that freed page tables). */
  leave(cpu: number): void {
    if (this.bits[cpu] === 1) {
      this.bits[cpu] = 0;
      this.members--;
    }
  }

  /**
   * A flush from `initiator` reaches every other CPU of the mask; the idle (lazy) ones leave it.
   * Counts both into `out` (a shootdown's record, refilled: the heavier run does 50,000).
   */
  flushTargets(
    initiator: number,
    isIdle: (cpu: number) => boolean,
    out: { targets: number; idleTargets: number },
  ): void {
    const bits = this.bits;
    let targets = 0;
    let idle = 0;
    for (let c = 0; c < bits.length; c++) {
      if (bits[c] !== 1 || c === initiator) continue;
      targets++;
      if (isIdle(c)) {
        idle++;
        this.leave(c);
      }
    }
    out.targets = targets;
    out.idleTargets = idle;
  }
}

export interface Shootdown {
  /** CPUs IPI'd: |mm_cpumask| minus the initiator. */
  readonly targets: number;
  /** Of those, idle (lazy) CPUs: they pay the C-state exit and leave the mask. */
  readonly idleTargets: number;
  /** Initiator: csd_lock + llist_add + IPI send per target (smp_call_function_many_cond). */
  readonly sendNs: number;
  /** Initiator: its own flush (flush_tlb_func_common). */
  readonly localFlushNs: number;
  /** Initiator: spinning in csd_lock_wait until the slowest target acked. */
  readonly waitNs: number;
  /** Receivers' handler time, all targets together (flush_tlb_func_common). */
  readonly receiverFlushNs: number;
  /** Receivers' llist_del_all + llist_reverse_order, all targets together. */
  readonly receiverListNs: number;
}

/**
 * flush_tlb_mm_range() after a munmap on `initiator`: who gets the IPI, what the initiator waits,
 * what the receivers spend. Idle targets leave the mask (they were lazy).
 */
export function tlbShootdown(
  mask: MmCpumask,
  initiator: number,
  isIdle: (cpu: number) => boolean,
  costs: CostParams,
): Shootdown {
  return tlbShootdownInto(newShootdown(), mask, initiator, isIdle, costs);
}

/** A shootdown record for tlbShootdownInto() to fill. */
export function newShootdown(): { -readonly [K in keyof Shootdown]: Shootdown[K] } {
  return {
    targets: 0,
    idleTargets: 0,
    sendNs: 0,
    localFlushNs: 0,
    waitNs: 0,
    receiverFlushNs: 0,
    receiverListNs: 0,
  };
}

/**
 * tlbShootdown() into `out`, which it returns: a munmap reads the figures at once, so a process
 * refills one record rather than making one per munmap (the heavier run does 50,000).
 */
export function tlbShootdownInto(
  out: ReturnType<typeof newShootdown>,
  mask: MmCpumask,
  initiator: number,
  isIdle: (cpu: number) => boolean,
  costs: CostParams,
): Shootdown {
  mask.flushTargets(initiator, isIdle, out);
  const { targets, idleTargets } = out;
  mask.shootdowns++;
  mask.targetsSent += targets;
  mask.idleTargetsSent += idleTargets;
  const handlerNs = costs.tlbFlushNs + costs.llistReverseNs;
  const slowestAckNs =
    targets === 0 ? 0 : costs.ipiLatencyNs + handlerNs + (idleTargets > 0 ? costs.idleExitNs : 0);
  out.sendNs = targets * costs.ipiSendNs;
  out.localFlushNs = costs.tlbFlushNs;
  out.waitNs = slowestAckNs;
  out.receiverFlushNs = targets * costs.tlbFlushNs;
  out.receiverListNs = targets * costs.llistReverseNs;
  return out;
}
