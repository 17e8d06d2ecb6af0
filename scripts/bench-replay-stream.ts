/**
 * `npm run bench:replay-stream`: replay --costs over 2,000,000 seeded random operations from a
 * temp file, through the command's own streaming path (runReplayStreaming, as `sim replay`
 * runs it) with stdout into a counting sink, and the same over 200,000 operations. Each size
 * runs in a child process of its own, so its peak RSS is its own. Prints wall time, output
 * size, peak RSS and peak heap (sampled every 16 lines written) for both. Memory grows with the
 * operations kept for validation (a few dozen bytes each), not with the output (gigabytes),
 * which as one string ended in `RangeError: Invalid string length` at 3.8 GB for 1M operations.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { randomReplayInput } from '../src/cli/random-ops.ts';
import { runReplayStreaming } from '../src/cli/replay.ts';

const CPUS = 256;
const TASKS = 5_000;
const SEED = 20220829;
const SIZES = [200_000, 2_000_000];
const MB = 1024 * 1024;

interface ChildReport {
  readonly ops: number;
  readonly exitCode: number;
  readonly stderr: string;
  readonly wallS: number;
  readonly lines: number;
  readonly bytes: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
}

/** Child: replays FILE with --costs into a counting sink and prints a ChildReport as JSON. */
async function child(file: string, ops: number): Promise<void> {
  let bytes = 0;
  let lines = 0;
  let stderr = '';
  let peakHeap = 0;
  const sample = (): void => {
    const memory = process.memoryUsage();
    // Heap and off-heap memory (`external` holds the typed-array columns and buffers).
    peakHeap = Math.max(peakHeap, memory.heapUsed + memory.external);
  };
  const start = performance.now();
  const exitCode = await runReplayStreaming(['--cpus', String(CPUS), '--costs', file], {
    stdin: () => {
      throw new Error('the bench reads a file');
    },
    stdout: (text) => {
      bytes += Buffer.byteLength(text);
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
      if (lines % 16 === 0) sample();
    },
    stderr: (text) => void (stderr += text),
  });
  sample();
  const report: ChildReport = {
    ops,
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

function runChild(file: string, ops: number): ChildReport {
  const script = fileURLToPath(import.meta.url);
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, '--child', file, String(ops)],
    { encoding: 'utf8', maxBuffer: 16 * MB },
  );
  if (run.status !== 0) throw new Error(`bench child failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as ChildReport;
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'bench-replay-stream-'));
  const reports: ChildReport[] = [];
  try {
    for (const ops of SIZES) {
      const file = join(dir, `ops-${ops}.jsonl`);
      const generateStart = performance.now();
      writeFileSync(file, randomReplayInput({ ops, cpus: CPUS, tasks: TASKS, seed: SEED }));
      const generateS = (performance.now() - generateStart) / 1000;
      const report = runChild(file, ops);
      reports.push(report);
      console.log(
        `replay --costs: ${ops.toLocaleString('en-US')} ops (${CPUS} CPUs, ${TASKS} tasks, seed ${SEED}; ` +
          `input generated in ${generateS.toFixed(1)} s, not timed)`,
      );
      console.log(
        `  wall ${report.wallS.toFixed(1)} s, ${report.lines.toLocaleString('en-US')} lines, ` +
          `${(report.bytes / MB).toFixed(0)} MiB out; peak RSS ${report.peakRssMb.toFixed(0)} MiB, ` +
          `peak heap+buffers ${report.peakHeapMb.toFixed(0)} MiB`,
      );
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [small, large] = reports as [ChildReport, ChildReport];
  const ratio = (a: number, b: number): string => `${(b / a).toFixed(2)}×`;
  console.log(
    `10× the operations (${ratio(small.bytes, large.bytes)} the output): ` +
      `peak RSS ${ratio(small.peakRssMb, large.peakRssMb)}, heap ${ratio(small.peakHeapMb, large.peakHeapMb)}`,
  );
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
if (mode === '--child' && file !== undefined) await child(file, Number(ops));
else main();
