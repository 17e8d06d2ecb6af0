/**
 * Each panel's Export control, from the page: a PNG holds the panel's canvas pixel for pixel at the
 * device-pixel ratio, an SVG parses and carries the axes' text, and each CSV has its header and as
 * many records as the panel says, with the numbers the panel shows.
 */
import { expect, test, type Page } from '@playwright/test';
import { exportFile, SlotscopePage } from './pages/SlotscopePage.ts';
import { formatBytes, formatCount, formatNs } from '../src/report/format.ts';

const QUERY = 'cpus=64&r=6&slots=3&b=2';

function csvRows(bytes: Buffer): string[][] {
  const text = bytes.toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  // These files hold names and numbers only, so no field is quoted: a split is a full parse.
  expect(text).not.toContain('"');
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) => line.split(','));
}

/** Width and height from a PNG's IHDR, after checking its signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function openFinished(page: Page): Promise<SlotscopePage> {
  const app = new SlotscopePage(page);
  await app.open(QUERY);
  await app.a.expectData();
  await app.b.expectData();
  return app;
}

test.describe('exports at device-pixel ratio 2', () => {
  test.use({ deviceScaleFactor: 2 });

  test("the CPU grid's PNG holds the canvas's own pixels, 1:1 at the device-pixel ratio", async ({
    page,
  }) => {
    const app = await openFinished(page);
    const file = await exportFile(app.a.grid, 'PNG image');
    expect(file.name).toBe('slotscope-list-cpus-cpus64-r6-b2-slots3.png');
    expect(file.status).toMatch(/\(\d+(\.\d)? kB\)$/);
    const size = pngSize(file.bytes);
    const [panelBox, canvasPx] = await Promise.all([
      app.a.grid.boundingBox(),
      app.a.gridCanvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height]),
    ]);
    expect(size.width).toBe(Math.ceil(panelBox?.width ?? 0) * 2);
    expect(size.height).toBeGreaterThan((canvasPx[1] ?? 0) + 2 * 18);
    // The canvas's middle row of device pixels appears in the PNG, unresampled, below the title.
    const found = await app.a.gridCanvas.evaluate(async (canvas: HTMLCanvasElement, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const png = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
      if (!png) return null;
      png.drawImage(bitmap, 0, 0);
      const y = Math.floor(canvas.height / 2);
      const row = canvas.getContext('2d')?.getImageData(0, y, canvas.width, 1).data;
      if (!row) return null;
      const panel = canvas.closest('section')?.getBoundingClientRect();
      const left = Math.round((canvas.getBoundingClientRect().left - (panel?.left ?? 0)) * 2);
      for (let at = 0; at < bitmap.height; at++) {
        const candidate = png.getImageData(left, at, canvas.width, 1).data;
        if (candidate.every((v, i) => v === row[i])) return { at, y };
      }
      return { at: -1, y };
    }, file.bytes.toString('base64'));
    expect(found).not.toBeNull();
    expect(found?.at).toBeGreaterThan(found?.y ?? 0);
    expect(app.consoleErrors).toEqual([]);
  });
});

test('the lock panel exports an SVG that parses, keeps its axes as text and follows the theme', async ({
  page,
}) => {
  const app = await openFinished(page);
  const axisText = await app.a.locks
    .locator('svg .axis text')
    .evaluateAll((texts) => texts.map((t) => t.textContent ?? '').filter((t) => t !== ''));
  expect(axisText.length).toBeGreaterThan(5);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const file = await exportFile(app.a.locks, 'SVG image');
    expect(file.name).toBe('slotscope-list-locks-cpus64-r6-b2-slots3.svg');
    const parsed = await page.evaluate((markup) => {
      const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: root.nodeName,
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''),
        background: root.querySelector(':scope > rect')?.getAttribute('fill') ?? '',
        charts: root.querySelectorAll(':scope > svg').length,
        // Standalone: every chart element carries its style; no class is left to a stylesheet.
        classed: doc.querySelectorAll('[class]').length,
        unstyledPaths: [...doc.querySelectorAll('svg svg path')].filter(
          (p) => !/fill:\s*(rgb|none)/.test(p.getAttribute('style') ?? ''),
        ).length,
      };
    }, file.bytes.toString('utf8'));
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('svg');
    expect(parsed.charts).toBe(2);
    expect(parsed.classed).toBe(0);
    expect(parsed.unstyledPaths).toBe(0);
    for (const text of [...axisText, 'threads waiting', 'sampled acquisitions', 'nr_bp_mutex']) {
      expect(parsed.texts).toContain(text);
    }
    expect(parsed.texts[0]).toBe('slotscope · Locks · design A: list · cpus=64 r=6 b=2 slots=3 ·');
    const pageBackground = await page.evaluate(
      () => getComputedStyle(document.body).backgroundColor,
    );
    expect(parsed.background).toBe(pageBackground);
    expect(parsed.background).toBe(
      colorScheme === 'dark' ? 'rgb(24, 24, 27)' : 'rgb(255, 255, 255)',
    );
  }
  expect(app.consoleErrors).toEqual([]);
});

test('the CSVs have their headers and as many records as the panels say, with the same numbers', async ({
  page,
}) => {
  const app = await openFinished(page);
  const locks = app.a.locks;

  // The lock table: one record per row, the acquisitions and contended counts as shown.
  const table = csvRows((await exportFile(locks, 'CSV: lock table')).bytes);
  expect(table[0]).toEqual([
    'lock',
    'acquisitions',
    'contended',
    'wait_p50_ns',
    'wait_p99_ns',
    'wait_max_ns',
    'hold_total_ns',
  ]);
  const shownRows = await locks
    .getByRole('table')
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
    );
  expect(table.length - 1).toBe(shownRows.length);
  shownRows.forEach((shown, i) => {
    const record = table[i + 1] ?? [];
    expect(record[0]).toBe(shown[0]);
    expect(formatCount(Number(record[1]))).toBe(shown[1]);
    expect(formatCount(Number(record[2]))).toBe(shown[2]);
    expect(formatNs(Number(record[4]))).toBe(shown[3]);
    expect(formatNs(Number(record[5]))).toBe(shown[4]);
  });

  // Sampled acquisitions: as many as the histogram's readout counts.
  const readout = (await locks.locator('.readout').textContent()) ?? '';
  const sampled = Number(/of ([\d,]+) did not wait/.exec(readout)?.[1]?.replaceAll(',', ''));
  expect(sampled).toBeGreaterThan(0);
  const acquisitions = csvRows((await exportFile(locks, /^CSV: sampled acquisitions/)).bytes);
  expect(acquisitions[0]).toEqual(['acquired_at_ns', 'wait_ns', 'hold_ns', 'sampled_1_in']);
  expect(acquisitions.length - 1).toBe(sampled);
  const waited = acquisitions.slice(1).filter((r) => Number(r[1]) > 0).length;
  expect(readout).toContain(`bars: ${formatCount(waited)} sampled acquisitions that waited`);

  // Frames: the record under the time cursor has the grid legend's counts.
  await page.keyboard.press('Escape');
  const frames = csvRows((await exportFile(app.a.grid, /^CSV: per frame/)).bytes);
  expect(frames[0]?.slice(0, 3)).toEqual(['start_ns', 'end_ns', 'idle_cpus']);
  const legend = await app.a.grid
    .getByRole('list', { name: 'CPU states' })
    .locator('li')
    .allTextContents();
  const gridName = (await app.a.gridCanvas.getAttribute('aria-label')) ?? '';
  const cursorText = /, at (.+?):/.exec(gridName)?.[1];
  // The grid names the frame by its start, as formatNs prints it.
  const atCursor = frames.slice(1).find((r) => formatNs(Number(r[0])) === cursorText);
  expect(atCursor).toBeDefined();
  legend.forEach((item, s) => {
    expect(item.endsWith(`: ${Math.round(Number(atCursor?.[2 + s]))}`)).toBe(true);
  });
  // Every CPU is in one state at a time (the last frame, cut short by the run's end, aside).
  for (const record of frames.slice(1, -1)) {
    const cpus = record.slice(2, 2 + legend.length).reduce((sum, v) => sum + Number(v), 0);
    expect(cpus).toBeCloseTo(64, 2);
  }

  // ENOSPC per CPU: one record per CPU.
  const perCpu = csvRows((await exportFile(app.a.grid, 'CSV: ENOSPC per CPU')).bytes);
  expect(perCpu[0]).toEqual(['cpu', 'enospc_reserves']);
  expect(perCpu.length - 1).toBe(64);

  // The profile: the panel's rows are the CSV's first records, with the same percentages.
  const profile = csvRows((await exportFile(app.a.profile, /^CSV: profile/)).bytes);
  expect(profile[0]).toEqual(['symbol', 'cpu_time_ns', 'percent', 'published_percent']);
  const profileRows = await app.a.profile
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.textContent ?? ''));
  profileRows.forEach((text, i) => {
    const record = profile[i + 1] ?? [];
    expect(text).toBe(`${record[0]}${Number(record[2]).toFixed(2)}%`);
  });

  // perf bench's lines, as shown.
  const perf = await exportFile(app.b.result, 'Text: perf bench output');
  expect(perf.name).toBe('slotscope-final-perf-bench-cpus64-r6-b2-slots3.txt');
  expect(perf.bytes.toString('utf8')).toBe(`${await app.b.resultText()}\n`);

  // The race: both runs, their timed regions as the race bar prints them.
  const race = csvRows((await exportFile(app.time.race, 'CSV: both results')).bytes);
  expect(race.map((r) => r[0])).toEqual(['column', 'A', 'B']);
  expect(race.map((r) => r[1])).toEqual(['design', 'list', 'final']);
  const raceName = await app.time.raceBars.getAttribute('aria-label');
  for (const record of race.slice(1)) {
    expect(raceName).toContain(`design ${record[0]} (${record[1]}) ${formatNs(Number(record[2]))}`);
  }
  expect(app.consoleErrors).toEqual([]);
});

test('the Export list opens and closes from the keyboard and names what it saved', async ({
  page,
}) => {
  const app = await openFinished(page);
  const toggle = app.a.profile.getByRole('button', { name: /^Export/ });
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const png = app.a.profile.getByRole('button', { name: 'PNG image' });
  await expect(png).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(png).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(png).toBeHidden();
  await expect(toggle).toBeFocused();
  // The race bar's picture: a PNG of the figure, named for both designs.
  const race = await exportFile(app.time.race, 'PNG image');
  expect(race.name).toBe('slotscope-list-vs-final-race-cpus64-r6-b2-slots3.png');
  expect(pngSize(race.bytes).width).toBeGreaterThan(300);
  // Its SVG has the rows' labels and times (laid out by a grid of display: contents rows).
  const raceSvg = (await exportFile(app.time.race, 'SVG image')).bytes.toString('utf8');
  const values = await app.time.race.locator('.race-value').allTextContents();
  expect(values).toHaveLength(2);
  for (const value of values) {
    const time = /^[\d.]+ \S+/.exec(value)?.[0] ?? 'missing';
    expect(raceSvg).toContain(`>${time}</text>`);
  }
  expect(raceSvg).toContain('>list</text>');
  expect(app.consoleErrors).toEqual([]);
});

test("the race bar's trace holds every event of both runs, its size stated beside the button", async ({
  page,
}) => {
  const app = await openFinished(page);
  const race = csvRows((await exportFile(app.time.race, 'CSV: both results')).bytes);
  const endNs = race.slice(1).map((r) => Number(r[race[0]?.indexOf('end_ns') ?? -1]));
  const file = await exportFile(app.time.race, 'Trace (Perfetto / speedscope)');
  expect(file.name).toBe('slotscope-list-vs-final-trace-cpus64-r6-b2-slots3.json');
  const text = file.bytes.toString('utf8');
  // Perfetto reads a JSON trace only when traceEvents comes first.
  expect(text.startsWith('{"traceEvents":[')).toBe(true);
  const trace = JSON.parse(text) as {
    traceEvents: Array<{ ph: string; name: string; pid: number; args?: { name?: string } }>;
    otherData: { scenario: string; runs: Array<{ design: string; toUs: number }> };
  };
  const processes = trace.traceEvents
    .filter((e) => e.ph === 'M' && e.name === 'process_name')
    .map((e) => e.args?.name ?? '');
  expect(processes.map((name) => name.split(' ')[0])).toEqual(['list', 'final']);
  expect(trace.otherData.scenario).toBe('cpus=64&r=6&b=2&slots=3');
  // Each run from its start to its end, as the results say.
  expect(trace.otherData.runs.map((r) => r.design)).toEqual(['list', 'final']);
  trace.otherData.runs.forEach((run, i) => expect(run.toUs * 1000).toBeCloseTo(endNs[i] ?? 0, 0));
  // list's mutex hands over to its waiters (flows); and the file has its flows.
  expect(trace.traceEvents.filter((e) => e.ph === 's' && e.pid === 1).length).toBeGreaterThan(0);
  const size = app.time.race.locator('.export-item', { hasText: /^Trace/ }).locator('.export-size');
  await expect(size).toHaveText(formatBytes(file.bytes.length));
  expect(file.status).toContain(`(${formatBytes(file.bytes.length)})`);
  expect(app.consoleErrors).toEqual([]);
});

test("the timeline's trace holds the window it shows, in each run's own time", async ({ page }) => {
  const app = new SlotscopePage(page);
  // Each run fills the width; the window is the second quarter of each.
  await app.open(`${QUERY}&tx=own&tw=0.25~0.5`);
  await app.a.expectData();
  await app.b.expectData();
  const race = csvRows((await exportFile(app.time.race, 'CSV: both results')).bytes);
  // The timeline's axis is each run's timed region (perf bench's Total time).
  const timedColumn = race[0]?.indexOf('total_time_ns') ?? -1;
  const timedNs = race.slice(1).map((r) => Number(r[timedColumn]));
  // Close the race bar's list, which floats over the timeline's head.
  await page.keyboard.press('Escape');
  const timeline = page.getByRole('region', { name: 'Timeline' });
  const file = await exportFile(timeline, 'Trace of this window (Perfetto / speedscope)');
  expect(file.name).toBe('slotscope-list-vs-final-trace-window-cpus64-r6-b2-slots3.json');
  const trace = JSON.parse(file.bytes.toString('utf8')) as {
    traceEvents: Array<{ ph: string; ts?: number; dur?: number }>;
    otherData: { runs: Array<{ design: string; fromUs: number; toUs: number }> };
  };
  expect(trace.otherData.runs.map((r) => r.design)).toEqual(['list', 'final']);
  trace.otherData.runs.forEach((run, i) => {
    const timed = timedNs[i] ?? NaN;
    expect(run.fromUs * 1000).toBeCloseTo(0.25 * timed, -1);
    expect(run.toUs * 1000).toBeCloseTo(0.5 * timed, -1);
  });
  // Every slice meets the window (a span that crosses its edge is written whole).
  const slices = trace.traceEvents.filter((e) => e.ph === 'X');
  expect(slices.length).toBeGreaterThan(0);
  const lo = Math.min(...trace.otherData.runs.map((r) => r.fromUs));
  const hi = Math.max(...trace.otherData.runs.map((r) => r.toUs));
  for (const e of slices) {
    expect(e.ts ?? NaN).toBeLessThanOrEqual(hi + 1e-3);
    expect((e.ts ?? NaN) + (e.dur ?? 0)).toBeGreaterThanOrEqual(lo - 1e-3);
  }
  expect(app.consoleErrors).toEqual([]);
});
