/**
 * Bit-identical check of the simulator: every run's result (all fields; no host-dependent wall
 * time) and a SHA-256 of its sample columns, for the seed scenario, the heavier one, the mixed
 * workload and split-pool cases, every design. Optimisations must leave this output unchanged.
 *
 *   npm run bench:json > before.json          # save
 *   npm run bench:json -- --check before.json # compare; exits 1 naming the first difference
 *   npm run bench:json -- --check before.json --only seed,mixed   # some cases only
 *   npm run bench:json -- --check             # compare with bench-json.reference.json
 *
 * bench-json.reference.json is the output before the speed work of issue 11 (commit 06c9a05):
 * every optimisation since leaves it unchanged. A change meant to change results (the model, the
 * costs) regenerates it: `npm run --silent bench:json > scripts/bench-json.reference.json`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DESIGN_IDS } from '../src/engine/types.ts';
import { DEFAULT_SCENARIO, type Scenario } from '../src/scenario/scenario.ts';
import { scenarioFromQuery } from '../src/scenario/url.ts';
import { createSimulation } from '../src/sim/simulation.ts';

const seed = DEFAULT_SCENARIO;
const CASES: Record<string, Scenario> = {
  seed,
  heavy: { ...seed, thread: { repeat: 100, breakpoints: 4, parallelism: 128, threads: 512 } },
  mixed: { ...seed, workload: 'mixed' },
  'mixed-split': { ...scenarioFromQuery('workload=mixed&pools=split&cpus=8').scenario },
  'split-thread': {
    ...seed,
    pools: 'split',
    cpus: 16,
    slots: 2,
    thread: { ...seed.thread, breakpoints: 3 },
  },
  'few-tasks': scenarioFromQuery('cpus=16&b=1&p=2&t=4&r=10').scenario,
};

function hashSamples(samples: object): string {
  const h = createHash('sha256');
  for (const [name, value] of Object.entries(samples)) {
    h.update(name);
    if (ArrayBuffer.isView(value)) {
      h.update(String(value.byteLength));
      h.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    } else h.update(JSON.stringify(value));
  }
  return h.digest('hex');
}

const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : null;

function runAll(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, scenario] of Object.entries(CASES)) {
    if (only !== null && !only.includes(name)) continue;
    for (const design of DESIGN_IDS) {
      const sim = createSimulation(scenario, design);
      while (!sim.advance(1_000_000).done) {
        // to completion
      }
      out[`${name}/${design}`] = {
        result: sim.result(),
        samplesSha256: hashSamples(sim.samples()),
      };
    }
  }
  return out;
}

/** The first path at which `a` and `b` differ, or null. */
function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (
    typeof a !== typeof b ||
    Array.isArray(a) !== Array.isArray(b) ||
    (a === null) !== (b === null)
  )
    return path;
  if (typeof a === 'object' && a !== null) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])];
    for (const k of keys) {
      const d = firstDifference(ao[k], bo[k], `${path}.${k}`);
      if (d !== null) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : path;
}

const checkAt = process.argv.indexOf('--check');
const current = JSON.parse(JSON.stringify(runAll())) as unknown;
if (checkAt < 0) {
  console.log(JSON.stringify(current, null, 1));
} else {
  const given = process.argv[checkAt + 1];
  const file =
    given === undefined || given.startsWith('--')
      ? fileURLToPath(new URL('bench-json.reference.json', import.meta.url))
      : given;
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const saved =
    only === null
      ? all
      : Object.fromEntries(
          Object.entries(all).filter(([k]) => only.includes(k.slice(0, k.indexOf('/')))),
        );
  const diff = firstDifference(saved, current, '$');
  if (diff === null) {
    console.log(`bench-json: identical to ${file}`);
  } else {
    const get = (o: unknown): unknown =>
      diff
        .split('.')
        .slice(1)
        .reduce<unknown>((x, k) => (x as Record<string, unknown> | undefined)?.[k], o);
    console.error(
      `bench-json: differs from ${file} at ${diff}: ${JSON.stringify(get(saved))} → ${JSON.stringify(get(current))}`,
    );
    process.exitCode = 1;
  }
}
