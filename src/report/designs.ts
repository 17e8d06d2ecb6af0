/**
 * How the page and the command line name each design: a short name (the id the URL and the
 * CLI use) and what the series' step changed. Consumers pick the part they show; nobody cuts a
 * label apart.
 */
import { DESIGN_IDS, type DesignId } from '../engine/types.ts';

export interface DesignNaming {
  /** The id as typed on the command line and in the URL: `list`, `final`. */
  readonly name: DesignId;
  /** What this step of the series changed, in a few words. */
  readonly description: string;
}

export const DESIGNS: Readonly<Record<DesignId, DesignNaming>> = {
  list: { name: 'list', description: 'before the series: global list + nr_bp_mutex' },
  rhltable: { name: 'rhltable', description: 'per-task hash table, global mutex' },
  sharded: { name: 'sharded', description: 'v1: rwlock + sharded task mutexes' },
  rwsem: { name: 'rwsem', description: 'percpu-rwsem + per-task mutex' },
  final: { name: 'final', description: 'Linux 6.1: + CPU-independent histograms' },
  ideal: { name: 'ideal', description: 'accounting disabled' },
};

/** "list (before the series: global list + nr_bp_mutex)", for pickers. */
export function designLabel(design: DesignId): string {
  const { name, description } = DESIGNS[design];
  return `${name} (${description})`;
}

export const DESIGN_LABELS: Readonly<Record<DesignId, string>> = Object.fromEntries(
  DESIGN_IDS.map((design) => [design, designLabel(design)]),
) as Record<DesignId, string>;
