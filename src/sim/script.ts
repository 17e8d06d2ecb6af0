/**
 * Native programs: a thread's steps as a state machine instead of a generator. The kernel asks a
 * program for one action at a time (SubProgram.next()); a generator answers by resuming its frames
 * (every level of a `yield*` chain, and a fresh iterator result each time), a Script by a switch on
 * its stage. A stage may return a prebuilt list of actions ('play', kernel.played()): the kernel
 * walks the list itself and asks the script again once the list is done. The hot paths of the
 * thread lifecycle (clone, exit, join) are Scripts; the rest of the workloads stay generators,
 * which read better.
 *
 * A Script runs code exactly where the generator it replaces would: the code before an action runs
 * when the kernel asks for that action, that is once the previous action is done.
 */
import type { Action, SubProgram } from './kernel.ts';

export abstract class Script implements SubProgram {
  // `declare`d and set in the constructor: a class field is defined (Object.defineProperty), which
  // costs more than a store (1.3-1.6x in a micro-benchmark), and a run creates five per thread.
  /** Where next() continues: each Script numbers its own stages. */
  declare protected stage: number;
  /** The action `action` returns, made on first use. */
  declare private callAction: Action | null;

  constructor() {
    this.stage = 0;
    this.callAction = null;
  }

  /**
   * This script as one action: a program yields it (or a Script returns it) to run it to its end.
   * Made when asked for: a thread's own program and its start-up script are never called as
   * actions, and each object fewer per live thread is less for the scavenger to copy.
   */
  get action(): Action {
    return (this.callAction ??= { kind: 'call', sub: this });
  }

  /** The next action once the previous one is done (a played list: once all of it is), or null when the script is done. */
  abstract next(): Action | null;
}
