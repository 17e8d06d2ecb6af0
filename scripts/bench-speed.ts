/**
 * The simulator's speed against earlier commits, measured side by side on this machine now: each
 * commit is checked out in a temporary worktree and the same runs alternate between it and this
 * tree, so load and thermal state weigh on both alike. (Figures recorded on another day are not a
 * baseline: this machine is shared, and its load moves CPU time by 1.5x or more.)
 *
 *   npm run bench:speed [-- --baseline REV[,REV...]] [--rounds N] [--case heavier,seed-list,...]
 *
 * Default baselines:
 *   06c9a05  the post-series model before the speed work (bench-json.reference.json is its
 *            output, so its results are those of this tree: the same computation, timed);
 *   56ffd9c  the simulator as issue 11 measured it, on the model before the thread-lifecycle
 *            fix (a different computation: its runs have fewer events, so it is compared per event
 *            as well as per run).
 *
 * Each round runs every target once per case in a fresh process (one warm-up run, then two timed);
 * a target's figure is its lowest CPU time (user + system) over the rounds, the least disturbed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Case {
  readonly design: string;
  readonly thread: { repeat: number; breakpoints: number; parallelism: number; threads: number };
}

const CASES: Record<string, Case> = {
  heavier: {
    design: 'final',
    thread: { repeat: 100, breakpoints: 4, parallelism: 128, threads: 512 },
  },
  'seed-list': {
    design: 'list',
    thread: { repeat: 30, breakpoints: 4, parallelism: 64, threads: 64 },
  },
  'seed-final': {
    design: 'final',
    thread: { repeat: 30, breakpoints: 4, parallelism: 64, threads: 64 },
  },
};

/**
 * What a target's process runs: the target tree's own simulation module, whatever its API was
 * then (createSimulation(scenario, design[, budget]); an older tree ignores the budget).
 */
const RUNNER = `
import { pathToFileURL } from 'node:url';
const [dir, design, threadJson, timedRuns] = process.argv.slice(2);
const sim = await import(pathToFileURL(dir + '/src/sim/simulation.ts').href);
const { DEFAULT_SCENARIO } = await import(pathToFileURL(dir + '/src/scenario/scenario.ts').href);
let budget;
try {
  budget = (await import(pathToFileURL(dir + '/src/sim/budget.ts').href)).CLI_BUDGET;
} catch {}
const scenario = { ...DEFAULT_SCENARIO, thread: JSON.parse(threadJson) };
const once = () => {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const s = sim.createSimulation(scenario, design, budget);
  while (!s.advance(1_000_000).done) {}
  const r = s.result();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1e3, wallMs: performance.now() - wall, events: r.events, usecsPerOp: r.usecsPerOp };
};
once();
const runs = [];
for (let i = 0; i < Number(timedRuns); i++) runs.push(once());
console.log(JSON.stringify(runs));
`;

interface Run {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly events: number;
  readonly usecsPerOp: number;
}

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const baselines = (option('--baseline') ?? '06c9a05,56ffd9c').split(',').filter(Boolean);
const rounds = Number(option('--rounds') ?? 3);
const caseNames = (option('--case') ?? Object.keys(CASES).join(',')).split(',');
for (const name of caseNames) {
  if (!(name in CASES)) {
    console.error(`bench:speed: no case '${name}' (cases: ${Object.keys(CASES).join(', ')})`);
    process.exit(2);
  }
}
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error('bench:speed: --rounds takes a whole number of at least 1');
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'slotscope-speed-'));
const runner = join(scratch, 'runner.mts');
writeFileSync(runner, RUNNER);

/** A detached worktree of `rev` sharing this tree's node_modules. */
function checkout(rev: string): string {
  const dir = join(scratch, rev.replace(/[^\w.-]/g, '_'));
  execFileSync('git', ['-C', root, 'worktree', 'add', '--detach', '--quiet', dir, rev], {
    stdio: 'inherit',
  });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

const targets: { label: string; dir: string }[] = [];
try {
  for (const rev of baselines) targets.push({ label: rev, dir: checkout(rev) });
  targets.push({ label: 'this tree', dir: root });
  measure();
} finally {
  for (const t of targets) {
    if (t.dir !== root) execFileSync('git', ['-C', root, 'worktree', 'remove', '--force', t.dir]);
  }
  rmSync(scratch, { recursive: true, force: true });
}

function runTarget(dir: string, c: Case): Run[] {
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      existsSync(tsx) ? tsx : 'tsx',
      runner,
      dir,
      c.design,
      JSON.stringify(c.thread),
      '2',
    ],
    { encoding: 'utf8', cwd: dir },
  );
  if (child.status !== 0) throw new Error(`run in ${dir} failed: ${child.stderr.slice(0, 500)}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as Run[];
}

function measure(): void {
  const load = (): string =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(
    `${rounds} rounds, each target in turn; lowest CPU time of its runs; load average ${load()} on ${availableParallelism()} cores`,
  );
  for (const name of caseNames) {
    const c = CASES[name] as Case;
    const runs = new Map<string, Run[]>(targets.map((t) => [t.label, []]));
    for (let r = 0; r < rounds; r++) {
      for (const t of targets) runs.get(t.label)?.push(...runTarget(t.dir, c));
    }
    const t = c.thread;
    console.log(
      `\n${name}: -r ${t.repeat} -b ${t.breakpoints} -p ${t.parallelism} -t ${t.threads}, ${c.design}`,
    );
    console.log(
      'target'.padEnd(10),
      'cpu ms'.padStart(7),
      'wall ms'.padStart(8),
      'events'.padStart(9),
      'events/cpu-s'.padStart(13),
      'usecs/op'.padStart(10),
      'speedup'.padStart(8),
      'per event'.padStart(10),
    );
    const best = (label: string): Run =>
      (runs.get(label) as Run[]).reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
    const now = best('this tree');
    for (const target of targets) {
      const b = best(target.label);
      const perEvent = b.cpuMs / b.events / (now.cpuMs / now.events);
      console.log(
        target.label.padEnd(10),
        b.cpuMs.toFixed(0).padStart(7),
        b.wallMs.toFixed(0).padStart(8),
        String(b.events).padStart(9),
        ((b.events / b.cpuMs) * 1e3).toFixed(0).padStart(13),
        b.usecsPerOp.toFixed(2).padStart(10),
        `${(b.cpuMs / now.cpuMs).toFixed(2)}x`.padStart(8),
        `${perEvent.toFixed(2)}x`.padStart(10),
        b.usecsPerOp === now.usecsPerOp ? '' : '  (another model: different results)',
      );
    }
  }
  console.log(`\nload average ${load()}`);
}
