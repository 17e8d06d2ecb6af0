/**
 * The simulated kernel's scheduler: CPUs, threads, placement, events and profile charging. The
 * locks of kernel-model.md section 7 live in ./locks/, one file per kind; the scheduler reaches
 * them only through SimLock's hooks (kick, wokenRuns).
 *
 * Threads are generator programs that yield actions (run for a while, take a lock, spawn, wait).
 * The kernel advances them in simulated time through the event queue. It knows nothing of
 * breakpoints: accounting is a workload-level sequence of lock, run and unlock actions.
 *
 * Scheduling model (the parts that decide who spins and who sleeps):
 * - A new thread goes to an idle CPU (fork balancing), else to the CPU with the shortest queue.
 * - A woken thread goes to its previous CPU if idle, else to an idle CPU in the waker's LLC
 *   domain (select_idle_sibling), else back to its previous CPU's queue. It runs after the
 *   wake-up latency.
 * - Kernel code is not preempted (PREEMPT_VOLUNTARY); a running thread yields to queued threads
 *   at the end of each step. A thread spinning on a mutex stops as soon as another thread is
 *   queued on its CPU (need_resched() by wake-up preemption) and goes to sleep on the mutex.
 */
import { EventQueue, type SimNanos } from './eventQueue.ts';
import type { Prng } from './prng.ts';
import type { CostParams } from '../scenario/costs.ts';
import { CpuState, type CpuStateIndex } from './cpuStates.ts';
import { PROFILE_SYMBOLS, profileIndex, type ProfileSymbol } from './types.ts';
import type { LockMode, SimLock } from './locks/lock.ts';
import { MmCpumask } from './tlb.ts';

export type Action =
  | {
      readonly kind: 'run';
      readonly ns: number;
      /** The symbol charged, as its profileIndex(). */
      readonly symIndex: number;
      readonly state: CpuStateIndex;
      /**
       * Parts of `ns` that perf report would charge to other symbols (inlined or called helpers):
       * one event for the whole run, the profile split arithmetically.
       */
      readonly parts?: readonly ProfilePart[];
    }
  | { readonly kind: 'acquire'; readonly lock: SimLock; readonly mode: LockMode }
  | { readonly kind: 'release'; readonly lock: SimLock; readonly mode: LockMode }
  /** A write hold becomes a read hold (mmap_write_downgrade). */
  | { readonly kind: 'downgrade'; readonly lock: SimLock }
  /** A new thread runs `start` (when given), then its program: its first steps, with no wrapper. */
  | {
      readonly kind: 'spawn';
      readonly child: SimThread;
      readonly program: Program | SubProgram;
      readonly start?: Played;
    }
  | { readonly kind: 'futexWait'; readonly futex: Futex }
  /** Sets the futex word; wakes up to `max` waiters (all when absent), FIFO. */
  | { readonly kind: 'futexWake'; readonly futex: Futex; readonly max?: number }
  | { readonly kind: 'join'; readonly target: SimThread }
  | { readonly kind: 'exitMm' }
  /**
   * Runs a native sub-program's actions, in order, before the program continues: the same actions
   * the program could yield itself, without resuming its generator frames for each one.
   */
  | { readonly kind: 'call'; readonly sub: SubProgram }
  /**
   * Runs a prebuilt list of actions, in order, before the program is asked for its next: the
   * kernel walks the list itself (SimThread.seq), so a section of a script (a lock, its run, its
   * release) costs no call into the script per action. A played list holds no 'play' or 'call'.
   */
  | Played
  /** Sleep for a while off-CPU (a timed wait in user space). */
  | { readonly kind: 'sleep'; readonly ns: number };

/** A prebuilt list of actions as one action (see the 'play' kind). */
export interface Played {
  readonly kind: 'play';
  readonly seq: readonly Action[];
}

/** `seq` as an action that plays it: build it once and return it as often as the list runs. */
export function played(seq: readonly Action[]): Played {
  for (const a of seq) {
    // The kernel plays a list on the thread, not on a program: a call inside would run the
    // list's rest inside the callee.
    if (a.kind === 'play' || a.kind === 'call')
      throw new Error(`a played list holds a '${a.kind}'`);
  }
  return { kind: 'play', seq };
}

const NO_ACTIONS: readonly Action[] = [];

/** Part of a run charged to another symbol: [profileIndex(symbol), ns]. */
export type ProfilePart = readonly [symIndex: number, ns: number];

/**
 * A run action: `ns` of `sym`'s work, shown as `state`. (A run with parts charged elsewhere is a
 * refilled object of its maker's: the accounting call's WorkRun, the shootdown's.)
 */
export function runAction(ns: number, sym: ProfileSymbol, state: CpuStateIndex): Action {
  return { kind: 'run', ns, symIndex: profileIndex(sym), state };
}

export type Program = Generator<Action, void, void>;

/**
 * A state machine that produces actions like a generator (kernel.step() consumes each at once, so
 * it may return the same mutable action object every time); null when it is done. A thread's
 * program may be one (a native program, ./script.ts) or a generator; a 'call' nests another.
 */
export interface SubProgram {
  next(): Action | null;
}

/** A thread's program as the kernel drives it. */
function asSubProgram(program: Program | SubProgram): SubProgram {
  return Symbol.iterator in program ? new GeneratorProgram(program) : program;
}

/** A generator program as a sub-program: the kernel drives both the same way. */
class GeneratorProgram implements SubProgram {
  private readonly generator: Program;
  constructor(generator: Program) {
    this.generator = generator;
  }
  next(): Action | null {
    const r = this.generator.next();
    return r.done === true ? null : r.value;
  }
}

// The kernel's event kinds (EventQueue records: kind, subject, argument).
const EV_CALLBACK = 0;
const EV_ARRIVE = 1;
const EV_RESUME = 2;
const EV_AFTER_RUN = 3;
const EV_GRANT = 4;
const EV_WAKE = 5;

// Symbols the scheduler charges itself.
const SYM_SCHEDULE = profileIndex('schedule');
const SYM_USER = profileIndex('user');
const SYM_FUTEX = profileIndex('futex');
const SYM_INSTALL = profileIndex('arch_install_hw_breakpoint');
const SYM_LB_STATS = profileIndex('update_sg_lb_stats');

export class Futex {
  value = 0;
  readonly waiters: SimThread[] = [];
}

export type WaitMode = 'none' | 'osq' | 'sleep' | 'woken' | 'waiterSpin' | 'granted' | 'spin';

export class SimThread {
  /** Its thread id; a new one when the kernel gives the object to another thread (renew()). */
  declare id: number;
  /** The (sub-)program running now: its program, or the innermost 'call' it is in; null when dead. */
  declare sub: SubProgram | null;
  /**
   * The programs suspended in a 'call', innermost last: the first callerCount entries, each
   * continues when its call is done. Three slots from the start, used as a stack (a thread's calls
   * nest two or three deep: clone or exit, then an accounting call), rather than an empty array
   * that its first push grew to 17 slots for every live thread. Deeper nesting grows it.
   */
  readonly callers: (SubProgram | null)[] = [null, null, null];
  declare callerCount: number;
  /**
   * The list being played ('play') and the index of its next action: the kernel takes actions
   * from it before it asks `sub` for more. Exhausted (pos = seq.length) when nothing is played.
   */
  declare seq: readonly Action[];
  declare pos: number;
  /** CPU it runs or last ran on; -1 before its first run. */
  declare cpu: number;
  declare onCpu: boolean;
  /** Queued or scheduled to arrive on a CPU. */
  declare runnable: boolean;
  declare dead: boolean;
  /** exit_mm() has cleared the child tid: a join returns. */
  declare mmReleased: boolean;
  declare joiner: SimThread | null;
  // What it waits for, if anything.
  declare waitLock: SimLock | null;
  declare waitMode: WaitMode;
  /** The mode of the lock request it waits on (or last made). */
  declare requestMode: LockMode;
  /** A lock that woke it as its owner (a reader of a rw-semaphore), until it runs again; else null. */
  declare handedBy: SimLock | null;
  declare waitSinceNs: number;
  /** Counts spin episodes, so a stale RCU-forced reschedule finds nothing to stop. */
  declare spinEpisode: number;
  /**
   * The pending RCU spin-limit timer's handle on this thread: dropped when the thread exits, so a
   * timer armed ~100 ms ahead does not keep a dead thread reachable until it fires.
   */
  declare spinTimer: { thread: SimThread | null } | null;
  /**
   * When this thread's CPU last passed an RCU quiescent state for it: a context switch to it, or
   * user-mode execution. Kernel code without a schedule() in between is no quiescent state.
   */
  declare quiescentAtNs: number;
  /**
   * Grant times of the locks held, innermost last: the first heldCount entries (kernel code holding
   * one is not preempted). Four double slots from the start, used as a stack, rather than an empty
   * array pushed and popped: push() grew each thread's array to 17 slots, and a first grant at an
   * integer time left some arrays holding small integers and others doubles, so every push and pop
   * site saw both element kinds. Deeper nesting grows the array as before.
   */
  readonly heldSinceNs: number[] = [0.5, 0.5, 0.5, 0.5];
  declare heldCount: number;
  /** Current activity while on a CPU. */
  declare state: CpuStateIndex;
  /** Its activity's profile symbol, as profileIndex(). */
  declare symIndex: number;
  /** Hardware breakpoints installed when it switches in from idle (its inherited events). */
  declare hwBreakpoints: number;
  /** Its creator is done with it (Kernel.reap()): once it has exited, the object may be reused. */
  declare reaped: boolean;
  /**
   * What its workload keeps with the thread object (a passive thread's scripts), left as it is
   * by renew(): when the kernel gives the object to a new thread, they are free as well.
   */
  kit: object | null = null;

  // The fields renew() sets are `declare`d and set there alone: one list of a new thread's state,
  // for the constructor and for an exited thread's object given to a new thread.
  constructor(id: number) {
    this.renew(id);
  }

  /**
   * The object as a new thread `id`: from the constructor, and for an exited thread's object,
   * which nothing refers to any more (Kernel.reap()). Its stacks keep their storage; both are
   * empty (the thread left every call and lock before it exited).
   */
  renew(id: number): void {
    this.id = id;
    this.sub = null;
    this.callerCount = 0;
    this.seq = NO_ACTIONS;
    this.pos = 0;
    this.cpu = -1;
    this.onCpu = false;
    this.runnable = false;
    this.dead = false;
    this.mmReleased = false;
    this.joiner = null;
    this.waitLock = null;
    this.waitMode = 'none';
    this.requestMode = 'write';
    this.handedBy = null;
    this.waitSinceNs = 0;
    this.spinEpisode = 0;
    this.spinTimer = null;
    this.quiescentAtNs = 0;
    this.heldCount = 0;
    this.state = CpuState.work;
    this.symIndex = SYM_USER;
    this.hwBreakpoints = 0;
    this.reaped = false;
  }
}

class SimCpu {
  readonly index: number;
  current: SimThread | null = null;
  readonly queue: SimThread[] = [];
  /** Wake-ups on their way here. */
  incoming = 0;
  state: CpuStateIndex = CpuState.idle;
  /** The profile symbol its time is charged to (profileIndex()), -1 while idle. */
  symIndex = -1;
  sinceNs = 0;
  /**
   * The thread on the CPU since sinceNs, for the timeline's spans: the one running, or, while the
   * CPU shows a sleep state, the one that left it to sleep (-1: none).
   */
  sinceThread = -1;
  /** The thread whose sleep idleState shows (-1 when idleState is plain idle). */
  idleThread = -1;
  /** What the CPU shows when idle: idle, or the sleep state of the lock its last thread sleeps on. */
  idleState: CpuStateIndex = CpuState.idle;
  /** Breakpoints of the thread that last left it (uninstalled when it goes idle). */
  leftBreakpoints = 0;
  /** It went idle since its last thread ran: the next switch-in installs breakpoints. */
  fromIdle = true;

  constructor(index: number) {
    this.index = index;
  }

  get idle(): boolean {
    return this.current === null && this.queue.length === 0 && this.incoming === 0;
  }
}

/**
 * Observers of the kernel: the recorder, the lock statistics and the timeline. `thread` is the
 * simulated thread on the CPU over the interval (-1: none), or the one that took or released.
 */
export interface KernelHooks {
  cpuInterval(
    cpu: number,
    state: CpuStateIndex,
    fromNs: SimNanos,
    toNs: SimNanos,
    thread: number,
  ): void;
  waiters(spinning: number, sleeping: number, fromNs: SimNanos, toNs: SimNanos): void;
  acquired(lock: SimLock, waitNs: number, atNs: SimNanos, thread: SimThread): void;
  released(lock: SimLock, holdNs: number, atNs: SimNanos, thread: SimThread): void;
  /**
   * An accounting lock's own waiters changed, from `atNs` on (the timeline's lock tracks). Absent
   * unless a timeline is recorded: the locks skip the call then.
   */
  lockWaiters?: (lock: SimLock, spinning: number, sleeping: number, atNs: SimNanos) => void;
}

export class Kernel {
  readonly costs: CostParams;
  readonly prng: Prng;
  readonly hooks: KernelHooks;
  readonly queue = new EventQueue();
  readonly cpus: SimCpu[];
  nowNs: SimNanos = 0;
  /** When the last event that changed something ran: the run's end once no event is left. */
  lastChangeNs: SimNanos = 0;
  /** CPU time per profile symbol, indexed as PROFILE_SYMBOLS. */
  readonly profileNs = new Float64Array(PROFILE_SYMBOLS.length);
  liveThreads = 0;
  peakLiveThreads = 0;
  /** The benchmark process's mm_cpumask (every simulated thread belongs to one process). */
  readonly mm: MmCpumask;
  /** Threads queued behind a running one, machine-wide: > 0 means rd->overload. */
  private queuedThreads = 0;
  private nextThreadId = 0;
  /** Exited threads their creators reaped, for newThread(). */
  private readonly spareThreads: SimThread[] = [];
  private readonly idleList: number[];
  private readonly idlePos: Int32Array;
  // Waiters on accounting locks, for the waiter columns.
  private spinWaiters = 0;
  private sleepWaiters = 0;
  private waitersSinceNs = 0;

  constructor(cpus: number, costs: CostParams, prng: Prng, hooks: KernelHooks) {
    this.costs = costs;
    this.prng = prng;
    this.hooks = hooks;
    this.cpus = Array.from({ length: cpus }, (_, i) => new SimCpu(i));
    this.idleList = Array.from({ length: cpus }, (_, i) => i);
    this.idlePos = new Int32Array(cpus).map((_, i) => i);
    this.mm = new MmCpumask(cpus);
  }

  /** CPU time charged to a symbol without simulating it (work on other CPUs, computed arithmetically). */
  chargeProfile(sym: ProfileSymbol, ns: number): void {
    this.charge(profileIndex(sym), ns);
  }

  private charge(symIndex: number, ns: number): void {
    this.profileNs[symIndex] = (this.profileNs[symIndex] as number) + ns;
  }

  /** Moves the parts of a run from its symbol to theirs (the run's interval charges the whole). */
  private chargeParts(symIndex: number, parts: readonly ProfilePart[]): void {
    const profileNs = this.profileNs;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as ProfilePart;
      const partIndex = part[0];
      const ns = part[1];
      profileNs[partIndex] = (profileNs[partIndex] as number) + ns;
      profileNs[symIndex] = (profileNs[symIndex] as number) - ns;
    }
  }

  /** Nothing runs, is queued or is arriving on `cpu`. */
  cpuIdle(cpu: number): boolean {
    return (this.cpus[cpu] as SimCpu).idle;
  }

  /**
   * How long a CPU may spin with preemption disabled before RCU forces a reschedule on it:
   * jiffies_till_sched_qs = HZ/10 + nr_cpu_ids/256 jiffies (adjust_jiffies_till_sched_qs()),
   * rounded up to the next scheduler tick.
   */
  rcuForcedReschedNs(): number {
    const jiffyNs = this.costs.jiffyNs;
    const jiffies = Math.ceil(1e9 / jiffyNs / 10) + Math.floor(this.cpus.length / 256);
    return (jiffies + 1) * jiffyNs;
  }

  /** RCU has set need_resched() on `t`'s CPU: it went too long without a quiescent state. */
  rcuForcesResched(t: SimThread): boolean {
    return this.nowNs - t.quiescentAtNs >= this.rcuForcedReschedNs();
  }

  /** A new thread, in the object of an exited and reaped one when there is one (reap()). */
  newThread(): SimThread {
    const spare = this.spareThreads.pop();
    if (spare === undefined) return new SimThread(this.nextThreadId++);
    spare.renew(this.nextThreadId++);
    return spare;
  }

  /**
   * The program that created `t` is done with it (pthread_join() returned): once `t` has exited,
   * newThread() gives its object to a new thread. A thread lives about a quarter of the heavier
   * run, so each new object was copied twice by the young-generation collector (docs/model.md
   * §6). Nothing may use `t` after this call; the kernel drops it at exit (finish()).
   */
  reap(t: SimThread): void {
    if (t.dead) this.spareThreads.push(t);
    else t.reaped = true;
  }

  /** The run is over: no new thread will take the reaped ones' objects. */
  dropSpareThreads(): void {
    this.spareThreads.length = 0;
  }

  /**
   * Runs `action` `delayNs` from now. An action that returns false changed nothing (a timer that
   * found its reason gone): it does not extend the run (lastChangeNs).
   */
  at(delayNs: number, action: () => unknown): void {
    this.queue.push(this.nowNs + delayNs, EV_CALLBACK, action, null);
  }

  /** Runs one event; false when none is left. */
  runOne(): boolean {
    const queue = this.queue;
    if (queue.size === 0) return false;
    this.nowNs = queue.peekTime();
    queue.pop();
    const t = queue.subject;
    switch (queue.kind) {
      case EV_CALLBACK:
        if ((t as () => unknown)() === false) return true;
        break;
      case EV_ARRIVE: {
        const cpu = queue.arg as SimCpu;
        cpu.incoming--;
        this.enqueue(t as SimThread, cpu);
        break;
      }
      case EV_RESUME:
        this.resume(t as SimThread);
        break;
      case EV_AFTER_RUN:
        this.afterRun(t as SimThread);
        break;
      case EV_GRANT:
        this.granted(t as SimThread, queue.arg as SimLock);
        break;
      case EV_WAKE:
        if (!this.wake(t as SimThread, null)) return true;
        break;
    }
    this.lastChangeNs = this.nowNs;
    return true;
  }

  // ---- idle tracking -------------------------------------------------------------------------

  private updateIdle(cpu: SimCpu): void {
    const listed = (this.idlePos[cpu.index] as number) >= 0;
    if (cpu.idle === listed) return;
    if (cpu.idle) {
      this.idlePos[cpu.index] = this.idleList.length;
      this.idleList.push(cpu.index);
    } else {
      const pos = this.idlePos[cpu.index] as number;
      const last = this.idleList.pop() as number;
      if (last !== cpu.index) {
        this.idleList[pos] = last;
        this.idlePos[last] = pos;
      }
      this.idlePos[cpu.index] = -1;
    }
  }

  // ---- activity and profile ------------------------------------------------------------------

  private setCpuActivity(cpu: SimCpu, state: CpuStateIndex, symIndex: number): void {
    const now = this.nowNs;
    if (now > cpu.sinceNs) {
      this.hooks.cpuInterval(cpu.index, cpu.state, cpu.sinceNs, now, cpu.sinceThread);
      const i = cpu.symIndex;
      if (i >= 0) this.profileNs[i] = (this.profileNs[i] as number) + now - cpu.sinceNs;
    }
    cpu.state = state;
    cpu.symIndex = symIndex;
    cpu.sinceNs = now;
    cpu.sinceThread =
      cpu.current !== null ? cpu.current.id : state === cpu.idleState ? cpu.idleThread : -1;
  }

  private setActivity(t: SimThread, state: CpuStateIndex, symIndex: number): void {
    t.state = state;
    t.symIndex = symIndex;
    if (t.onCpu) this.setCpuActivity(this.cpus[t.cpu] as SimCpu, state, symIndex);
  }

  /** Closes every CPU's open interval at the current time (before reading the profile). */
  flushActivity(): void {
    for (const cpu of this.cpus) this.setCpuActivity(cpu, cpu.state, cpu.symIndex);
    this.noteWaiters(0, 0);
  }

  /** Waiters on accounting locks changed by these deltas (SimLock.recountWaiters() reports). */
  noteWaiters(spinDelta: number, sleepDelta: number): void {
    const now = this.nowNs;
    if (now > this.waitersSinceNs) {
      this.hooks.waiters(this.spinWaiters, this.sleepWaiters, this.waitersSinceNs, now);
      this.waitersSinceNs = now;
    }
    this.spinWaiters += spinDelta;
    this.sleepWaiters += sleepDelta;
  }

  // ---- placement -----------------------------------------------------------------------------

  /**
   * wake_up_new_task() → find_idlest_cpu(): the creator's own LLC domain while it has an idle
   * CPU (find_idlest_group() keeps a fork local when the local group has spare capacity), else an
   * idle CPU anywhere, else the shortest queue.
   */
  private forkTarget(parentCpu: number): SimCpu {
    if (parentCpu >= 0) {
      const local = this.idleInLlc(parentCpu);
      if (local !== null) return local;
    }
    if (this.idleList.length > 0) {
      return this.cpus[this.idleList[this.prng.int(this.idleList.length)] as number] as SimCpu;
    }
    let best = this.cpus[0] as SimCpu;
    for (const cpu of this.cpus) {
      if (cpu.queue.length + cpu.incoming < best.queue.length + best.incoming) best = cpu;
    }
    return best;
  }

  /** An idle CPU in `cpu`'s LLC domain, scanned from a random start, or null. */
  private idleInLlc(cpu: number): SimCpu | null {
    const n = this.cpus.length;
    const llc = Math.max(1, Math.min(n, Math.round(this.costs.llcCpus)));
    const base = Math.floor(cpu / llc) * llc;
    const size = Math.min(llc, n - base);
    const start = this.prng.int(size);
    for (let i = 0; i < size; i++) {
      const candidate = this.cpus[base + ((start + i) % size)] as SimCpu;
      if (candidate.idle) return candidate;
    }
    return null;
  }

  /** select_idle_sibling(): previous CPU if idle, else an idle CPU in the waker's LLC. */
  private wakeTarget(t: SimThread, wakerCpu: number): SimCpu {
    const prev = t.cpu >= 0 ? (this.cpus[t.cpu] as SimCpu) : null;
    if (prev?.idle) return prev;
    const sibling = this.idleInLlc(Math.max(0, wakerCpu));
    if (sibling !== null) return sibling;
    return prev ?? (this.cpus[Math.max(0, wakerCpu)] as SimCpu);
  }

  // ---- running threads -----------------------------------------------------------------------

  /**
   * Starts a new thread on a CPU chosen by fork balancing: it plays `start` (when given), then
   * runs its program.
   */
  spawn(
    t: SimThread,
    program: Program | SubProgram,
    parent: SimThread | null = null,
    start: Played | null = null,
  ): void {
    t.sub = asSubProgram(program);
    if (start !== null) {
      t.seq = start.seq;
      t.pos = 0;
    }
    this.liveThreads++;
    if (this.liveThreads > this.peakLiveThreads) this.peakLiveThreads = this.liveThreads;
    this.arrive(t, this.forkTarget(parent?.cpu ?? -1), 0);
  }

  /** Wakes a sleeping thread; `waker` decides the LLC domain searched. False if it was awake. */
  wake(t: SimThread, waker: SimThread | null): boolean {
    if (t.runnable || t.onCpu || t.dead) return false;
    this.arrive(t, this.wakeTarget(t, waker?.cpu ?? t.cpu), this.costs.wakeLatencyNs);
    return true;
  }

  private arrive(t: SimThread, cpu: SimCpu, delayNs: number): void {
    t.runnable = true;
    cpu.incoming++;
    this.updateIdle(cpu);
    this.queue.push(this.nowNs + delayNs, EV_ARRIVE, t, cpu);
  }

  private enqueue(t: SimThread, cpu: SimCpu): void {
    t.cpu = cpu.index;
    cpu.queue.push(t);
    this.queuedThreads++;
    const current = cpu.current;
    if (current === null) {
      this.dispatch(cpu);
      return;
    }
    // need_resched() on a CPU whose thread spins on a mutex: it gives the CPU up and sleeps.
    if (current.waitLock !== null && current.waitLock.kick(current)) return;
    this.updateIdle(cpu);
  }

  /** Runs the next queued thread on an empty CPU, or lets it idle. */
  private dispatch(cpu: SimCpu): void {
    const next = cpu.queue.shift();
    if (next === undefined) {
      this.setCpuActivity(cpu, cpu.idleState, -1);
      this.updateIdle(cpu);
      this.goingIdle(cpu);
      return;
    }
    this.queuedThreads--;
    cpu.current = next;
    next.onCpu = true;
    next.runnable = false;
    next.quiescentAtNs = this.nowNs;
    next.cpu = cpu.index;
    this.updateIdle(cpu);
    this.setCpuActivity(cpu, CpuState.work, SYM_SCHEDULE);
    const switchNs = this.costs.contextSwitchNs + this.switchIn(cpu, next);
    this.queue.push(this.nowNs + switchNs, EV_RESUME, next, null);
  }

  // ---- switch-in and idle entry: mm_cpumask, debug registers, newidle balance -----------------

  /**
   * finish_task_switch() of `next` on `cpu`: the CPU joins mm_cpumask; coming from idle, the
   * thread's breakpoints are installed (arch_install_hw_breakpoint, B per switch-in; a switch
   * between equivalent cloned contexts skips it). Returns the extra switch time, ns.
   */
  private switchIn(cpu: SimCpu, next: SimThread): number {
    this.mm.switchIn(cpu.index);
    const fromIdle = cpu.fromIdle;
    cpu.fromIdle = false;
    if (!fromIdle || next.hwBreakpoints === 0) return 0;
    const installNs = next.hwBreakpoints * this.costs.drInstallNs;
    this.charge(SYM_INSTALL, installNs);
    this.charge(SYM_SCHEDULE, -installNs);
    return installNs;
  }

  /**
   * A CPU goes idle: the last thread's breakpoints are uninstalled, and if any runqueue is
   * overloaded newidle_balance() runs update_sg_lb_stats() over the domains (SMT, LLC, machine).
   * Both are charged arithmetically: the CPU shows idle, and nothing waits for them.
   */
  private goingIdle(cpu: SimCpu): void {
    cpu.fromIdle = true;
    if (cpu.leftBreakpoints > 0) {
      this.charge(SYM_INSTALL, cpu.leftBreakpoints * this.costs.drInstallNs);
      cpu.leftBreakpoints = 0;
    }
    if (this.queuedThreads > 0) {
      const domainCpus = Math.min(this.cpus.length, this.costs.llcCpus) + this.cpus.length;
      this.charge(SYM_LB_STATS, domainCpus * this.costs.lbStatsPerCpuNs);
    }
  }

  /** Takes a thread off its CPU (it blocks, or it died). */
  private leaveCpu(t: SimThread, forLock: boolean): void {
    const cpu = this.cpus[t.cpu] as SimCpu;
    t.onCpu = false;
    cpu.current = null;
    const sleeps = forLock && t.waitLock !== null;
    cpu.idleState = sleeps ? (t.waitLock as SimLock).sleepState : CpuState.idle;
    cpu.idleThread = sleeps ? t.id : -1;
    cpu.leftBreakpoints = t.hwBreakpoints;
    this.dispatch(cpu);
  }

  /** A thread that just got its CPU back continues where it stopped. */
  private resume(t: SimThread): void {
    const lock = t.waitLock;
    // Back from a sleep on a lock that wakes its waiters to retry: the lock decides what follows.
    if (lock !== null && t.waitMode === 'woken' && lock.wokenRuns(t)) return;
    this.step(t);
  }

  /** Blocks the running thread (the caller has recorded why). */
  block(t: SimThread, forLock: boolean): void {
    this.leaveCpu(t, forLock);
  }

  /** A lock granted `t`'s request, `delayNs` from now (the hand-off). */
  grant(t: SimThread, lock: SimLock, delayNs: number): void {
    t.waitMode = 'granted';
    this.queue.push(this.nowNs + delayNs, EV_GRANT, t, lock);
  }

  private granted(t: SimThread, lock: SimLock): void {
    const waitNs = this.nowNs - t.waitSinceNs;
    t.waitLock = null;
    t.waitMode = 'none';
    this.hold(t);
    this.hooks.acquired(lock, waitNs, this.nowNs, t);
    if (t.onCpu) this.step(t);
    // A sleeper that was handed the lock continues when it next runs (resume → step).
  }

  /** `t` enters a 'call': `sub` waits on its caller stack. */
  private pushCaller(t: SimThread, sub: SubProgram): void {
    const callers = t.callers;
    const depth = t.callerCount++;
    if (depth < callers.length) callers[depth] = sub;
    else callers.push(sub);
  }

  /** `t` got a lock now: its grant time goes on its held stack. */
  private hold(t: SimThread): void {
    const held = t.heldSinceNs;
    const i = t.heldCount++;
    if (i < held.length) held[i] = this.nowNs;
    else held.push(this.nowNs);
  }

  /** `t` let go of its innermost lock: when it got it (now if it held none). */
  private unhold(t: SimThread): number {
    if (t.heldCount === 0) return this.nowNs;
    return t.heldSinceNs[--t.heldCount] as number;
  }

  /** A lock's waiter spins (or shows a wait state), charged to `symIndex` (profileIndex()). */
  setWaitActivity(t: SimThread, state: CpuStateIndex, symIndex: number): void {
    this.setActivity(t, state, symIndex);
  }

  /** Advances `t` through zero-time actions until it must wait for something. */
  step(t: SimThread): void {
    for (;;) {
      const sub = t.sub;
      if (sub === null) return;
      // The list being played first, then the program.
      const seq = t.seq;
      const action = t.pos < seq.length ? (seq[t.pos++] as Action) : sub.next();
      if (action === null) {
        // The call is done: its caller continues; the program is done: the thread exits.
        if (t.callerCount === 0) {
          this.finish(t);
          return;
        }
        const callers = t.callers;
        const depth = --t.callerCount;
        t.sub = callers[depth] as SubProgram;
        // Drop the slot's reference, as pop() did: a finished program is garbage at once.
        callers[depth] = null;
        continue;
      }
      switch (action.kind) {
        case 'run':
          if (action.ns <= 0) continue;
          this.setActivity(t, action.state, action.symIndex);
          if (action.parts !== undefined) this.chargeParts(action.symIndex, action.parts);
          this.queue.push(this.nowNs + action.ns, EV_AFTER_RUN, t, null);
          return;
        case 'play':
          t.seq = action.seq;
          t.pos = 0;
          continue;
        case 'call':
          this.pushCaller(t, sub);
          t.sub = action.sub;
          continue;
        case 'acquire': {
          t.waitSinceNs = this.nowNs;
          t.requestMode = action.mode;
          if (action.lock.acquire(t, action.mode)) {
            this.hold(t);
            this.hooks.acquired(action.lock, 0, this.nowNs, t);
            continue;
          }
          return;
        }
        case 'release':
          this.hooks.released(action.lock, this.nowNs - this.unhold(t), this.nowNs, t);
          action.lock.release(t, action.mode);
          continue;
        case 'downgrade':
          this.hooks.released(action.lock, this.nowNs - this.unhold(t), this.nowNs, t);
          action.lock.downgrade(t);
          this.hold(t);
          this.hooks.acquired(action.lock, 0, this.nowNs, t);
          continue;
        case 'spawn':
          this.spawn(action.child, action.program, t, action.start ?? null);
          continue;
        case 'futexWait':
          if (action.futex.value !== 0) continue;
          action.futex.waiters.push(t);
          this.setActivity(t, CpuState.work, SYM_FUTEX);
          this.block(t, false);
          return;
        case 'futexWake': {
          action.futex.value = 1;
          const waiters = action.futex.waiters;
          const max = action.max ?? Infinity;
          if (max === 1) {
            // The common wake of one (wake_up_q() one task at a time): no array of the woken.
            const w = waiters.shift();
            if (w !== undefined) this.wake(w, t);
          } else if (max > 0) {
            for (const w of waiters.splice(0, max)) this.wake(w, t);
          }
          continue;
        }
        case 'join':
          if (action.target.mmReleased) continue;
          action.target.joiner = t;
          this.setActivity(t, CpuState.work, SYM_FUTEX);
          this.block(t, false);
          return;
        case 'sleep':
          this.setActivity(t, CpuState.work, SYM_FUTEX);
          this.block(t, false);
          this.queue.push(this.nowNs + action.ns, EV_WAKE, t, null);
          return;
        case 'exitMm':
          t.mmReleased = true;
          if (t.joiner !== null) {
            const joiner = t.joiner;
            t.joiner = null;
            this.wake(joiner, t);
          }
          continue;
        default: {
          const never: never = action;
          throw new Error(`unknown action ${String(never)}`);
        }
      }
    }
  }

  /** Kernel code ran a step; queued threads get the CPU at this preemption point. */
  private afterRun(t: SimThread): void {
    if (t.symIndex === SYM_USER) t.quiescentAtNs = this.nowNs;
    const cpu = this.cpus[t.cpu] as SimCpu;
    if (cpu.queue.length > 0 && t.heldCount === 0) {
      t.onCpu = false;
      cpu.current = null;
      cpu.queue.push(t);
      this.queuedThreads++;
      t.runnable = true;
      this.dispatch(cpu);
      return;
    }
    this.step(t);
  }

  private finish(t: SimThread): void {
    t.dead = true;
    t.sub = null;
    if (t.spinTimer !== null) t.spinTimer.thread = null;
    t.spinTimer = null;
    this.liveThreads--;
    this.leaveCpu(t, false);
    if (t.reaped) this.spareThreads.push(t);
  }
}
