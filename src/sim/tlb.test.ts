import { describe, expect, it } from 'vitest';
import { DEFAULT_COSTS } from '../scenario/costs.ts';
import { MmCpumask, tlbShootdown } from './tlb.ts';

const costs = { ...DEFAULT_COSTS, ipiSendNs: 100, ipiLatencyNs: 1_000, tlbFlushNs: 500 };

function maskOf(cpus: number, members: number): MmCpumask {
  const mask = new MmCpumask(cpus);
  for (let c = 0; c < members; c++) mask.switchIn(c);
  return mask;
}

describe('TLB shootdown', () => {
  it('costs the initiator more the more CPUs the mm ran on', () => {
    const busy = () => false;
    const small = tlbShootdown(maskOf(256, 4), 0, busy, costs);
    const large = tlbShootdown(maskOf(256, 200), 0, busy, costs);
    expect(small.targets).toBe(3);
    expect(large.targets).toBe(199);
    const initiator = (s: typeof small) => s.sendNs + s.localFlushNs + s.waitNs;
    expect(initiator(large) - initiator(small)).toBe(196 * 100);
    expect(large.receiverFlushNs).toBe(199 * 500);
    expect(large.receiverListNs).toBe(199 * costs.llistReverseNs);
  });

  it('waits for the slowest ack: an idle target first leaves its C-state', () => {
    const allBusy = tlbShootdown(maskOf(8, 8), 0, () => false, costs);
    const oneIdle = tlbShootdown(maskOf(8, 8), 0, (c) => c === 5, costs);
    expect(oneIdle.waitNs - allBusy.waitNs).toBe(costs.idleExitNs);
    expect(oneIdle.idleTargets).toBe(1);
  });

  it('removes lazy (idle) receivers from mm_cpumask, so the next shootdown has fewer targets', () => {
    const mask = maskOf(16, 16);
    const idle = (c: number) => c >= 8;
    expect(tlbShootdown(mask, 0, idle, costs).targets).toBe(15);
    expect(mask.size).toBe(8);
    expect(tlbShootdown(mask, 0, idle, costs).targets).toBe(7);
    mask.switchIn(12);
    expect(mask.has(12)).toBe(true);
    expect(mask.size).toBe(9);
  });

  it('sends nothing when only the initiator is in the mask', () => {
    const s = tlbShootdown(maskOf(4, 1), 0, () => true, costs);
    expect([s.targets, s.sendNs, s.waitNs]).toEqual([0, 0, 0]);
  });
});
