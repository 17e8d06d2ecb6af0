/**
 * The page's speed figures, measured in Debian's headless Chromium against the production build:
 *
 * - first data: from navigation start to both columns' CPU grids and lock panels holding samples
 *   (and to both results), seed scenario, no query;
 * - slider latency: from a CPUs change to the first new samples and to both new results;
 * - grid frame times while samples stream and the cursor plays, at 256 and 4096 CPUs: the
 *   interval between animation frames (what the user sees) and the grid's own draw time.
 *
 * - timeline pan and zoom at 256 and 4096 CPUs: W held (zoom in), D held (pan), S held (zoom
 *   out) and a mouse drag (pan) on the timeline's canvas, driven by Playwright; the interval between
 *   animation frames (median, p95), the timeline's draw time, the first visible reaction to the
 *   input (first frame whose drawn window differs) and the long tasks during the gestures.
 *
 * Run: npm run bench:frames (builds first). Starts its own `vite preview` on port 4174.
 * BENCH_RUNS=n repeats the load and slider measurements (median reported; default 3);
 * BENCH_ONLY=load measures the loads alone, BENCH_ONLY=timeline the timeline alone
 * (BENCH_TIMELINE=<query> one of its cases); BENCH_PORT overrides the port. The
 * simulation workers share the machine's cores with the page, so a loaded machine shows up in
 * the frame figures: note the load average beside them. BENCH_NICE=-20 (Linux, needs the right to
 * raise priority) runs the browser's processes at that autogroup niceness, so other sessions'
 * work on a shared machine takes less of the cores from the page: figures nearer an idle
 * machine's, printed with the setting.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, startPreview } from './preview.ts';

const PORT = Number(process.env.BENCH_PORT ?? 4174);
const BASE = `http://127.0.0.1:${PORT}`;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** BENCH_ONLY=load: the load figures alone (no slider, no frame times). */
const LOAD_ONLY = process.env.BENCH_ONLY === 'load';
/** BENCH_NICE=n: the browser's autogroup niceness (Linux), see above. */
const NICE = process.env.BENCH_NICE;
/** BENCH_ONLY=timeline: the timeline's pan and zoom figures alone. */
const TIMELINE_ONLY = process.env.BENCH_ONLY === 'timeline';

/** Resolves when `condition` (page JS) holds, checked every animation frame; returns page ms. */
async function untilInPage(page: Page, condition: string, timeoutMs = 60_000): Promise<number> {
  const handle = await page.waitForFunction(`(${condition}) && performance.now()`, undefined, {
    polling: 'raf',
    timeout: timeoutMs,
  });
  return Number(await handle.jsonValue());
}

const gridHasSamples = (column: 'A' | 'B', cpus?: number): string =>
  `(() => { const c = document.querySelector('canvas[aria-label^="CPU grid of design ${column}"]');
     const l = c ? c.getAttribute('aria-label') : '';
     return !!l && !l.includes('no samples yet')${cpus ? ` && l.includes(', ${cpus} CPUs, ')` : ''}; })()`;
const lockHasSamples = (column: 'A' | 'B'): string =>
  `!!document.querySelector('section[aria-label="Locks, design ${column}"] svg[aria-label^="Waiters over time"]')`;
const resultShown = (column: 'A' | 'B'): string =>
  `(document.querySelector('section[aria-label="Result of design ${column}"] pre')?.textContent ?? '').includes('Total time:')`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

/** Long tasks on the page's main thread, from navigation on (installed by an init script). */
const LONG_TASK_OBSERVER = `
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__longTasks = null; }
`;

interface LongTasks {
  readonly count: number;
  readonly maxMs: number;
  readonly totalMs: number;
}

async function longTasks(page: Page): Promise<LongTasks> {
  const tasks = await page.evaluate(
    () => (window as unknown as { __longTasks: { ms: number }[] | null }).__longTasks,
  );
  if (!tasks) return { count: NaN, maxMs: NaN, totalMs: NaN };
  return {
    count: tasks.length,
    maxMs: tasks.reduce((max, t) => Math.max(max, t.ms), 0),
    totalMs: tasks.reduce((sum, t) => sum + t.ms, 0),
  };
}

/** Where the load's time went, ms after navigation start, from the page's slotscope marks. */
type LoadMarks = Record<string, number>;

/** Worker-side split of each column's run (RunTiming, see src/worker/protocol.ts). */
const TIMING_KEYS = [
  'simMs',
  'snapshotMs',
  'yieldMs',
  'slices',
  'snapshots',
  'snapshotsHeld',
  'snapshotsSkipped',
  'progressMessages',
] as const;

async function loadMarks(page: Page): Promise<LoadMarks> {
  return page.evaluate((keys) => {
    const out: Record<string, number> = {};
    for (const m of performance.getEntriesByType('mark')) {
      if (!m.name.startsWith('slotscope:')) continue;
      const name = m.name.slice('slotscope:'.length);
      // The first of each (a page loads once; a column may have one run).
      if (!(name in out)) out[name] = m.startTime;
      const detail = (m as PerformanceMark).detail as Record<string, number> | null;
      if (name.startsWith('worker-done:') && detail) {
        const column = name.slice('worker-done:'.length);
        for (const k of keys) out[`${column}.${k}`] = detail[k] ?? NaN;
      }
    }
    const nav = performance.getEntriesByType('navigation')[0] as
      PerformanceNavigationTiming | undefined;
    if (nav) {
      out['dom-interactive'] = nav.domInteractive;
      out['dom-content-loaded'] = nav.domContentLoadedEventEnd;
    }
    return out;
  }, TIMING_KEYS);
}

/**
 * CPU ms used so far by each thread of Chromium's renderer processes, by thread name (Linux
 * /proc; empty elsewhere). The difference over a load is what the load cost, whatever else runs
 * on the machine: on a loaded machine wall times stretch, CPU times much less.
 */
function rendererCpuMs(): Map<string, { name: string; ms: number }> {
  const threads = new Map<string, { name: string; ms: number }>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return threads;
  }
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer')) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // utime + stime, in clock ticks of 10 ms.
        const ms = (Number(fields[11]) + Number(fields[12])) * 10;
        threads.set(`${pid}/${tid}`, { name, ms });
      }
    } catch {
      // the process or thread has gone
    }
  }
  return threads;
}

/** CPU ms per thread group over a load: the page's main thread, the workers, the rest. */
function cpuDelta(
  before: Map<string, { name: string; ms: number }>,
  after: Map<string, { name: string; ms: number }>,
): Record<string, number> {
  const groups: Record<string, number> = { main: 0, workers: 0, 'v8/raster pool': 0, other: 0 };
  for (const [key, { name, ms }] of after) {
    const used = ms - (before.get(key)?.ms ?? 0);
    if (used <= 0) continue;
    const group = name.startsWith('DedicatedWorker')
      ? 'workers'
      : name.startsWith('ThreadPool')
        ? 'v8/raster pool'
        : name === 'chromium' || name.startsWith('CrRendererMain')
          ? 'main'
          : 'other';
    groups[group] = (groups[group] ?? 0) + used;
  }
  return groups;
}

/**
 * Sets the autogroup niceness of the browser this process launched (Linux's scheduler shares the
 * cores between sessions first, so a process's own nice value alone would not count against
 * other sessions). Returns what it set, or why not.
 */
function niceBrowser(nice: string): string {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 'no /proc: not set';
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid || !stat.includes('(chromium')) continue;
      writeFileSync(`/proc/${pid}/autogroup`, nice);
      return readFileSync(`/proc/${pid}/autogroup`, 'utf8').trim();
    } catch (error) {
      return `not set (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  return 'no browser process found: not set';
}

interface FirstData {
  readonly panelsMs: number;
  readonly resultsMs: number;
  readonly marks: LoadMarks;
  readonly longTasks: LongTasks;
  readonly cpuMs: Record<string, number>;
}

async function firstData(page: Page): Promise<FirstData> {
  await page.goto('about:blank');
  const cpuBefore = rendererCpuMs();
  await page.goto(`${BASE}/`);
  const panelsMs = await untilInPage(
    page,
    [gridHasSamples('A'), gridHasSamples('B'), lockHasSamples('A'), lockHasSamples('B')].join(
      ' && ',
    ),
  );
  const resultsMs = await untilInPage(page, `${resultShown('A')} && ${resultShown('B')}`);
  const cpuMs = cpuDelta(cpuBefore, rendererCpuMs());
  return {
    panelsMs,
    resultsMs,
    marks: await loadMarks(page),
    longTasks: await longTasks(page),
    cpuMs,
  };
}

/** The median of each mark over the loads, in page order; the worker's split below. */
function printLoadBreakdown(loads: readonly FirstData[], pageCores: number): void {
  const names = new Set(loads.flatMap((l) => Object.keys(l.marks)));
  const med = (name: string): number => median(loads.map((l) => l.marks[name] ?? NaN));
  const timeline = [...names]
    .filter((n) => !/^[AB]\./.test(n))
    .map((n) => [n, med(n)] as const)
    .filter(([, ms]) => Number.isFinite(ms))
    .sort((a, b) => a[1] - b[1]);
  timeline.push(['both results on screen', median(loads.map((l) => l.resultsMs))]);
  console.log('  load timeline (median ms after navigation start):');
  for (const [name, ms] of timeline) console.log(`    ${name.padEnd(28)} ${round(ms)}`);
  // The load's critical path, and how much of it the simulation itself took: the rest is the
  // page's startup, the worker's start, messages and the other column's turn.
  const posted = med('run-start');
  const lastDone = median(
    loads.map((l) => Math.max(l.marks['done-applied:A'] ?? NaN, l.marks['done-applied:B'] ?? NaN)),
  );
  // Two cores or fewer: one worker takes both columns in turn, so their times add up; above
  // that each column has its own worker and the longer one counts.
  const oneWorker = pageCores <= 2;
  const simMs = median(
    loads.map((l) => {
      const [a, b] = [l.marks['A.simMs'] ?? NaN, l.marks['B.simMs'] ?? NaN];
      return oneWorker ? a + b : Math.max(a, b);
    }),
  );
  console.log(
    `  critical path (median ms): JS parsed ${round(med('main'))} → run posted ${round(posted)} → ` +
      `worker started ${round(med('worker-boot'))} → A done ${round(med('done-applied:A'))}, ` +
      `B done ${round(med('done-applied:B'))} → both on screen ${round(median(loads.map((l) => l.resultsMs)))}`,
  );
  console.log(
    `  run posted → both results applied ${round(lastDone - posted)} ms, of which the worker ` +
      `simulated ${round(simMs)} ms (${oneWorker ? 'A + B simMs, one worker' : 'the longer simMs, a worker each'}); the rest, ${round(lastDone - posted - simMs)} ms, ` +
      `is worker start, snapshots, messages and the page's frames`,
  );
  console.log('  worker split per column (median; ms unless a count):');
  console.log(
    `    ${'column'.padEnd(8)}${TIMING_KEYS.map((k) => k.replace('snapshots', 'snap.').replace('progressMessages', 'progress').padStart(14)).join('')}`,
  );
  for (const column of ['A', 'B']) {
    const cells = TIMING_KEYS.map((k) => String(round(med(`${column}.${k}`))).padStart(14));
    console.log(`    ${column.padEnd(8)}${cells.join('')}`);
  }
}

async function sliderLatency(page: Page): Promise<{ samplesMs: number; resultsMs: number }> {
  await page.goto(`${BASE}/`);
  await untilInPage(page, `${resultShown('A')} && ${resultShown('B')}`);
  const input = page.getByRole('spinbutton', { name: 'CPUs', exact: true });
  const startMs = await page.evaluate(() => performance.now());
  await input.fill('128');
  const samplesMs =
    (await untilInPage(page, `${gridHasSamples('A', 128)} && ${gridHasSamples('B', 128)}`)) -
    startMs;
  const resultsMs =
    (await untilInPage(
      page,
      `${gridHasSamples('A', 128)} && ${gridHasSamples('B', 128)} && !document.querySelector('progress[aria-label^="Simulation progress"]:not([value="1"])')`,
    )) - startMs;
  return { samplesMs, resultsMs };
}

interface FrameFigures {
  readonly frames: number;
  readonly medianFrameMs: number;
  readonly p95FrameMs: number;
  readonly fps: number;
  readonly meanFps: number;
  readonly draws: number;
  readonly medianDrawMs: number;
  readonly p95DrawMs: number;
  readonly streamedSnapshots: boolean;
}

async function framesWhileStreaming(page: Page, query: string): Promise<FrameFigures> {
  await page.goto(`${BASE}/?${query}`);
  await untilInPage(page, gridHasSamples('A'));
  await page.evaluate(() => {
    document.documentElement.dataset.bench = 'frames';
    performance.clearMeasures();
  });
  await page.getByRole('button', { name: 'Play' }).click();
  const intervals = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const deltas: number[] = [];
        let last = performance.now();
        const end = last + 3000;
        const step = (now: number): void => {
          deltas.push(now - last);
          last = now;
          if (now < end) requestAnimationFrame(step);
          else resolve(deltas.slice(1));
        };
        requestAnimationFrame(step);
      }),
  );
  const draws = await page.evaluate(() =>
    performance
      .getEntriesByType('measure')
      .filter((m) => m.name === 'slotscope:grid-draw:A')
      .map((m) => m.duration),
  );
  const stillStreaming = await page.evaluate(
    () =>
      !!document.querySelector(
        'progress[aria-label^="Simulation progress of design A"]:not([value="1"])',
      ),
  );
  return {
    frames: intervals.length,
    medianFrameMs: median(intervals),
    p95FrameMs: percentile(intervals, 0.95),
    fps: 1000 / median(intervals),
    meanFps: (1000 * intervals.length) / intervals.reduce((sum, ms) => sum + ms, 0),
    draws: draws.length,
    medianDrawMs: median(draws),
    p95DrawMs: percentile(draws, 0.95),
    streamedSnapshots: stillStreaming,
  };
}

interface TimelineFigures {
  readonly frames: number;
  readonly medianFrameMs: number;
  readonly p95FrameMs: number;
  readonly draws: number;
  readonly medianDrawMs: number;
  readonly p95DrawMs: number;
  readonly reactionMs: number;
  readonly longTasks: number;
  readonly longestTaskMs: number;
}

const timelineReady = `(() => { const l = document.querySelector('.timeline-resolution')?.textContent ?? '';
  return l.includes('A: summary') && l.includes('B: summary'); })()`;

/**
 * Pan and zoom on the timeline with the keyboard (held W, D, S as in Perfetto) and a mouse drag,
 * 1.2 s each, while the page records every animation frame's interval, the timeline's draws and
 * the long tasks. Reaction: from the key going down to the first frame drawn with a new window.
 */
async function timelineFrames(page: Page, query: string): Promise<TimelineFigures> {
  await page.goto(`${BASE}/?${query}`);
  await untilInPage(page, `${resultShown('A')} && ${resultShown('B')}`, 300_000);
  await untilInPage(page, timelineReady);
  const canvas = page.locator('canvas[aria-label^="Timeline of design A"]');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no timeline canvas');
  await canvas.focus();
  await page.evaluate(() => {
    document.documentElement.dataset.bench = 'frames';
    performance.clearMeasures();
    const w = window as unknown as {
      __tl: { deltas: number[]; stop: boolean; tasks: number[]; reactions: number[] };
    };
    w.__tl = { deltas: [], stop: false, tasks: [], reactions: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__tl.tasks.push(e.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    const step = (now: number): void => {
      w.__tl.deltas.push(now - last);
      last = now;
      if (!w.__tl.stop) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  const reaction = async (what: string, press: () => Promise<void>): Promise<number> => {
    const before = await page.evaluate(
      () => document.querySelector('.timeline-range')?.getAttribute('data-window') ?? '',
    );
    const start = await page.evaluate(() => performance.now());
    await press();
    const at = await untilInPage(
      page,
      `(document.querySelector('.timeline-range')?.getAttribute('data-window') ?? '') !== ${JSON.stringify(before)}`,
      10_000,
    ).catch((error: unknown) => {
      throw new Error(`the timeline did not react to ${what} (window ${before})`, { cause: error });
    });
    return at - start;
  };
  const reactions: number[] = [];
  // W zooms in about 40×, D pans later, S zooms out about 7×: the window stays inside the run, so
  // the drag after them (rightwards: earlier) always has room to move.
  for (const [key, ms] of [
    ['w', 1200],
    ['d', 1200],
    ['s', 600],
  ] as const) {
    reactions.push(await reaction(`key ${key}`, () => page.keyboard.down(key)));
    await page.waitForTimeout(ms);
    await page.keyboard.up(key);
  }
  const y = box.y + 60;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  reactions.push(
    await reaction('a drag', async () => {
      await page.mouse.move(box.x + box.width * 0.35, y);
    }),
  );
  for (let i = 1; i <= 30; i++) {
    await page.mouse.move(box.x + box.width * (0.35 + i * 0.01), y);
  }
  await page.mouse.up();
  const out = await page.evaluate(() => {
    const w = window as unknown as { __tl: { deltas: number[]; stop: boolean; tasks: number[] } };
    w.__tl.stop = true;
    return {
      deltas: w.__tl.deltas.slice(1),
      tasks: w.__tl.tasks,
      draws: performance
        .getEntriesByType('measure')
        .filter((m) => m.name.startsWith('slotscope:timeline-draw:'))
        .map((m) => m.duration),
    };
  });
  return {
    frames: out.deltas.length,
    medianFrameMs: median(out.deltas),
    p95FrameMs: percentile(out.deltas, 0.95),
    draws: out.draws.length,
    medianDrawMs: median(out.draws),
    p95DrawMs: percentile(out.draws, 0.95),
    reactionMs: Math.max(...reactions),
    longTasks: out.tasks.length,
    longestTaskMs: out.tasks.reduce((m, t) => Math.max(m, t), 0),
  };
}

async function reportTimeline(context: BrowserContext): Promise<void> {
  const cases = [
    ['256 CPUs', ''],
    ['4096 CPUs', 'cpus=4096&r=3'],
  ] as const;
  for (const [label, query] of cases.filter(
    ([, q]) => !process.env.BENCH_TIMELINE || q === process.env.BENCH_TIMELINE,
  )) {
    const page = await context.newPage();
    const f = await timelineFrames(page, query);
    await page.close();
    console.log(
      `timeline pan/zoom, ${label} (?${query}): ${f.frames} frames, frame interval median ` +
        `${round(f.medianFrameMs)} ms / p95 ${round(f.p95FrameMs)} ms ` +
        `(${round(1000 / f.medianFrameMs)} fps at the median); draw median ${round(f.medianDrawMs)} ms / ` +
        `p95 ${round(f.p95DrawMs)} ms over ${f.draws} draws; slowest first reaction ${round(f.reactionMs)} ms; ` +
        `long tasks ${f.longTasks}, longest ${round(f.longestTaskMs)} ms`,
    );
  }
}

const round = (n: number): number => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const { loadavg, cpus } = await import('node:os');
  console.log(`machine: ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(2)}`);
  const server = await startPreview(PORT);
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    if (NICE) console.log(`browser autogroup: ${niceBrowser(NICE)} (BENCH_NICE)`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // tsx (esbuild keepNames) wraps functions passed to page.evaluate in __name(); define it.
    await context.addInitScript('window.__name = (fn) => fn;');
    await context.addInitScript(LONG_TASK_OBSERVER);

    if (TIMELINE_ONLY) {
      await reportTimeline(context);
      await browser.close();
      return;
    }
    const first: FirstData[] = [];
    const slider = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await context.newPage();
      first.push(await firstData(page));
      await page.close();
      if (LOAD_ONLY) continue;
      const page2 = await context.newPage();
      slider.push(await sliderLatency(page2));
      await page2.close();
    }
    console.log(`first panels with data (seed scenario), median of ${RUNS}:`);
    console.log(
      `  panels ${round(median(first.map((f) => f.panelsMs)))} ms after navigation start`,
    );
    console.log(
      `  load to both results ${round(median(first.map((f) => f.resultsMs)))} ms ` +
        `(each: ${first.map((f) => Math.round(f.resultsMs)).join(', ')})`,
    );
    const longest = first.map((f) => f.longTasks.maxMs);
    console.log(
      `  long tasks until both results: longest ${round(Math.max(...longest))} ms ` +
        `(median of loads ${round(median(longest))} ms), ` +
        `median ${median(first.map((f) => f.longTasks.count))} tasks ` +
        `totalling ${round(median(first.map((f) => f.longTasks.totalMs)))} ms per load`,
    );
    const probe = await context.newPage();
    const pageCores = await probe.evaluate(() => navigator.hardwareConcurrency);
    await probe.close();
    printLoadBreakdown(first, pageCores);
    const groups = Object.keys(first[0]?.cpuMs ?? {});
    console.log(
      `  renderer CPU per load until both results (median ms; Linux /proc): ` +
        groups.map((g) => `${g} ${median(first.map((f) => f.cpuMs[g] ?? 0))}`).join(', '),
    );
    if (LOAD_ONLY) {
      await browser.close();
      return;
    }
    console.log(`slider change (CPUs 256 -> 128) to new results, median of ${RUNS}:`);
    console.log(`  first new samples ${round(median(slider.map((s) => s.samplesMs)))} ms`);
    console.log(`  both new results ${round(median(slider.map((s) => s.resultsMs)))} ms`);

    for (const [label, query] of [
      ['256 CPUs', 'r=300'],
      ['4096 CPUs', 'cpus=4096&r=300'],
    ] as const) {
      const page = await context.newPage();
      const f = await framesWhileStreaming(page, query);
      await page.close();
      console.log(
        `grid while streaming and playing, ${label} (?${query}): ${f.frames} frames in 3 s, ` +
          `frame interval median ${round(f.medianFrameMs)} ms / p95 ${round(f.p95FrameMs)} ms ` +
          `(${round(f.fps)} fps at the median, ${round(f.meanFps)} fps on average); grid draw median ${round(f.medianDrawMs)} ms / p95 ` +
          `${round(f.p95DrawMs)} ms over ${f.draws} draws; still streaming at the end: ${f.streamedSnapshots}`,
      );
    }
    await reportTimeline(context);
    await browser.close();
  } finally {
    server.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
