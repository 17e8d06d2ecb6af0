/**
 * The one option parser of the `sim` commands. A command declares its options; the parser checks
 * the arguments against them and throws a UsageError whose message is one line in one style:
 *
 *     <command>: --<flag>: <what is wrong> (<allowed>)
 *     bench: --cpus: 0 is out of range (1..4096)
 *
 * The same rules for every command: `--flag value` and `--flag=value`; a value that looks like
 * an option (`--scenario --json`) is a missing value, not a value; an unknown flag and a flag
 * given twice (under any of its names) are refused; `--` ends the options; `-h`/`--help` asks for
 * the usage. It knows nothing of scenarios or designs: commands turn values into their options.
 */

export class UsageError extends Error {}

interface OptionNames {
  /** Every name the option answers to, the long one last: `['-r', '--repeat']`. */
  readonly flags: readonly string[];
}

export interface IntegerOption extends OptionNames {
  readonly kind: 'integer';
  readonly range: { readonly min: number; readonly max: number };
}

export interface ChoiceOption<C extends string = string> extends OptionNames {
  readonly kind: 'choice';
  /** What a value is called in "unknown design 'btree'". */
  readonly noun: string;
  readonly choices: readonly C[];
}

export interface TextOption extends OptionNames {
  readonly kind: 'text';
  /** What the value is, for "missing value (a slotscope URL query)". */
  readonly what: string;
}

export interface SwitchOption extends OptionNames {
  readonly kind: 'switch';
}

export type OptionSpec = IntegerOption | ChoiceOption | TextOption | SwitchOption;

export type OptionValue<S extends OptionSpec> = S extends IntegerOption
  ? number
  : S extends ChoiceOption<infer C>
    ? C
    : S extends TextOption
      ? string
      : true;

export interface CommandSpec<S extends Record<string, OptionSpec>> {
  /** The command's name, the first word of every message. */
  readonly command: string;
  readonly options: S;
  /** At most this many arguments that are not options (FILE, `-`). */
  readonly maxPositionals: number;
  /** What the arguments may be, for "unexpected argument 'b' (one FILE or -)". */
  readonly positionalsAllowed: string;
}

export interface ParsedArgs<S extends Record<string, OptionSpec>> {
  /** The options given, by key; absent when not given. */
  readonly values: { readonly [K in keyof S]?: OptionValue<S[K]> };
  readonly positionals: readonly string[];
  /** `-h` or `--help` was given: the caller prints its usage, nothing else was checked after it. */
  readonly help: boolean;
}

/** The one integer syntax: optional minus, decimal digits. */
const INTEGER = /^-?\d+$/;

/** An argument that is an option name rather than a value: `--json`, `-r` (not `-5`, not `-`). */
function looksLikeOption(arg: string): boolean {
  return /^-(-|[A-Za-z])/.test(arg);
}

function allowedText(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'integer':
      return `${spec.range.min}..${spec.range.max}`;
    case 'choice':
      return spec.choices.join('|');
    case 'text':
      return spec.what;
    case 'switch':
      return `${spec.flags.join(' or ')} alone`;
    default: {
      const unreachable: never = spec;
      return unreachable;
    }
  }
}

function parseValue(spec: OptionSpec, raw: string, fail: (wrong: string) => never): unknown {
  switch (spec.kind) {
    case 'integer': {
      if (!INTEGER.test(raw)) return fail(`expected an integer, got '${raw}'`);
      // + 0 turns -0 into 0.
      const value = Number(raw) + 0;
      if (value < spec.range.min || value > spec.range.max) return fail(`${raw} is out of range`);
      return value;
    }
    case 'choice':
      if (!spec.choices.includes(raw)) return fail(`unknown ${spec.noun} '${raw}'`);
      return raw;
    case 'text':
      return raw;
    case 'switch':
      return fail('takes no value');
    default: {
      const unreachable: never = spec;
      return unreachable;
    }
  }
}

/** Parses `args` against `spec`; throws UsageError on the first wrong argument, in order. */
export function parseArgs<S extends Record<string, OptionSpec>>(
  spec: CommandSpec<S>,
  args: readonly string[],
): ParsedArgs<S> {
  const { command, options } = spec;
  const keyOf = new Map<string, keyof S & string>();
  for (const [key, option] of Object.entries(options)) {
    for (const flag of option.flags) keyOf.set(flag, key);
  }
  const known = [...Object.values(options).map((o) => o.flags.at(-1)), '--help'].join('|');

  const values: Partial<Record<keyof S, unknown>> = {};
  const positionals: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      if (positionals.length >= spec.maxPositionals) {
        throw new UsageError(
          `${command}: unexpected argument '${arg}' (${spec.positionalsAllowed})`,
        );
      }
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') {
      return { values: values as ParsedArgs<S>['values'], positionals, help: true };
    }

    const equals = arg.indexOf('=');
    const flag = equals < 0 ? arg : arg.slice(0, equals);
    const key = keyOf.get(flag);
    if (key === undefined) throw new UsageError(`${command}: ${flag}: unknown option (${known})`);
    const option = options[key] as OptionSpec;
    const fail = (wrong: string): never => {
      throw new UsageError(`${command}: ${flag}: ${wrong} (${allowedText(option)})`);
    };
    if (key in values) throw new UsageError(`${command}: ${flag}: given twice (at most once)`);

    if (option.kind === 'switch') {
      if (equals >= 0) fail('takes no value');
      values[key] = true;
      continue;
    }
    let raw: string | undefined;
    if (equals >= 0) raw = arg.slice(equals + 1);
    else {
      const next = args[i + 1];
      if (next !== undefined && !looksLikeOption(next)) {
        raw = next;
        i++;
      }
    }
    if (raw === undefined) fail('missing value');
    values[key] = parseValue(option, raw as string, fail);
  }
  return { values: values as ParsedArgs<S>['values'], positionals, help: false };
}
