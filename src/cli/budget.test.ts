import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { CLI_BUDGET, scaledBudget } from '../sim/budget.ts';
import { checkRunSize } from '../sim/simulation.ts';
import { runBench } from './bench.ts';

const thread = (repeat: number, parallelism: number, threads: number): Scenario => ({
  ...DEFAULT_SCENARIO,
  thread: { repeat, breakpoints: 4, parallelism, threads },
});

describe("sim bench's budget", () => {
  // Refused from the estimate, before it simulates anything (the test's timeout would catch a
  // run); `npm run bench:input` times the refusal.
  it('refuses the 2M-thread bench at 4096 CPUs at once, in one line, exit 2', () => {
    const out = runBench(['--cpus', '4096', '-p', '4096', '-t', '4096', '-r', '487']);
    expect(out.exitCode).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/^bench: This run is about [\d.]+ million events .* GB; sim bench/);
  });

  it('--budget N raises sim bench budget N times', () => {
    // About 1.5x the default budget's events for final.
    const args = ['-r', '45000', '-t', '64', '--design', 'final', '--budget'];
    const refused = runBench(args.slice(0, -1));
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--budget N multiplies it by N');
    expect(checkRunSize(thread(45000, 64, 64), scaledBudget(CLI_BUDGET, 2), ['final'])).toBe(null);
    expect(runBench([...args, '0']).stderr).toBe('bench: --budget: 0 is out of range (1..1000)\n');
  });
});
