import { describe, expect, it } from 'vitest';
import { UsageError, parseArgs, type CommandSpec, type OptionSpec } from './args.ts';

const SPEC = {
  command: 'demo',
  options: {
    count: { kind: 'integer', flags: ['-n', '--count'], range: { min: 0, max: 10 } },
    color: { kind: 'choice', flags: ['--color'], noun: 'color', choices: ['red', 'blue'] },
    name: { kind: 'text', flags: ['--name'], what: 'any text' },
    loud: { kind: 'switch', flags: ['--loud'] },
  },
  maxPositionals: 1,
  positionalsAllowed: 'one FILE or -',
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

function error(args: string[]): string {
  try {
    parseArgs(SPEC, args);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`accepted ${args.join(' ')}`);
}

describe('the sim commands’ option parser', () => {
  it('reads --flag value, --flag=value, short names and one positional', () => {
    expect(parseArgs(SPEC, ['-n', '3', '--color=blue', '--name', 'x y', '--loud', '-'])).toEqual({
      values: { count: 3, color: 'blue', name: 'x y', loud: true },
      positionals: ['-'],
      help: false,
    });
    expect(parseArgs(SPEC, ['--count=0', '--name=--odd']).values).toEqual({
      count: 0,
      name: '--odd',
    });
    expect(parseArgs(SPEC, ['-n', '-0']).values.count).toBe(0);
    expect(Object.is(parseArgs(SPEC, ['-n', '-0']).values.count, -0)).toBe(false);
  });

  it('ends options at --, and stops at --help', () => {
    expect(parseArgs(SPEC, ['--', '--loud']).positionals).toEqual(['--loud']);
    expect(parseArgs(SPEC, ['-n', '1', '-h', '--bogus']).help).toBe(true);
  });

  it.each([
    [['-n'], 'demo: -n: missing value (0..10)'],
    [['--count', '--loud'], 'demo: --count: missing value (0..10)'],
    [['--name', '-x'], 'demo: --name: missing value (any text)'],
    [['--count', '1e1'], "demo: --count: expected an integer, got '1e1' (0..10)"],
    [['--count', ' 1'], "demo: --count: expected an integer, got ' 1' (0..10)"],
    [['-n', '-1'], 'demo: -n: -1 is out of range (0..10)'],
    [['-n', '99999999999999999999'], 'demo: -n: 99999999999999999999 is out of range (0..10)'],
    [['--color', 'green'], "demo: --color: unknown color 'green' (red|blue)"],
    [['--loud=1'], 'demo: --loud: takes no value (--loud alone)'],
    [['-n', '1', '--count', '2'], 'demo: --count: given twice (at most once)'],
    [['--name', 'a', '--name=a'], 'demo: --name: given twice (at most once)'],
    [['--colour', 'red'], 'demo: --colour: unknown option (--count|--color|--name|--loud|--help)'],
    [['--colour=red'], 'demo: --colour: unknown option (--count|--color|--name|--loud|--help)'],
    [['a', 'b'], "demo: unexpected argument 'b' (one FILE or -)"],
  ])('refuses %j in one line', (args, message) => {
    expect(error(args)).toBe(message);
  });
});
