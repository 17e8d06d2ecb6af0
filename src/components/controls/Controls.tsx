import { useState } from 'react';
import type { PoolMode } from '../../engine/types.ts';
import {
  SCENARIO_LIMITS,
  type MixedWorkload,
  type Scenario,
  type ThreadWorkload,
  type WorkloadKind,
} from '../../scenario/scenario.ts';
import { COST_PARAMS, DEFAULT_COSTS, type CostParams } from '../../scenario/costs.ts';
import { useScenarioShallow, useServices } from '../app/services.tsx';
import { DesignPicker } from './DesignPicker.tsx';
import { NumberControl } from './NumberControl.tsx';

interface Field<K extends string> {
  readonly key: K;
  readonly label: string;
  readonly flag?: string;
  readonly scale?: 'linear' | 'log';
}

/** perf bench's flags, in the order its usage line gives them. */
const THREAD_FIELDS: ReadonlyArray<Field<keyof ThreadWorkload>> = [
  { key: 'breakpoints', label: 'Breakpoints per thread', flag: '-b' },
  { key: 'parallelism', label: 'Worker threads', flag: '-p', scale: 'log' },
  { key: 'threads', label: 'Threads per batch', flag: '-t', scale: 'log' },
  { key: 'repeat', label: 'Batches in total', flag: '-r', scale: 'log' },
];

const MIXED_FIELDS: ReadonlyArray<Field<keyof MixedWorkload>> = [
  { key: 'tasks', label: 'Tasks', scale: 'log' },
  { key: 'bpsPerTask', label: 'Breakpoints per task' },
  { key: 'pinnedPercent', label: 'Pinned to one CPU (%)' },
  { key: 'cpuBound', label: 'CPU-bound breakpoints', scale: 'log' },
  { key: 'churnPerMs', label: 'Churn (operations per ms)' },
  { key: 'cpuBoundChurnPercent', label: 'CPU-bound share of churn (%)' },
  { key: 'durationMs', label: 'Duration (ms)', scale: 'log' },
];

type UpdateScenario = (change: (s: Scenario) => Scenario) => void;

function CostDrawer({
  costs,
  update,
}: {
  readonly costs: Partial<CostParams>;
  readonly update: UpdateScenario;
}) {
  const overrides = Object.keys(costs).length;
  return (
    <details className="drawer">
      <summary>Cost model (advanced){overrides > 0 ? `: ${overrides} changed` : ''}</summary>
      <p className="hint">
        Every physical cost the simulator charges;{' '}
        <a href="#model-4-cost-parameters">About the model: cost parameters</a> explains each.
      </p>
      {COST_PARAMS.map((info) => (
        <NumberControl
          key={info.key}
          label={`${info.label} (${info.unit})`}
          value={costs[info.key] ?? DEFAULT_COSTS[info.key]}
          min={info.min}
          max={info.max}
          inputOnly
          onChange={(value) =>
            update((s) => {
              const next: Partial<CostParams> = { ...s.costs, [info.key]: value };
              if (value === DEFAULT_COSTS[info.key]) delete next[info.key];
              return { ...s, costs: next };
            })
          }
        />
      ))}
      {overrides > 0 && (
        <button type="button" onClick={() => update((s) => ({ ...s, costs: {} }))}>
          Reset the cost model
        </button>
      )}
    </details>
  );
}

function CopyLink() {
  const [status, setStatus] = useState('');
  const copy = (): void => {
    const href = window.location.href;
    navigator.clipboard
      .writeText(href)
      .then(() => setStatus('Link copied'))
      .catch(() => setStatus('Copy failed: the link is in the address bar'));
  };
  return (
    <div className="copy-link">
      <button type="button" onClick={copy}>
        Copy link
      </button>
      <span role="status" aria-live="polite">
        {status}
      </span>
    </div>
  );
}

/** Every scenario parameter, each with a visible label; sliders paired with numeric inputs. */
export function Controls() {
  const scenario = useScenarioShallow((s) => s.scenario);
  const { scenarioStore } = useServices();
  const update: UpdateScenario = (change) => scenarioStore.getState().updateScenario(change);
  const setThread = (patch: Partial<ThreadWorkload>): void =>
    update((s) => ({ ...s, thread: { ...s.thread, ...patch } }));
  const setMixed = (patch: Partial<MixedWorkload>): void =>
    update((s) => ({ ...s, mixed: { ...s.mixed, ...patch } }));
  const { thread, mixed } = scenario;
  const overSlots = scenario.workload === 'thread' && thread.breakpoints > scenario.slots;
  return (
    <aside className="controls" aria-label="Scenario controls">
      <h2>Scenario</h2>
      <CopyLink />
      <DesignPicker column="A" />
      <DesignPicker column="B" />
      <NumberControl
        label="CPUs"
        value={scenario.cpus}
        {...SCENARIO_LIMITS.cpus}
        scale="log"
        onChange={(cpus) => update((s) => ({ ...s, cpus }))}
      />
      <NumberControl
        label="Slots per CPU"
        value={scenario.slots}
        {...SCENARIO_LIMITS.slots}
        onChange={(slots) => update((s) => ({ ...s, slots }))}
      />
      <label className="field">
        Pools
        <select
          value={scenario.pools}
          onChange={(e) => {
            const pools: PoolMode = e.target.value === 'split' ? 'split' : 'shared';
            update((s) => ({ ...s, pools }));
          }}
        >
          <option value="shared">shared (x86: data and instruction share the slots)</option>
          <option value="split">split (separate instruction and data slots)</option>
        </select>
      </label>
      <fieldset className="field">
        <legend>Workload</legend>
        {(['thread', 'mixed'] as const satisfies readonly WorkloadKind[]).map((kind) => (
          <label key={kind} className="radio">
            <input
              type="radio"
              name="workload"
              value={kind}
              checked={scenario.workload === kind}
              onChange={() => update((s) => ({ ...s, workload: kind }))}
            />
            {kind === 'thread' ? 'perf bench breakpoint thread' : 'mixed: debugger watchpoints'}
          </label>
        ))}
      </fieldset>
      {scenario.workload === 'thread'
        ? THREAD_FIELDS.map((field) => (
            <NumberControl
              key={field.key}
              label={field.label}
              flag={field.flag}
              value={thread[field.key]}
              {...SCENARIO_LIMITS[field.key]}
              scale={field.scale}
              onChange={(value) => setThread({ [field.key]: value })}
              hint={
                field.key === 'breakpoints' && overSlots
                  ? `Above the ${scenario.slots} slots: perf bench's perf_event_open fails with ENOSPC.`
                  : undefined
              }
            />
          ))
        : MIXED_FIELDS.map((field) => (
            <NumberControl
              key={field.key}
              label={field.label}
              value={mixed[field.key]}
              {...SCENARIO_LIMITS[field.key]}
              scale={field.scale}
              onChange={(value) => setMixed({ [field.key]: value })}
            />
          ))}
      <NumberControl
        label="Seed"
        value={scenario.seed}
        {...SCENARIO_LIMITS.seed}
        inputOnly
        onChange={(seed) => update((s) => ({ ...s, seed }))}
      />
      <CostDrawer costs={scenario.costs} update={update} />
    </aside>
  );
}
