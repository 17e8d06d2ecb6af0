/**
 * replay's stdin spool. Replay reads its input twice (validate everything, then print), and
 * stdin cannot be rewound, so the first pass copies stdin byte for byte into a file of its own:
 * a directory made by mkdtemp in os.tmpdir() (mode 0700), removed when replay ends, by a
 * `finally` in replay, and by sim.ts on exit and on SIGINT/SIGTERM/SIGHUP (removeSpools()).
 *
 * Everything is synchronous: a write is one 64 KiB chunk to a local file, and an error (a full
 * disk) is thrown at the write that failed, as SpoolError, which replay turns into one line.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A spool that could not be made or written: `code` is the errno name (ENOSPC, EACCES, …). */
export class SpoolError extends Error {
  constructor(
    readonly dir: string,
    readonly code: string,
  ) {
    super(`cannot spool stdin to ${dir}: ${code}`);
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | null)?.code ?? 'EIO';
}

/** Spools not yet removed, for removeSpools(). */
const live = new Set<StdinSpool>();

/** One spool file, written once in order, then read back by path. */
export class StdinSpool {
  private fd: number | null;
  /** Bytes written so far. */
  size = 0;

  private constructor(
    readonly dir: string,
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Makes the spool in a new directory under `parent` (os.tmpdir() by default). */
  static create(parent: string = tmpdir()): StdinSpool {
    let dir: string;
    try {
      dir = mkdtempSync(join(parent, 'slotscope-replay-'));
    } catch (error) {
      throw new SpoolError(parent, codeOf(error));
    }
    const path = join(dir, 'stdin.jsonl');
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw new SpoolError(parent, codeOf(error));
    }
    const spool = new StdinSpool(dir, path, fd);
    live.add(spool);
    return spool;
  }

  /** Appends bytes; throws SpoolError when the disk refuses them. */
  write(bytes: Uint8Array): void {
    if (this.fd === null) throw new Error('stdin spool: write after finish');
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at);
    } catch (error) {
      throw new SpoolError(this.dir, codeOf(error));
    }
    this.size += bytes.length;
  }

  /** Closes the file for writing; the spool can then be read from `path`. */
  finish(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch (error) {
      throw new SpoolError(this.dir, codeOf(error));
    }
  }

  /** Closes and deletes the spool and its directory; safe to call twice. */
  remove(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // Removing is all that is left to do.
      }
      this.fd = null;
    }
    live.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Removes every spool still there (process exit, a signal). Synchronous. */
export function removeSpools(): void {
  for (const spool of [...live]) {
    try {
      spool.remove();
    } catch {
      // Best effort: the process is going away.
    }
  }
}

/** How many spools exist right now (tests check none is left behind). */
export function liveSpools(): number {
  return live.size;
}
