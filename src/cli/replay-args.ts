/**
 * replay's command line: options and FILE, checked into ReplayOptions. Every error is one line
 * that names the option and its allowed values, e.g. `replay: --cpus: 0 is out of range (1..4096)`.
 */
import { DESIGN_IDS, MACHINE_LIMITS, POOL_MODES, machineConfig } from '../engine/index.ts';
import type { DesignId, MachineConfig, PoolMode } from '../engine/index.ts';

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
const DESIGN_CHOICES: readonly string[] = [...DESIGN_IDS, 'all'];

type OptionResult = { ok: true; options: ReplayOptions } | { ok: false; error: string };

function integerOption(name: 'cpus' | 'slots', value: string | undefined): number | string {
  const { min, max } = MACHINE_LIMITS[name];
  const range = `(${min}..${max})`;
  if (value === undefined) return `replay: --${name}: missing value ${range}`;
  if (!/^[+-]?\d+$/.test(value)) {
    return `replay: --${name}: expected an integer, got '${value}' ${range}`;
  }
  const parsed = Number(value);
  if (parsed < min || parsed > max) return `replay: --${name}: ${parsed} is out of range ${range}`;
  return parsed;
}

function choiceOption(
  name: 'pools' | 'design',
  value: string | undefined,
  choices: readonly string[],
): string | { value: string } {
  const allowed = `(${choices.join('|')})`;
  if (value === undefined) return `replay: --${name}: missing value ${allowed}`;
  if (!choices.includes(value)) return `replay: --${name}: unknown ${name} '${value}' ${allowed}`;
  return { value };
}

/** Parses replay's arguments. Options may be given as `--cpus 8` or `--cpus=8`; the last wins. */
export function parseReplayArgs(args: readonly string[]): OptionResult | { ok: 'help' } {
  let cpus = MACHINE_LIMITS.cpus.default as number;
  let slots = MACHINE_LIMITS.slots.default as number;
  let pools: PoolMode = 'shared';
  let design: DesignChoice = 'all';
  let costs = false;
  let file: string | undefined;
  let onlyFiles = false;
  const fail = (error: string): OptionResult => ({ ok: false, error });

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      if (file !== undefined) return fail(`replay: unexpected argument '${arg}' (one FILE or -)`);
      file = arg;
      continue;
    }
    if (arg === '--') {
      onlyFiles = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') return { ok: 'help' };
    if (arg === '--costs') {
      costs = true;
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals < 0 ? arg : arg.slice(0, equals);
    const takeValue = (): string | undefined => (equals < 0 ? args[++i] : arg.slice(equals + 1));
    switch (name) {
      case '--cpus':
      case '--slots': {
        const key = name === '--cpus' ? 'cpus' : 'slots';
        const parsed = integerOption(key, takeValue());
        if (typeof parsed === 'string') return fail(parsed);
        if (key === 'cpus') cpus = parsed;
        else slots = parsed;
        break;
      }
      case '--pools': {
        const parsed = choiceOption('pools', takeValue(), POOL_MODES);
        if (typeof parsed === 'string') return fail(parsed);
        pools = parsed.value as PoolMode;
        break;
      }
      case '--design': {
        const parsed = choiceOption('design', takeValue(), DESIGN_CHOICES);
        if (typeof parsed === 'string') return fail(parsed);
        design = parsed.value as DesignChoice;
        break;
      }
      case '--costs':
        return fail(`replay: --costs takes no value`);
      default:
        return fail(`replay: unknown option '${name}'`);
    }
  }
  if (file === undefined) return fail('replay: missing FILE (a JSON Lines file, or - for stdin)');
  return {
    ok: true,
    options: { machine: machineConfig({ cpus, slots, pools }), design, costs, file },
  };
}
