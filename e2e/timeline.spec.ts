import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';

function timeline(page: Page) {
  const region = page.getByRole('region', { name: 'Timeline' });
  return {
    region,
    range: region.locator('.timeline-range'),
    canvasA: region.getByRole('img', { name: /^Timeline of design A/ }),
    canvasB: region.getByRole('img', { name: /^Timeline of design B/ }),
  };
}

/** The window the panel shows, as fractions of the axis (the range's data attribute). */
async function windowOf(page: Page): Promise<[number, number]> {
  const text = (await timeline(page).range.getAttribute('data-window')) ?? '';
  const [lo, hi] = text.split('~').map(Number);
  return [lo ?? NaN, hi ?? NaN];
}

test.describe('timeline', () => {
  test('draws both runs; W zooms, A/D pan, S zooms out; the axis toggles', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=32&r=6');
    await app.expectBothResults();
    const tl = timeline(page);
    await expect(tl.canvasA).toBeVisible();
    await expect(tl.canvasB).toBeVisible();
    await expect(tl.range).toContainText(/A 0 s – [\d.]+ [mµn]?s · B 0 s – /);
    // The worker records each run's summary after its result; until then the samples are drawn.
    await expect(tl.region.locator('.timeline-resolution')).toContainText(
      /A: summary at [\d.]+ [mµn]?s, .* · B: summary at [\d.]+ [mµn]?s, /,
    );
    // The overview names both runs' lengths with units.
    await expect(
      tl.region.getByRole('img', { name: /^Overview on a log time axis/ }),
    ).toHaveAccessibleName(/A \(list\) runs [\d.]+ [mµn]?s, B \(final\) runs [\d.]+ [mµn]?s/);

    const before = await tl.range.textContent();
    await tl.canvasA.focus();
    await page.keyboard.down('w');
    await expect
      .poll(async () => (await windowOf(page))[1] - (await windowOf(page))[0])
      .toBeLessThan(0.5);
    await page.keyboard.up('w');
    await expect(tl.range).not.toHaveText(before ?? '');
    await expect(page).toHaveURL(/[?&]tw=/);

    const [lo] = await windowOf(page);
    await page.keyboard.down('d');
    await expect.poll(async () => (await windowOf(page))[0]).toBeGreaterThan(lo);
    await page.keyboard.up('d');
    const [lo2] = await windowOf(page);
    await page.keyboard.down('a');
    await expect.poll(async () => (await windowOf(page))[0]).toBeLessThan(lo2);
    await page.keyboard.up('a');

    await tl.region.getByRole('button', { name: 'Whole run' }).click();
    await expect.poll(() => windowOf(page)).toEqual([0, 1]);

    // Own axes: B's range is its own run, no longer A's.
    const shared = await tl.range.textContent();
    await tl.region.getByLabel('each run fills the width').check();
    await expect(tl.range).not.toHaveText(shared ?? '');
    await expect(page).toHaveURL(/[?&]tx=own/);
    expect(app.consoleErrors).toEqual([]);
  });

  test('a click sets the time cursor; hovering shows the value with units', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=32&r=6&tx=own');
    await app.expectBothResults();
    const tl = timeline(page);
    await tl.canvasA.scrollIntoViewIfNeeded();
    const box = await tl.canvasA.boundingBox();
    if (!box) throw new Error('no timeline canvas');
    const gridBefore = await app.a.gridCanvas.getAttribute('aria-label');
    // The plot starts after the gutter of labels; a tenth of the way along it.
    const plotLeft = box.x + 116;
    await page.mouse.click(plotLeft + (box.width - 124) * 0.1, box.y + 20);
    // A tenth of the run, within a pixel or two.
    await expect.poll(() => Number(new URL(page.url()).searchParams.get('at'))).toBeCloseTo(0.1, 1);
    await expect(app.a.gridCanvas).not.toHaveAttribute('aria-label', gridBefore ?? '');

    await page.mouse.move(plotLeft + (box.width - 124) * 0.3, box.y + 20);
    const tooltip = tl.region.getByRole('tooltip');
    await expect(tooltip).toContainText(/CPU \d+/);
    await expect(tooltip).toContainText(/[\d.]+ [mµn]?s \(bin of [\d.]+ [mµn]?s/);
    expect(app.consoleErrors).toEqual([]);
  });

  test('zoomed to exact events, hovering a CPU names its span: state, thread, start, end', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    // A hundredth of each run: fine enough for the worker to re-simulate it event by event.
    await app.open('cpus=32&r=6&tx=own&tw=0.5~0.51');
    await app.expectBothResults();
    const tl = timeline(page);
    await expect(tl.region.locator('.timeline-resolution')).toContainText(/A: exact events/);
    await tl.canvasA.scrollIntoViewIfNeeded();
    const box = await tl.canvasA.boundingBox();
    if (!box) throw new Error('no timeline canvas');
    const tooltip = tl.region.getByRole('tooltip');
    // Along CPU 0's row until a span is under the pointer (a CPU may idle at some instants).
    let found = false;
    for (let f = 0.1; f < 0.95 && !found; f += 0.1) {
      await page.mouse.move(box.x + 116 + (box.width - 124) * f, box.y + 4);
      await expect(tooltip).toContainText(/CPU 0/);
      found = /[\d.]+ [mµn]?s to [\d.]+ [mµn]?s \([\d.]+ [mµn]?s\)/.test(
        (await tooltip.textContent()) ?? '',
      );
    }
    expect(found).toBe(true);
    expect(app.consoleErrors).toEqual([]);
  });

  test('at 800 px nothing scrolls sideways, and axe finds nothing serious', async ({ page }) => {
    await page.setViewportSize({ width: 800, height: 900 });
    const app = new SlotscopePage(page);
    await app.open('cpus=32&r=6');
    await app.expectBothResults();
    await expect(timeline(page).canvasA).toBeVisible();
    await app.expectNoHorizontalScroll();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const results = await new AxeBuilder({ page })
        .include('section[aria-label="Timeline"]')
        .analyze();
      const serious = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      expect(serious).toEqual([]);
    }
  });
});
