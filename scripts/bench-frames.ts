/**
 * The page's speed figures, measured in Debian's headless Chromium against the production build:
 *
 * - first data: from navigation start to both columns' CPU grids and lock panels holding samples
 *   (and to both results), seed scenario, no query;
 * - slider latency: from a CPUs change to the first new samples and to both new results;
 * - grid frame times while samples stream and the cursor plays, at 256 and 4096 CPUs: the
 *   interval between animation frames (what the user sees) and the grid's own draw time.
 *
 * Run: npm run bench:frames (builds first). Starts its own `vite preview` on port 4174.
 * BENCH_RUNS=n repeats the load and slider measurements (median reported; default 3). The
 * simulation workers share the machine's cores with the page, so a loaded machine shows up in
 * the frame figures: note the load average beside them.
 */
import { spawn } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';

const PORT = 4174;
const BASE = `http://127.0.0.1:${PORT}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function waitForServer(url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no server at ${url}`);
}

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

async function firstData(page: Page): Promise<{ panelsMs: number; resultsMs: number }> {
  await page.goto(`${BASE}/`);
  const panelsMs = await untilInPage(
    page,
    [gridHasSamples('A'), gridHasSamples('B'), lockHasSamples('A'), lockHasSamples('B')].join(
      ' && ',
    ),
  );
  const resultsMs = await untilInPage(page, `${resultShown('A')} && ${resultShown('B')}`);
  return { panelsMs, resultsMs };
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

const round = (n: number): number => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const { loadavg, cpus } = await import('node:os');
  console.log(`machine: ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(2)}`);
  const server = spawn(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'preview',
      '--port',
      String(PORT),
      '--strictPort',
      '--host',
      '127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  try {
    await waitForServer(BASE);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // tsx (esbuild keepNames) wraps functions passed to page.evaluate in __name(); define it.
    await context.addInitScript('window.__name = (fn) => fn;');

    const first = [];
    const slider = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await context.newPage();
      first.push(await firstData(page));
      await page.close();
      const page2 = await context.newPage();
      slider.push(await sliderLatency(page2));
      await page2.close();
    }
    console.log(`first panels with data (seed scenario), median of ${RUNS}:`);
    console.log(
      `  panels ${round(median(first.map((f) => f.panelsMs)))} ms after navigation start`,
    );
    console.log(`  both results ${round(median(first.map((f) => f.resultsMs)))} ms`);
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
    await browser.close();
  } finally {
    server.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
