/**
 * replay's command line: options and FILE, checked into ReplayOptions by the shared parser
 * (args.ts), so every error is one line that names the option and its allowed values, e.g.
 * `replay: --cpus: 0 is out of range (1..4096)`.
 */
import { DESIGN_IDS, POOL_MODES, machineConfig } from '../engine/index.ts';
import type { DesignId, MachineConfig } from '../engine/index.ts';
import { SCENARIO_LIMITS } from '../scenario/scenario.ts';
import { UsageError, parseArgs, type CommandSpec, type OptionSpec } from './args.ts';

export type DesignChoice = DesignId | 'all';

export interface ReplayOptions {
  readonly machine: MachineConfig;
  readonly design: DesignChoice;
  readonly costs: boolean;
  /** A path, or '-' for stdin. */
  readonly file: string;
}

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 2;
export const EXIT_DISAGREEMENT = 3;

export const REPLAY_USAGE =
  'usage: sim replay [--cpus N] [--slots S] [--pools shared|split] [--design ID|all] [--costs] FILE|-';

/** The designs `--design all` runs: every design except ideal, in the order of the series. */
export const ALL_DESIGNS: readonly DesignId[] = DESIGN_IDS.filter((design) => design !== 'ideal');
const DESIGN_CHOICES: readonly DesignChoice[] = [...DESIGN_IDS, 'all'];

const REPLAY_ARGS = {
  command: 'replay',
  options: {
    cpus: { kind: 'integer', flags: ['--cpus'], range: SCENARIO_LIMITS.cpus },
    slots: { kind: 'integer', flags: ['--slots'], range: SCENARIO_LIMITS.slots },
    pools: { kind: 'choice', flags: ['--pools'], noun: 'pools', choices: POOL_MODES },
    design: { kind: 'choice', flags: ['--design'], noun: 'design', choices: DESIGN_CHOICES },
    costs: { kind: 'switch', flags: ['--costs'] },
  },
  maxPositionals: 1,
  positionalsAllowed: 'one FILE or -',
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

type OptionResult = { ok: true; options: ReplayOptions } | { ok: false; error: string };

/** Parses replay's arguments (docs/replay.md, Options). */
export function parseReplayArgs(args: readonly string[]): OptionResult | { ok: 'help' } {
  try {
    const { values, positionals, help } = parseArgs(REPLAY_ARGS, args);
    if (help) return { ok: 'help' };
    const file = positionals[0];
    if (file === undefined) {
      return { ok: false, error: 'replay: missing FILE (a JSON Lines file, or - for stdin)' };
    }
    const machine = machineConfig({
      cpus: values.cpus ?? SCENARIO_LIMITS.cpus.default,
      slots: values.slots ?? SCENARIO_LIMITS.slots.default,
      pools: values.pools ?? 'shared',
    });
    return {
      ok: true,
      options: { machine, design: values.design ?? 'all', costs: values.costs ?? false, file },
    };
  } catch (error) {
    if (error instanceof UsageError) return { ok: false, error: error.message };
    throw error;
  }
}
