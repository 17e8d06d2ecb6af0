/**
 * The sweep's speed (not a test: figures go in the closing note and docs/sweeps.md).
 *
 * 1. `sim sweep`'s 12-point CPU sweep (16..4096) of the seed scenario for list and final, on
 *    worker threads (one per core), timed by wall clock and by CPU time (process.cpuUsage counts
 *    every thread of the process), with the load average before and after: on a shared machine
 *    the CPU time is the steadier figure. Target: under 10 s of wall time on two cores.
 * 2. With --page, the same sweep in the page (a `vite preview` it starts on port 4175, after
 *    `vite build`): the time to its result and the page's long tasks while it runs (target: none
 *    over 200 ms).
 *
 *   npm run bench:sweep [-- --page]
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseSweepArgs, runSweepPoints, workerPool } from '../src/cli/sweep.ts';
import { CHROMIUM, CHROMIUM_ARGS, startPreview } from './preview.ts';

const ARGS = ['--param', 'cpus', '--from', '16', '--to', '4096', '--points', '12'];
const QUERY = 'sw=cpus&sw.from=16&sw.to=4096&sw.n=12&sw.d=list,final';
const PORT = 4175;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function cliSweep(): Promise<void> {
  const options = parseSweepArgs([...ARGS, '--design', 'list,final']);
  if (options === null) throw new Error('no options');
  const cores = availableParallelism();
  console.log(`sim sweep, 24 points (list, final) on ${cores} worker threads; load ${load()}`);
  const pool = workerPool(cores);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const points = await runSweepPoints(options, pool);
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await pool.close();
  const events = points.reduce((n, p) => n + (p.events ?? 0), 0);
  console.log(
    `  wall ${wallS.toFixed(2)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s ` +
      `(${points.filter((p) => p.status === 'done').length} points ran, ${events.toLocaleString('en-US')} events); ` +
      `load after ${load()}; target < 10 s wall on two cores`,
  );
}

async function pageSweep(): Promise<void> {
  const { chromium } = await import('@playwright/test');
  const base = `http://127.0.0.1:${PORT}`;
  const server = await startPreview(PORT);
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(`
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    `);
    // The columns' runs first, so the long tasks counted are the sweep's own: the panel's default
    // sweep is this one (list and final, 16..4096 CPUs, 12 points), started by its Run button.
    await page.goto(base);
    await page
      .getByText(/Total time:/)
      .first()
      .waitFor({ timeout: 120_000 });
    await page.locator('.column.stale').waitFor({ state: 'detached', timeout: 120_000 });
    await page.waitForTimeout(2000);
    await page.evaluate('window.__longTasks = []');
    console.log(`page sweep (${QUERY}, from the Run button); load ${load()}`);
    const started = performance.now();
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await page.getByText(/^Done: /).waitFor({ timeout: 600_000 });
    await page.locator('.sweep-fits').waitFor({ timeout: 60_000 });
    const wallS = (performance.now() - started) / 1000;
    const tasks = await page.evaluate<number[]>('window.__longTasks');
    if (!page.url().endsWith(QUERY))
      throw new Error(`the sweep run was not ${QUERY}: ${page.url()}`);
    const status = await page.locator('.sweep-status').textContent();
    console.log(
      `  ${status}; ${wallS.toFixed(1)} s from Run to the fit; long tasks ${tasks.length}, ` +
        `longest ${Math.round(Math.max(0, ...tasks))} ms (target: none over 200 ms); load after ${load()}`,
    );
    await browser.close();
  } finally {
    server.kill();
  }
}

await cliSweep();
if (process.argv.includes('--page')) await pageSweep();
