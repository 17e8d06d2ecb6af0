import type { ESLint } from 'eslint';

/** Types for scripts/boundaries.mjs (plain JS so eslint.config.js can load it without a build). */
export interface Boundary {
  readonly folders: readonly string[];
  readonly packages: readonly string[];
}
export const BOUNDARIES: Readonly<Record<string, Boundary>>;
export const TEST_PACKAGES: readonly string[];
export function folderOf(path: string): string | null;
export function importViolation(fromFile: string, specifier: string): string | null;
export const boundariesPlugin: ESLint.Plugin;
