/**
 * How the page and the command line name each design: the series' step and what it changed.
 */
import type { DesignId } from '../engine/types.ts';

export const DESIGN_LABELS: Readonly<Record<DesignId, string>> = {
  list: 'list (before the series: global list + nr_bp_mutex)',
  rhltable: 'rhltable (per-task hash table, global mutex)',
  sharded: 'sharded (v1: rwlock + sharded task mutexes)',
  rwsem: 'rwsem (percpu-rwsem + per-task mutex)',
  final: 'final (Linux 6.1: + CPU-independent histograms)',
  ideal: 'ideal (accounting disabled)',
};
