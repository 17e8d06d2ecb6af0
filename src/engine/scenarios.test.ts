/**
 * One readable script per rule of kernel-model.md sections 1 to 4, run against every design that
 * accounts (ideal is checked separately: it accepts everything valid).
 */
import { describe, expect, it } from 'vitest';
import { DESIGN_IDS, machineConfig } from './index.ts';
import type { MachineConfig } from './index.ts';
import { expectedScript, runScript } from './testkit.ts';

const ACCOUNTING_DESIGNS = DESIGN_IDS.filter((design) => design !== 'ideal');
const X86 = machineConfig({ cpus: 4, slots: 4, pools: 'shared' });
const ARM64 = machineConfig({ cpus: 4, slots: 4, pools: 'split' });

function expectScript(machine: MachineConfig, script: string): void {
  const expected = expectedScript(script);
  const actual = runScript(machine, script, ACCOUNTING_DESIGNS);
  for (const design of ACCOUNTING_DESIGNS) {
    expect(`${design}:\n${actual[design]}`).toBe(`${design}:\n${expected}`);
  }
}

describe('CPU-bound vs task-bound', () => {
  it('CPU-bound breakpoints fill their CPU; the 5th is refused', () => {
    expectScript(
      X86,
      `
      reserve c0 cpu=0 -> ok
      reserve c1 cpu=0 -> ok
      reserve c2 cpu=0 x -> ok
      reserve c3 cpu=0 w -> ok
      reserve c4 cpu=0 -> ENOSPC
      `,
    );
  });

  it('a full CPU refuses every task breakpoint that applies to it, and only those', () => {
    expectScript(
      X86,
      `
      reserve c0 cpu=2 -> ok
      reserve c1 cpu=2 -> ok
      reserve c2 cpu=2 -> ok
      reserve c3 cpu=2 -> ok
      reserve b0 task=T cpu=-1 -> ENOSPC   # T may run on CPU 2
      reserve b1 task=T cpu=2 -> ENOSPC
      reserve b2 task=T cpu=1 -> ok
      `,
    );
  });

  it('a CPU-bound reserve sees the largest task count on its CPU, not the sum over tasks', () => {
    expectScript(
      X86,
      `
      reserve t0 task=T -> ok
      reserve t1 task=T -> ok
      reserve u0 task=U -> ok
      reserve u1 task=U -> ok
      reserve u2 task=U -> ok
      reserve c0 cpu=0 -> ok       # 3 (U) + 1 = 4
      reserve c1 cpu=0 -> ENOSPC
      release u2 -> ok
      reserve c1 cpu=0 -> ok       # 2 + 2 = 4
      reserve c2 cpu=1 -> ok
      reserve c3 cpu=1 -> ok
      reserve c4 cpu=1 -> ENOSPC
      `,
    );
  });
});

describe('cpu = -1 vs one CPU', () => {
  it('breakpoints pinned to one CPU only constrain that CPU', () => {
    expectScript(
      X86,
      `
      reserve b0 task=T cpu=0 -> ok
      reserve b1 task=T cpu=0 -> ok
      reserve b2 task=T cpu=0 -> ok
      reserve b3 task=T cpu=0 -> ok
      reserve b4 task=T cpu=0 -> ENOSPC
      reserve b5 task=T cpu=1 -> ok
      reserve b6 task=T cpu=-1 -> ENOSPC   # CPU 0 already has 4 of T's
      reserve c0 cpu=0 -> ENOSPC           # T alone fills CPU 0
      reserve c1 cpu=1 -> ok
      `,
    );
  });

  it('a cpu = -1 breakpoint counts on every CPU', () => {
    expectScript(
      X86,
      `
      reserve b0 task=T cpu=-1 -> ok
      reserve b1 task=T cpu=-1 -> ok
      reserve b2 task=T cpu=3 -> ok
      reserve b3 task=T cpu=3 -> ok
      reserve b4 task=T cpu=3 -> ENOSPC    # 2 everywhere + 2 on CPU 3
      reserve b5 task=T cpu=0 -> ok
      `,
    );
  });
});

describe('independence', () => {
  it('tasks are independent of each other', () => {
    expectScript(
      X86,
      `
      reserve t0 task=T -> ok
      reserve t1 task=T -> ok
      reserve t2 task=T -> ok
      reserve t3 task=T -> ok
      reserve u0 task=U -> ok
      reserve u1 task=U -> ok
      reserve u2 task=U -> ok
      reserve u3 task=U -> ok
      reserve t4 task=T -> ENOSPC
      reserve u4 task=U cpu=1 -> ENOSPC
      reserve v0 task=V cpu=1 -> ok
      `,
    );
  });

  it('CPUs are independent of each other', () => {
    expectScript(
      X86,
      `
      reserve a0 cpu=0 -> ok
      reserve a1 cpu=0 -> ok
      reserve a2 cpu=0 -> ok
      reserve a3 cpu=0 -> ok
      reserve b0 cpu=1 -> ok
      reserve b1 cpu=1 -> ok
      reserve b2 cpu=1 -> ok
      reserve b3 cpu=1 -> ok
      reserve t0 task=T cpu=2 -> ok
      reserve t1 task=T cpu=3 -> ok
      reserve a4 cpu=0 -> ENOSPC
      reserve c0 cpu=2 -> ok
      `,
    );
  });
});

describe('a task with breakpoints on one CPU and on all CPUs', () => {
  it('moves between CPU-independent and CPU-dependent and back (cases 1, 2a, 3, 2b)', () => {
    expectScript(
      X86,
      `
      reserve c0 cpu=1 -> ok
      reserve c1 cpu=1 -> ok
      reserve b0 task=T -> ok              # case 1: T is CPU-independent
      reserve b1 task=T -> ok
      reserve b2 task=T -> ENOSPC          # CPU 1: 2 CPU-bound + 2 of T
      reserve p0 task=T cpu=0 -> ok        # case 2a: T becomes CPU-dependent
      reserve p1 task=T cpu=1 -> ENOSPC
      reserve p2 task=T cpu=0 -> ok        # case 3 on one CPU
      reserve p3 task=T cpu=0 -> ENOSPC
      reserve c2 cpu=0 -> ENOSPC           # T has 4 on CPU 0
      reserve c3 cpu=2 -> ok
      release b1 -> ok                     # case 3 over every CPU
      reserve c4 cpu=0 -> ok
      release p2 -> ok                     # case 3: T still has p0 pinned
      release p0 -> ok                     # case 2b: T is CPU-independent again
      reserve c5 cpu=0 -> ok
      reserve c6 cpu=0 -> ok
      reserve c7 cpu=0 -> ENOSPC
      reserve b3 task=T -> ENOSPC          # fast path: max(cpu_pinned) 3 + T's 1 + 1
      release c6 -> ok
      reserve b3 task=T -> ok              # 2 + 1 + 1
      reserve b4 task=T -> ENOSPC
      `,
    );
  });

  it('a CPU-dependent task is checked CPU by CPU', () => {
    expectScript(
      X86,
      `
      reserve c0 cpu=3 -> ok
      reserve c1 cpu=3 -> ok
      reserve c2 cpu=3 -> ok
      reserve p0 task=T cpu=0 -> ok
      reserve p1 task=T cpu=0 -> ok
      reserve p2 task=T cpu=0 -> ok
      reserve b0 task=T -> ok              # max(3+0 on CPU 3, 0+3 on CPU 0) + 1 = 4
      reserve b1 task=T -> ENOSPC
      release p2 -> ok
      reserve b1 task=T -> ENOSPC          # CPU 3 still has 3 + 1
      `,
    );
  });

  it("counts CPU-bound and the task's pinned breakpoints on the same CPU together", () => {
    expectScript(
      X86,
      `
      reserve c0 cpu=0 -> ok
      reserve c1 cpu=0 -> ok
      reserve p0 task=T cpu=0 -> ok
      reserve b0 task=T -> ok              # CPU 0: 2 + 1 + 1
      reserve b1 task=T -> ENOSPC
      reserve p1 task=T cpu=1 -> ok
      reserve p2 task=T cpu=1 -> ok
      reserve p3 task=T cpu=1 -> ok
      reserve p4 task=T cpu=0 -> ENOSPC
      `,
    );
  });
});

describe('shared vs split pools', () => {
  const script = `
    reserve x0 task=T x -> ok
    reserve x1 task=T x -> ok
    reserve x2 task=T x -> ok
    reserve x3 task=T x -> ok
    reserve d0 task=T rw -> ${'$'}
    reserve d1 task=T r -> ${'$'}
    reserve c0 cpu=0 w -> ${'$'}
    reserve x4 task=T x -> ENOSPC
  `;

  it('x86: instruction and data breakpoints share one pool', () => {
    expectScript(X86, script.replaceAll('$', 'ENOSPC'));
  });

  it('split: an x breakpoint never sees data counts', () => {
    expectScript(ARM64, script.replaceAll('$', 'ok'));
  });
});

describe('modify', () => {
  it('x86: a type change stays in the one pool and always succeeds', () => {
    expectScript(
      X86,
      `
      reserve b0 task=T -> ok
      reserve b1 task=T -> ok
      reserve b2 task=T -> ok
      reserve b3 task=T -> ok
      modify b0 x -> ok
      modify b0 w -> ok
      modify b0 w -> ok                    # unchanged type: modify_bp_slot() is not called
      reserve b4 task=T x -> ENOSPC
      `,
    );
  });

  it('split: a change that does not fit fails and rolls back to the old type exactly', () => {
    expectScript(
      ARM64,
      `
      reserve d0 task=T rw -> ok
      reserve d1 task=T r -> ok
      reserve d2 task=T w -> ok
      reserve d3 task=T rw -> ok
      reserve x0 task=T x -> ok
      reserve x1 task=T x -> ok
      reserve x2 task=T x -> ok
      modify x0 rw -> ENOSPC               # the data pool is full; x0 goes back to x
      reserve x3 task=T x -> ok            # 3 x + 1 = 4: x0 is still counted as x
      reserve x4 task=T x -> ENOSPC
      release d0 -> ok
      modify x0 w -> ok                    # now it fits
      reserve x5 task=T x -> ok
      reserve d4 task=T w -> ENOSPC
      `,
    );
  });

  it('split: modify of a CPU-bound breakpoint moves it between pools on its CPU', () => {
    expectScript(
      ARM64,
      `
      reserve c0 cpu=1 x -> ok
      reserve c1 cpu=1 w -> ok
      reserve c2 cpu=1 w -> ok
      reserve c3 cpu=1 w -> ok
      reserve c4 cpu=1 w -> ok
      modify c0 rw -> ENOSPC
      release c4 -> ok
      modify c0 rw -> ok
      reserve c5 cpu=1 x -> ok
      reserve c6 cpu=1 r -> ENOSPC
      `,
    );
  });
});

describe('EINVAL', () => {
  it('rejects a cpu out of range and a CPU-bound breakpoint on cpu = -1; the id stays free', () => {
    expectScript(
      X86,
      `
      reserve b0 task=T cpu=4 -> EINVAL
      reserve b0 task=T cpu=-2 -> EINVAL
      reserve b0 cpu=-1 -> EINVAL
      reserve b0 cpu=4 -> EINVAL
      reserve b0 task=T cpu=3 -> ok
      release b0 -> ok
      `,
    );
  });
});

describe('ideal', () => {
  it('accepts every valid breakpoint and still answers EINVAL for invalid ones', () => {
    const script = `
      reserve c0 cpu=0 -> ok
      reserve c1 cpu=0 -> ok
      reserve c2 cpu=0 -> ok
      reserve c3 cpu=0 -> ok
      reserve c4 cpu=0 -> ok
      reserve b0 cpu=-1 -> EINVAL
      modify c4 x -> ok
      release c4 -> ok
    `;
    expect(runScript(X86, script, ['ideal']).ideal).toBe(expectedScript(script));
  });
});
