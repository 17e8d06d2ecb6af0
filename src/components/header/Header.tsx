/** What the page is about, in a few lines: slots, the designs, what to look at. */
export function Header() {
  return (
    <header className="page-header">
      <h1>slotscope</h1>
      <p className="lede">
        A CPU has 4 hardware <strong>breakpoint slots</strong> (x86 debug registers). Linux keeps
        count of the slots every task and CPU would need, so a new breakpoint gets ENOSPC instead of
        silently not firing. Before Linux 6.1 that accounting walked one global list under one
        global mutex (<code>list</code>); the 2022 series (<code>rhltable</code>,{' '}
        <code>sharded</code>, <code>rwsem</code>, <code>final</code>) made it per-task and lock
        mostly for reading. <code>ideal</code> skips accounting altogether.
      </p>
      <p className="lede">
        Below, the same seeded <code>perf bench breakpoint thread</code> runs under design A and
        design B. In A&apos;s lock panel, hundreds of threads queue on the one global mutex while
        the CPU grid shows the machine mostly idle. In B no accounting lock waits: what is left is
        creating and joining threads, whose stacks are mapped and unmapped under the process&apos;s{' '}
        <code>mmap_lock</code> and glibc&apos;s stack-cache lock, with a TLB flush on every CPU the
        process ran on, so most of B&apos;s CPUs sit idle or asleep. The race bar puts both runs on
        one time axis: B is the sliver at the left.
      </p>
    </header>
  );
}
