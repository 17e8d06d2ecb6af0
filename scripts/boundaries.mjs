/**
 * The folders under src/ and what each may import: one table, read by ESLint (the rule below,
 * wired in eslint.config.js) and by scripts/boundaries.test.ts (which also fails on any import
 * cycle between folders). docs/architecture.md draws the same arrows; each folder's README states
 * its row in words.
 *
 * `folders`: the src/ folders a file may import from (its own folder always). `packages`: the npm
 * packages it may import (a trailing `*` matches a prefix, so `node:*` is every Node built-in).
 * Test files (`*.test.ts`) may also import the test tools.
 */

/** @typedef {{ readonly folders: readonly string[], readonly packages: readonly string[] }} Boundary */

/** @type {Readonly<Record<string, Boundary>>} */
export const BOUNDARIES = {
  // The kernel model: decisions and work counts. Imports nothing.
  engine: { folders: [], packages: [] },
  // The scenario type, its limits, the cost parameters and the URL codec.
  scenario: { folders: ['engine'], packages: [] },
  // The discrete-event simulator.
  sim: { folders: ['engine', 'scenario'], packages: [] },
  // Text both the CLI and the page print: perf bench's format, published figures, units.
  // ml-levenberg-marquardt: the sweep's USL fit, which the page and `sim sweep` must share.
  // d3-array: the round tick values of a time axis (durationTicks), beside the unit they are in.
  report: {
    folders: ['engine', 'scenario', 'sim'],
    packages: ['d3-array', 'd3-format', 'ml-levenberg-marquardt'],
  },
  // Pure, memoized derivations for the panels.
  derive: { folders: ['engine', 'scenario', 'sim', 'report'], packages: ['d3-array', 'd3-format'] },
  // Imperative drawing, no React.
  render: {
    folders: ['engine', 'scenario', 'sim', 'report', 'derive'],
    packages: ['d3-array', 'd3-color', 'd3-format', 'd3-scale', 'd3-scale-chromatic', 'd3-shape'],
  },
  // The simulation off the main thread, and the trace file it writes there (report/traceEvent).
  worker: { folders: ['engine', 'scenario', 'sim', 'report'], packages: ['comlink'] },
  // zustand stores, the run controller, window.history.
  state: {
    folders: ['engine', 'scenario', 'sim', 'report', 'derive', 'worker'],
    packages: ['zustand*'],
  },
  // The `sim` command.
  cli: { folders: ['engine', 'scenario', 'sim', 'report'], packages: ['node:*'] },
  // React panels: may use everything below them.
  components: {
    folders: ['engine', 'scenario', 'sim', 'report', 'derive', 'render', 'state', 'worker'],
    packages: ['react', 'react-dom*', 'react/*', 'zustand*', 'd3-*'],
  },
};

/** Packages any test file may import, beside its folder's own (trace_engine: an independent reader of our trace export). */
export const TEST_PACKAGES = ['vitest', 'fast-check', 'node:*', '@paulirish/trace_engine'];

const SRC = '/src/';

/**
 * The src/ folder a path lies in ('engine', 'sim', ...), '' for a file directly in src/ (the page's
 * entry, which wires everything), or null outside src/.
 * @param {string} path an absolute or root-relative path with forward slashes
 * @returns {string | null}
 */
export function folderOf(path) {
  const normalized = path.replaceAll('\\', '/');
  const at = normalized.lastIndexOf(SRC);
  if (at < 0) return null;
  const rest = normalized.slice(at + SRC.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? '' : rest.slice(0, slash);
}

/**
 * @param {string} specifier
 * @param {readonly string[]} allowed
 */
function packageAllowed(specifier, allowed) {
  return allowed.some((pattern) =>
    pattern.endsWith('*')
      ? specifier.startsWith(pattern.slice(0, -1))
      : specifier === pattern || specifier.startsWith(`${pattern}/`),
  );
}

/**
 * Resolves `../sim/types.ts` against the importing file's directory, string-wise.
 * @param {string} fromFile
 * @param {string} specifier
 */
function resolveRelative(fromFile, specifier) {
  const parts = fromFile.replaceAll('\\', '/').split('/');
  parts.pop();
  for (const segment of specifier.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.') parts.push(segment);
  }
  return parts.join('/');
}

/**
 * Why `fromFile` may not import `specifier`, or null when it may.
 * @param {string} fromFile
 * @param {string} specifier
 * @returns {string | null}
 */
export function importViolation(fromFile, specifier) {
  const from = folderOf(fromFile);
  if (from === null || from === '') return null;
  const boundary = BOUNDARIES[from];
  if (!boundary) return `src/${from}/ is not in the boundary table (scripts/boundaries.mjs)`;
  const isTest = /\.test\.tsx?$/.test(fromFile);
  if (specifier.startsWith('.')) {
    const to = folderOf(resolveRelative(fromFile, specifier));
    if (to === null) return `src/${from}/ may not import outside src/ (${specifier})`;
    if (to === from || boundary.folders.includes(to)) return null;
    const allowed = boundary.folders.length ? boundary.folders.join(', ') : 'no other folder';
    return `src/${from}/ may not import src/${to === '' ? '' : `${to}/`} (allowed: ${allowed})`;
  }
  const packages = isTest ? [...boundary.packages, ...TEST_PACKAGES] : boundary.packages;
  if (packageAllowed(specifier, packages)) return null;
  const allowed = packages.length ? packages.join(', ') : 'no package';
  return `src/${from}/ may not import '${specifier}' (allowed: ${allowed})`;
}

/** The ESLint rule: every import, re-export and dynamic import checked against the table. */
const rule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Each src/ folder imports only what its row in scripts/boundaries.mjs allows.',
    },
    schema: [],
  },
  /** @param {any} context */
  create(context) {
    const file = context.filename ?? context.getFilename();
    /** @param {any} node */
    const check = (node) => {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const why = importViolation(file, source.value);
      if (why) context.report({ node: source, message: why });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export const boundariesPlugin = { rules: { imports: rule } };
