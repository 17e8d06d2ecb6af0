import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, type Scenario } from '../scenario/scenario.ts';
import { createSimulation } from '../sim/simulation.ts';
import { CPU_STATE_COUNT } from '../sim/cpuStates.ts';
import { PROFILE_SYMBOLS, type RunResult } from '../sim/types.ts';
import {
  acquisitionsCsv,
  csvText,
  enospcPerCpuCsv,
  float32Field,
  framesCsv,
  lockStatsCsv,
  profileCsv,
  resultsCsv,
} from './csv.ts';
import { formatBytes } from './format.ts';
import { exportFileName, exportTitle, scenarioQuery, shortScenario } from './exportName.ts';

/** An RFC 4180 reader, written from the RFC rather than from csv.ts, to read back what it wrote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let value = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        value += '"';
        i++;
      } else if (c === '"') quoted = false;
      else value += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(value);
      value = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(value);
      records.push(record);
      record = [];
      value = '';
      i++;
    } else value += c;
  }
  expect(value).toBe(''); // every record ends with CRLF
  return records;
}

function runToEnd(scenario: Scenario) {
  const sim = createSimulation(scenario, 'list');
  while (!sim.advance(10_000).done) {
    // run
  }
  return { result: sim.result(), samples: sim.samples() };
}

const small: Scenario = {
  ...DEFAULT_SCENARIO,
  cpus: 8,
  thread: { repeat: 3, breakpoints: 2, parallelism: 4, threads: 4 },
};
const { result, samples } = runToEnd(small);

describe('csv text', () => {
  it('quotes only fields with a comma, quote, CR or LF, doubling quotes, with CRLF records', () => {
    const text = csvText(
      ['name', 'value_ns'],
      [
        ['plain', 1.5],
        ['a, b', -2],
        ['say "hi"', 1e21],
        ['two\nlines', null],
        ['cr\rhere', Number.NaN],
      ],
    );
    expect(text).toBe(
      'name,value_ns\r\nplain,1.5\r\n"a, b",-2\r\n"say ""hi""",1e+21\r\n"two\nlines",\r\n"cr\rhere",\r\n',
    );
    expect(parseCsv(text)).toEqual([
      ['name', 'value_ns'],
      ['plain', '1.5'],
      ['a, b', '-2'],
      ['say "hi"', '1e+21'],
      ['two\nlines', ''],
      ['cr\rhere', ''],
    ]);
  });

  it('refuses a row whose width differs from the header', () => {
    expect(() => csvText(['a', 'b'], [[1]])).toThrow('csv row has 1 fields, the header 2');
  });

  it('writes a float32 sample as the shortest decimal that reads back to it', () => {
    const stored = Math.fround(3.3);
    expect(String(stored)).toBe('3.299999952316284');
    expect(float32Field(stored)).toBe(3.3);
    expect(float32Field(Math.fround(1 / 3))).toBe(0.33333334);
    expect(Math.fround(float32Field(Math.fround(1 / 3)))).toBe(Math.fround(1 / 3));
    expect(float32Field(0)).toBe(0);
  });
});

describe('csv of a run', () => {
  it('has one record per frame, with each state, the waiters and ENOSPC, read back exactly', () => {
    const rows = parseCsv(framesCsv(samples));
    const header = rows[0] ?? [];
    expect(header.slice(0, 3)).toEqual(['start_ns', 'end_ns', 'idle_cpus']);
    expect(header.slice(-3)).toEqual(['spinning_waiters', 'sleeping_waiters', 'enospc_reserves']);
    expect(header).toHaveLength(2 + CPU_STATE_COUNT + 3);
    expect(rows).toHaveLength(1 + samples.frameCount);
    expect(samples.frameCount).toBeGreaterThan(1);
    rows.slice(1).forEach((row, f) => {
      expect(Number(row[0])).toBe(f * samples.frameNs);
      for (let s = 0; s < CPU_STATE_COUNT; s++) {
        expect(Math.fround(Number(row[2 + s]))).toBe(samples.stateCpus[f * CPU_STATE_COUNT + s]);
      }
      expect(Math.fround(Number(row[2 + CPU_STATE_COUNT]))).toBe(samples.spinWaiters[f]);
      expect(Number(row.at(-1))).toBe(samples.enospcPerFrame[f]);
    });
    // The CPUs of each frame add up to the machine (time-averaged, so up to float32 rounding).
    const cpusIn = (row: string[]): number =>
      row.slice(2, 2 + CPU_STATE_COUNT).reduce((sum, v) => sum + Number(v), 0);
    expect(cpusIn(rows[1] ?? [])).toBeCloseTo(small.cpus, 3);
  });

  it('has one record per sampled acquisition and one per CPU', () => {
    const acquisitions = parseCsv(acquisitionsCsv(samples));
    expect(acquisitions[0]).toEqual(['acquired_at_ns', 'wait_ns', 'hold_ns', 'sampled_1_in']);
    expect(acquisitions).toHaveLength(1 + samples.acquisitionCount);
    expect(samples.acquisitionCount).toBeGreaterThan(0);
    const waited = acquisitions.slice(1).map((row) => Number(row[1]));
    expect(waited).toEqual(Array.from(samples.acquisitionWaitNs.subarray(0, waited.length)));

    // -b 3 on 2 slots of a split pool: main's third open finds CPU 0's data pool full.
    const full = runToEnd({
      ...small,
      cpus: 16,
      slots: 2,
      pools: 'split',
      thread: { ...small.thread, breakpoints: 3 },
    });
    const perCpu = parseCsv(enospcPerCpuCsv(full.samples));
    expect(perCpu[0]).toEqual(['cpu', 'enospc_reserves']);
    expect(perCpu).toHaveLength(1 + 16);
    expect(full.result.enospc).toBe(1);
    expect(perCpu.slice(1).map((row) => Number(row[1]))).toEqual([
      1,
      ...new Array<number>(15).fill(0),
    ]);
  });

  it('has the lock table with its units and every lock', () => {
    const rows = parseCsv(lockStatsCsv(result.locks));
    expect(rows[0]).toEqual([
      'lock',
      'acquisitions',
      'contended',
      'wait_p50_ns',
      'wait_p99_ns',
      'wait_max_ns',
      'hold_total_ns',
    ]);
    expect(rows.slice(1).map((row) => row[0])).toEqual(result.locks.map((l) => l.lock));
    expect(rows.slice(1).map((row) => Number(row[1]))).toEqual(
      result.locks.map((l) => l.acquisitions),
    );
  });

  it('has every profile symbol that took time, largest first, shares adding to 100', () => {
    const rows = parseCsv(profileCsv(result, null)).slice(1);
    const took = PROFILE_SYMBOLS.filter((s) => result.profileNs[s] > 0);
    expect(rows.map((row) => row[0]).sort()).toEqual([...took].sort());
    const ns = rows.map((row) => Number(row[1]));
    expect(ns).toEqual([...ns].sort((a, b) => b - a));
    expect(rows.reduce((sum, row) => sum + Number(row[2]), 0)).toBeCloseTo(100, 9);
    expect(rows.every((row) => row[3] === '')).toBe(true);
    // A published figure keeps its symbol even when the simulation gave it no time (list never
    // compares keys in a hash table).
    expect(result.profileNs.bcmp).toBe(0);
    const withPublished = parseCsv(profileCsv(result, { bcmp: 12.5, osq_lock: 37.27 })).slice(1);
    expect(withPublished.find((row) => row[0] === 'bcmp')).toEqual(['bcmp', '0', '0', '12.5']);
    expect(withPublished.find((row) => row[0] === 'osq_lock')?.[3]).toBe('37.27');
  });

  it('has one record per run with the untimed tail the race bar draws', () => {
    const failed: RunResult = { ...result, openError: 'ENOSPC', totalTimeNs: 0 };
    const rows = parseCsv(
      resultsCsv([
        { column: 'A', result },
        { column: 'B', result: failed },
      ]),
    );
    const header = rows[0] ?? [];
    const at = (row: string[] | undefined, name: string): string =>
      row?.[header.indexOf(name)] ?? 'missing';
    expect(rows).toHaveLength(3);
    expect(Number(at(rows[1], 'total_time_ns'))).toBe(result.totalTimeNs);
    expect(Number(at(rows[1], 'untimed_tail_ns'))).toBe(result.endNs - result.totalTimeNs);
    expect(at(rows[1], 'open_error')).toBe('');
    expect(Number(at(rows[2], 'untimed_tail_ns'))).toBe(result.endNs);
    expect(at(rows[2], 'open_error')).toBe('ENOSPC');
  });
});

describe('export names', () => {
  it('names a file by design, panel and the non-default fields of the scenario', () => {
    expect(shortScenario(DEFAULT_SCENARIO)).toBe('default');
    expect(shortScenario(small)).toBe('cpus8-r3-b2-p4-t4');
    expect(exportFileName('list', 'locks', small, 'csv')).toBe(
      'slotscope-list-locks-cpus8-r3-b2-p4-t4.csv',
    );
    expect(exportFileName('list vs final', 'race', DEFAULT_SCENARIO, 'svg')).toBe(
      'slotscope-list_vs_final-race-default.svg',
    );
    const huge: Scenario = {
      ...small,
      seed: 4_000_000_000,
      costs: { listNodeNs: 123.5, cpuIterationNs: 7.25, jhashNs: 99.5 },
    };
    expect(scenarioQuery(huge).length).toBeGreaterThan(60);
    expect(shortScenario(huge)).toHaveLength(60);
    expect(shortScenario(huge)).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('titles an image with the panel, design, scenario and time', () => {
    expect(
      exportTitle({ panel: 'CPUs', design: 'A: list', scenario: small, when: 'at 1.00 ms' }),
    ).toBe('slotscope · CPUs · A: list · cpus=8 r=3 b=2 p=4 t=4 · at 1.00 ms');
  });
});

describe('file sizes', () => {
  it('reads as a download list does, never "1000.0 kB"', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(45_312)).toBe('45.3 kB');
    expect(formatBytes(999_949)).toBe('999.9 kB');
    expect(formatBytes(999_950)).toBe('1.00 MB');
    expect(formatBytes(2_104_000)).toBe('2.10 MB');
  });
});
