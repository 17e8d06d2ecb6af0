/**
 * Native programs: a thread's steps as a state machine instead of a generator. The kernel asks a
 * program for one action at a time (SubProgram.next()); a generator answers by resuming its frames
 * (every level of a `yield*` chain, and a fresh iterator result each time), a Script by a switch on
 * its stage or the next entry of a prebuilt action list. The hot paths of the thread lifecycle
 * (clone, exit, join) are Scripts; the rest of the workloads stay generators, which read better.
 *
 * A Script runs code exactly where the generator it replaces would: the code before an action runs
 * when the kernel asks for that action, that is once the previous action is done.
 */
import type { Action, SubProgram } from './kernel.ts';

const NO_ACTIONS: readonly Action[] = [];

export abstract class Script implements SubProgram {
  // `declare`d and set in the constructor: a class field is defined (Object.defineProperty), which
  // costs more than a store (1.3-1.6x in a micro-benchmark), and a run creates five per thread.
  /** The prebuilt actions being played, and the next one's index. */
  declare private seq: readonly Action[];
  declare private pos: number;
  /** Where advance() continues: each Script numbers its own stages. */
  declare protected stage: number;
  /** The action `action` returns, made on first use. */
  declare private callAction: Action | null;

  constructor() {
    this.seq = NO_ACTIONS;
    this.pos = 0;
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

  next(): Action | null {
    const seq = this.seq;
    if (this.pos < seq.length) return seq[this.pos++] as Action;
    return this.advance();
  }

  /** Plays `seq`, then continues with advance(); returns its first action. `seq` is not empty. */
  protected play(seq: readonly Action[]): Action {
    this.seq = seq;
    this.pos = 1;
    return seq[0] as Action;
  }

  /** The next action once the played actions are done, or null when the script is done. */
  protected abstract advance(): Action | null;
}
