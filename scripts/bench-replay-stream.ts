/**
 * `npm run bench:replay-stream`: replay --costs over 2,000,000 seeded random operations from a
 * temp file, through the command's own streaming path (runReplayStreaming, as `sim replay`
 * runs it) with stdout into a counting sink, and the same over 200,000 operations; then the
 * 2,000,000 again from stdin, which replay spools to a temporary file. Each run is a child
 * process of its own, so its peak RSS is its own. Prints wall time, output size, peak RSS and
 * peak live heap (heap used + external right after a full gc, every 2 s) for each.
 *
 * Replay reads its input twice (validate, then print), keeping only what is held at once, so
 * memory is flat in the input size: the run fails unless the 2M peaks are within LIMIT of the
 * 200k ones. (Before the two passes, validation kept ~65 bytes an operation: 161 MiB of peak
 * RSS for 200k, 282 MiB for 2M; before streaming output, the output as one string ended in
 * `RangeError: Invalid string length` at 3.8 GB for 1M operations.)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { randomReplayInput } from '../src/cli/random-ops.ts';
import { runReplayStreaming } from '../src/cli/replay.ts';

const CPUS = 256;
const TASKS = 5_000;
const SEED = 20220829;
const SMALL = 200_000;
const LARGE = 2_000_000;
const MB = 1024 * 1024;
/** The most the 2M peaks (RSS, heap) may be over the 200k ones: memory is flat in the input. */
const LIMIT = 1.2;

interface ChildReport {
  readonly ops: number;
  readonly from: 'file' | 'stdin';
  readonly exitCode: number;
  readonly stderr: string;
  readonly wallS: number;
  readonly lines: number;
  readonly bytes: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
}

/**
 * Child: replays FILE (or stdin, when `file` is '-') with --costs into a counting sink and
 * prints a ChildReport as JSON.
 */
async function child(file: string, ops: number): Promise<void> {
  let bytes = 0;
  let lines = 0;
  let stderr = '';
  let peakHeap = 0;
  // The live heap: heap used and external (buffers, typed arrays) right after a full gc, every
  // 2 s, so garbage not yet collected (which V8 lets grow on a long run) is not counted.
  const gc = runInNewContext('gc') as () => void;
  let lastGc = -Infinity;
  const sample = (): void => {
    const now = performance.now();
    if (now - lastGc < 2000) return;
    lastGc = now;
    gc();
    const memory = process.memoryUsage();
    peakHeap = Math.max(peakHeap, memory.heapUsed + memory.external);
  };
  // Pass 1 writes nothing: sample on a timer too.
  const timer = setInterval(sample, 100);
  const start = performance.now();
  const exitCode = await runReplayStreaming(['--cpus', String(CPUS), '--costs', file], {
    stdin: () => process.stdin,
    stdout: (text) => {
      bytes += Buffer.byteLength(text);
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
      if (lines % 16 === 0) sample();
    },
    stderr: (text) => void (stderr += text),
  });
  clearInterval(timer);
  lastGc = -Infinity;
  sample();
  const report: ChildReport = {
    ops,
    from: file === '-' ? 'stdin' : 'file',
    exitCode,
    stderr,
    wallS: (performance.now() - start) / 1000,
    lines,
    bytes,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    peakHeapMb: peakHeap / MB,
  };
  console.log(JSON.stringify(report));
}

function runChild(file: string, ops: number, from: 'file' | 'stdin'): ChildReport {
  const script = fileURLToPath(import.meta.url);
  const input = from === 'stdin' ? openSync(file, 'r') : 'ignore';
  try {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', script, '--child', from === 'stdin' ? '-' : file, String(ops)],
      { encoding: 'utf8', maxBuffer: 16 * MB, stdio: [input, 'pipe', 'pipe'] },
    );
    if (run.status !== 0) throw new Error(`bench child failed (${run.status}): ${run.stderr}`);
    return JSON.parse(run.stdout) as ChildReport;
  } finally {
    if (typeof input === 'number') closeSync(input);
  }
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'bench-replay-stream-'));
  const reports: ChildReport[] = [];
  const runs: [number, 'file' | 'stdin'][] = [
    [SMALL, 'file'],
    [LARGE, 'file'],
    [LARGE, 'stdin'],
  ];
  try {
    for (const ops of [SMALL, LARGE]) {
      const file = join(dir, `ops-${ops}.jsonl`);
      const generateStart = performance.now();
      writeFileSync(file, randomReplayInput({ ops, cpus: CPUS, tasks: TASKS, seed: SEED }));
      const generateS = (performance.now() - generateStart) / 1000;
      console.log(
        `${ops.toLocaleString('en-US')} ops (${CPUS} CPUs, ${TASKS} tasks, seed ${SEED}): ` +
          `input generated in ${generateS.toFixed(1)} s, not timed`,
      );
      for (const [size, from] of runs) {
        if (size !== ops) continue;
        const report = runChild(file, ops, from);
        reports.push(report);
        console.log(
          `  replay --costs from ${from}: wall ${report.wallS.toFixed(1)} s, ` +
            `${report.lines.toLocaleString('en-US')} lines, ${(report.bytes / MB).toFixed(0)} MiB out; ` +
            `peak RSS ${report.peakRssMb.toFixed(0)} MiB, ` +
            `peak live heap ${report.peakHeapMb.toFixed(0)} MiB`,
        );
      }
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const small = reports[0]!;
  const ratio = (a: number, b: number): string => `${(b / a).toFixed(2)}×`;
  for (const large of reports.slice(1)) {
    console.log(
      `10× the operations from ${large.from} (${ratio(small.bytes, large.bytes)} the output): ` +
        `peak RSS ${ratio(small.peakRssMb, large.peakRssMb)}, ` +
        `heap ${ratio(small.peakHeapMb, large.peakHeapMb)} (limit ${LIMIT}×)`,
    );
    if (large.peakRssMb > LIMIT * small.peakRssMb || large.peakHeapMb > LIMIT * small.peakHeapMb) {
      console.error(`bench: memory grew with the input (over ${LIMIT}× the 200k run)`);
      process.exitCode = 1;
    }
  }
  for (const report of reports) {
    if (report.exitCode !== 0 || report.lines !== report.ops) {
      console.error(
        `bench: replay exited ${report.exitCode}, ${report.lines} lines: ${report.stderr}`,
      );
      process.exitCode = 1;
    }
  }
}

const [mode, file, ops] = process.argv.slice(2);
if (mode === '--child') setFlagsFromString('--expose-gc');
if (mode === '--child' && file !== undefined) await child(file, Number(ops));
else main();
