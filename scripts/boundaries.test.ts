/**
 * The folder boundaries hold for the tree as it is, and the lint rule that enforces them fails on
 * a forbidden import. Also: no import cycle between folders, whether or not the table allows it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BOUNDARIES, boundariesPlugin, folderOf, importViolation } from './boundaries.mjs';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every import, re-export and dynamic import of each source file, as written. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** Folder → folders it imports, from the source tree. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    if (from === null || from === '') continue;
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const specifier of importsOf(file)) {
      if (!specifier.startsWith('.')) continue;
      const to = folderOf(join(file, '..', specifier));
      if (to !== null && to !== '' && to !== from) edges.add(to);
    }
  }
  return graph;
}

/** One cycle of the graph as a path (first node repeated at the end), or null. */
function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

function lint(filePath: string, code: string): string[] {
  const linter = new Linter();
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts', '**/*.tsx'],
        languageOptions: { parser: tseslint.parser },
        plugins: { boundaries: boundariesPlugin },
        rules: { 'boundaries/imports': 'error' },
      },
    ],
    join(ROOT, filePath),
  );
  return messages.map((m) => m.message);
}

describe('folder boundaries', () => {
  it('lint fails on a probe that imports React into derive, and passes it in components', () => {
    const probe = "import { useState } from 'react';\nexport const x = useState;\n";
    expect(lint('src/derive/probe.ts', probe)).toEqual([
      "src/derive/ may not import 'react' (allowed: d3-array, d3-format)",
    ]);
    expect(lint('src/components/probe/Probe.tsx', probe)).toEqual([]);
  });

  it('lint fails on an upward import in every folder, re-exports and dynamic imports included', () => {
    for (const folder of Object.keys(BOUNDARIES)) {
      if (folder === 'components') continue;
      const file = `src/${folder}/probe.ts`;
      expect(lint(file, "export * from '../components/app/App.tsx';\n")).toHaveLength(1);
      expect(lint(file, "export const p = import('../components/app/App.tsx');\n")).toHaveLength(1);
    }
    expect(
      lint('src/engine/probe.ts', "import type { Scenario } from '../scenario/scenario.ts';\n"),
    ).toEqual(['src/engine/ may not import src/scenario/ (allowed: no other folder)']);
  });

  it('every folder under src/ has a row, and every import in the tree is allowed by it', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual(Object.keys(BOUNDARIES).sort());
    const violations = sourceFiles(SRC).flatMap((file) =>
      importsOf(file)
        .map((specifier) => importViolation(file, specifier))
        .filter((why): why is string => why !== null)
        .map((why) => `${relative(ROOT, file)}: ${why}`),
    );
    expect(violations).toEqual([]);
  });

  it('no import cycle between folders in the tree, nor in the table', () => {
    expect(findCycle(folderGraph())).toBeNull();
    const table = new Map(Object.entries(BOUNDARIES).map(([f, b]) => [f, new Set(b.folders)]));
    expect(findCycle(table)).toBeNull();
  });

  it('the cycle finder finds a cycle', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
  });
});
