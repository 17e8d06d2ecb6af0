import { headerNarrative } from '../../derive/narrative.ts';
import { useShownRuns } from '../app/ShownRuns.tsx';

/**
 * What the page is about: slots and the designs (fixed), then what the two runs below show, written
 * from the runs themselves (derive/narrative.ts), so it names the faster design and the factor the
 * race bar draws.
 */
export function Header() {
  const { narrative } = useShownRuns();
  return (
    <header className="page-header">
      <h1>slotscope</h1>
      <p className="lede">
        A CPU has 4 hardware <strong>breakpoint slots</strong> (x86 debug registers). Linux keeps
        count of the slots every task and CPU would need, so a new breakpoint gets ENOSPC instead of
        silently not firing. Before Linux 6.1 that accounting walked one global list under one
        global mutex (<code>list</code>); the 2022 series (<code>rhltable</code>,{' '}
        <code>sharded</code>, <code>rwsem</code>, <code>final</code>) made it per-task and lock
        mostly for reading. <code>ideal</code> skips accounting altogether.{' '}
        <a href="#model">About the model</a>.
      </p>
      <p className="lede narrative">{headerNarrative(narrative)}</p>
    </header>
  );
}
