/**
 * The workloads, keyed by the scenario's WorkloadKind: a new workload is a file beside this one
 * and a line here (the Record makes the compiler ask for it).
 */
import type { WorkloadKind } from '../../scenario/scenario.ts';
import type { WorkloadDefinition } from './common.ts';
import { mixedWorkload } from './mixed.ts';
import { threadWorkload } from './thread.ts';

export const WORKLOADS: Readonly<Record<WorkloadKind, WorkloadDefinition>> = {
  thread: threadWorkload,
  mixed: mixedWorkload,
};

export type { Workload, WorkloadContext, WorkloadDefinition } from './common.ts';
export { threadAccountingOps } from './thread.ts';
