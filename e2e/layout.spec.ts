/**
 * The page at every width from a phone to a wide screen, and while it reruns: nothing scrolls
 * sideways, the columns stack below about 1000 px, the grids fit their columns, and a rerun keeps
 * the previous results in place instead of blanking them (layout shift).
 */
import { expect, test } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';

// 800 and 1920 px in both themes: the dark theme must not move anything either.
const LAYOUTS = [
  [360, 'light'],
  [800, 'light'],
  [800, 'dark'],
  [1280, 'light'],
  [1920, 'light'],
  [1920, 'dark'],
] as const;

for (const [width, colorScheme] of LAYOUTS) {
  test(`at ${width} px (${colorScheme}) nothing scrolls sideways and the grids fit their columns`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme });
    const app = new SlotscopePage(page);
    await app.open('cpus=64&r=4');
    await app.expectBothResults();
    await app.expectNoHorizontalScroll();
    for (const column of ['A', 'B'] as const) {
      const article = page.getByRole('article').filter({
        has: page.getByRole('heading', { name: new RegExp(`^Design ${column}`) }),
      });
      const [articleBox, canvasBox] = [
        await article.boundingBox(),
        await (column === 'A' ? app.a : app.b).gridCanvas.boundingBox(),
      ];
      expect(canvasBox && articleBox).toBeTruthy();
      if (!canvasBox || !articleBox) return;
      expect(canvasBox.x + canvasBox.width).toBeLessThanOrEqual(articleBox.x + articleBox.width);
      // The canvas's pixels match its CSS size times the device-pixel ratio.
      const [pixels, css, dpr] = await (column === 'A' ? app.a : app.b).gridCanvas.evaluate(
        (c: HTMLCanvasElement) => [c.width, c.getBoundingClientRect().width, devicePixelRatio],
      );
      expect(Math.abs((pixels ?? 0) - (css ?? 0) * (dpr ?? 1))).toBeLessThan(1);
    }
    const [aBox, bBox] = [
      await page.getByRole('article').nth(0).boundingBox(),
      await page.getByRole('article').nth(1).boundingBox(),
    ];
    if (width < 1000) {
      // Stacked: B starts below A.
      expect(bBox?.y ?? 0).toBeGreaterThanOrEqual((aBox?.y ?? 0) + (aBox?.height ?? 0));
    } else {
      // Side by side, and aligned: the two grids start at the same height.
      expect(bBox?.y).toBe(aBox?.y);
      const [ga, gb] = [await app.a.gridCanvas.boundingBox(), await app.b.gridCanvas.boundingBox()];
      expect(ga?.y).toBe(gb?.y);
      // The export controls sit at the same place in A's and B's panel heads, on the heading's line.
      for (const panel of ['grid', 'locks', 'profile'] as const) {
        const offsets = [];
        for (const side of [app.a, app.b]) {
          const button = await side[panel].getByRole('button', { name: /^Export/ }).boundingBox();
          const heading = await side[panel].getByRole('heading').boundingBox();
          offsets.push((button?.y ?? 0) - (heading?.y ?? 0));
        }
        expect(offsets[0]).toBeCloseTo(offsets[1] ?? Infinity, 1);
        expect(Math.abs(offsets[0] ?? Infinity)).toBeLessThan(6);
      }
    }
    // Every table either fits or scrolls inside its own box.
    const overflowing = await page.evaluate(
      () =>
        [...document.querySelectorAll('table')].filter((t) => {
          const r = t.getBoundingClientRect();
          return (
            r.right > document.documentElement.clientWidth + 0.5 && !t.closest('.table-scroll')
          );
        }).length,
    );
    expect(overflowing).toBe(0);
    expect(app.consoleErrors).toEqual([]);
  });
}

test('a slider drag keeps the previous results, ghosted, and shifts the layout under 0.02', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const app = new SlotscopePage(page);
  await app.open('cpus=64&r=4');
  await app.expectBothResults();
  // Scroll the locks panel into view: it is what moved by 170 px.
  await app.b.locks.scrollIntoViewIfNeeded();
  await page.evaluate(() => {
    const w = window as unknown as { __cls: number };
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<
        PerformanceEntry & { value: number; hadRecentInput: boolean }
      >) {
        if (!entry.hadRecentInput) w.__cls += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: false });
  });
  const before = await app.a.perfLines.textContent();
  const slider = app.controls.flagInput('Batches in total');
  // A run long enough to be caught in flight (r=6 could end, now that runs record their timeline
  // summary afterwards, between the two checks below); the next fill cancels it.
  await slider.fill('60');
  // The previous result stays, ghosted, with a running marker, until the new one arrives.
  await expect(page.locator('.column.stale').first()).toBeVisible();
  await expect(page.locator('.column.stale').first()).toContainText('running');
  expect(await app.a.perfLines.textContent()).toBe(before);
  await app.controls.flagInput('Batches in total').fill('8');
  await app.expectBothResults();
  // The change is shown: the old time and the new.
  await expect(app.a.result).toContainText(/Since the last run: [\d.]+ \S+ → [\d.]+ \S+/);
  await page.waitForTimeout(300);
  const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
  expect(cls).toBeLessThan(0.02);
  expect(app.consoleErrors).toEqual([]);
});
