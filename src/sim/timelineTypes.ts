/**
 * What the timeline view asks of a finished run, and what it gets back. The contract between the
 * simulator's timeline recorder (sim), the worker that keeps it (worker), the trace exporter
 * (report) and the timeline panel (render, components).
 *
 * A run keeps a multi-resolution summary in fixed memory (per-CPU state, lock waiters and lock
 * owners, decimated by level). A window narrower than the summary's finest level is served with
 * real events: the run is deterministic, so the worker re-simulates it and records every event
 * inside the window only (`exact: true`), up to `TIMELINE_EXACT_EVENT_CAP` events.
 *
 * Times are simulated nanoseconds from the run's start. CPU states index CPU_STATE_TABLE.
 */

/** A window of a run, at a resolution: what the panel is about to draw. */
export interface TimelineRequest {
  readonly fromNs: number;
  readonly toNs: number;
  /** Bins across the window: the track's width in device pixels, at most TIMELINE_MAX_BINS. */
  readonly bins: number;
  /** The CPU tracks wanted: all of them at 256 CPUs, a slice when zoomed in at 1024 or 4096. */
  readonly cpuFrom: number;
  readonly cpuCount: number;
  /**
   * Re-simulate for real events when the summary is coarser than a bin (true, the default);
   * never (false); or whatever the bins ('always': the trace export, which needs real events).
   */
  readonly exact?: boolean | 'always';
}

export const TIMELINE_MAX_BINS = 4096;
/** Real events a window holds at most; past it the window says so (`truncated`). */
export const TIMELINE_EXACT_EVENT_CAP = 400_000;
/** Value of cpuState for a bin the run had not reached (or no data). */
export const NO_STATE = 255;

export interface TimelineWindow {
  readonly fromNs: number;
  readonly toNs: number;
  readonly bins: number;
  /** (toNs - fromNs) / bins. */
  readonly binNs: number;
  /** Resolution the bins were built from, ns: binNs or finer when exact, else the summary level's. */
  readonly sourceNs: number;
  /**
   * Built on the page from the run's sample columns (what the timeline draws until the worker's
   * summary arrives), not from the summary.
   */
  readonly fromSamples?: true;
  readonly cpuFrom: number;
  readonly cpuCount: number;
  /**
   * Per CPU track and bin: the state the CPU spent most of the bin in
   * (cpuState[(cpu - cpuFrom) * bins + bin]), NO_STATE where the run had not reached.
   */
  readonly cpuState: Uint8Array;
  /** Share of the bin spent in that state, 0..255. */
  readonly cpuShare: Uint8Array;
  /**
   * Over all CPUs of the machine (not only the requested slice), the time-averaged number of CPUs
   * in each state per bin: stateCpus[bin * CPU_STATE_COUNT + state]. The density view draws it.
   */
  readonly stateCpus: Float32Array;
  /** The locks worth a track in this window, busiest first (at most TIMELINE_MAX_LOCK_TRACKS). */
  readonly locks: readonly TimelineLockTrack[];
  /** Real events (CPU spans, lock slices, hand-offs) rather than a summary level. */
  readonly exact: boolean;
  /** When exact: the CPU spans that intersect the window, for labels and hover. */
  readonly spans: TimelineSpans | null;
  /** Events dropped because the window held more than TIMELINE_EXACT_EVENT_CAP. */
  readonly truncated: number;
}

export const TIMELINE_MAX_LOCK_TRACKS = 8;

/** One CPU's run of one state; `thread` is the simulated thread on it, -1 when none. */
export interface TimelineSpans {
  readonly count: number;
  readonly cpu: Uint16Array;
  readonly state: Uint8Array;
  readonly startNs: Float64Array;
  readonly endNs: Float64Array;
  readonly thread: Int32Array;
}

export interface TimelineLockTrack {
  /** Lock class, as LockStats names it (e.g. "nr_bp_mutex"). */
  readonly lock: string;
  /** Which instance of the class ("task 17", "shard 3"), or "" for a single global lock. */
  readonly instance: string;
  /**
   * Owner slices in the window (exact), or the ones at least a summary frame long (summary).
   * Exact: a slice that had not ended when the re-simulation stopped ends at the stop (after
   * toNs). Shared (read) holders overlap; exclusive holders of one instance never do.
   */
  readonly slices: {
    readonly count: number;
    readonly startNs: Float64Array;
    readonly endNs: Float64Array;
    readonly thread: Int32Array;
    readonly cpu: Int32Array;
  };
  /** Slices in the window not listed (shorter than a bin in a summary, or past the cap). */
  readonly slicesOmitted: number;
  /** Time-averaged waiters per bin. */
  readonly spinning: Float32Array;
  readonly sleeping: Float32Array;
  /**
   * Summary windows: time-averaged owners per bin (1: held throughout; readers add up), counting
   * the slices too short to list, so the owner row shows a lock held by many short holds.
   */
  readonly held?: Float32Array;
  /**
   * Exact windows only: the waiters from each change on (the first entry at fromNs gives the
   * count the window starts with), for step charts and the trace's counters.
   */
  readonly waiterChanges?: {
    readonly count: number;
    readonly atNs: Float64Array;
    readonly spinning: Float32Array;
    readonly sleeping: Float32Array;
  };
  /**
   * One owner handing the lock to the next waiter (only when exact): a release (`atNs`, by
   * `fromThread` on `fromCpu`) and the waiter's acquisition that followed it (`grantNs`, by
   * `toThread` on `toCpu`), which waited for it. A reader-writer lock's release may hand off to
   * several readers at once.
   */
  readonly handoffs: {
    readonly count: number;
    readonly atNs: Float64Array;
    readonly grantNs: Float64Array;
    readonly fromThread: Int32Array;
    readonly toThread: Int32Array;
    readonly fromCpu: Int32Array;
    readonly toCpu: Int32Array;
  };
}

/** A lock track's hand-offs when there are none to show (a summary, or samples). */
export function emptyHandoffs(): TimelineLockTrack['handoffs'] {
  return {
    count: 0,
    atNs: new Float64Array(0),
    grantNs: new Float64Array(0),
    fromThread: new Int32Array(0),
    toThread: new Int32Array(0),
    fromCpu: new Int32Array(0),
    toCpu: new Int32Array(0),
  };
}
