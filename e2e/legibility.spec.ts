/**
 * What a new reader needs to read the panels: keyboard paths, labelled axes, a real legend, one
 * p99 per lock, explained counts, whole design names, honest placeholders and moving progress,
 * and the model itself, in the page.
 */
import { expect, test } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';

test.describe('keyboard', () => {
  test('a skip link leads to the charts', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=16&r=2');
    const skip = page.getByRole('link', { name: 'Skip to the charts' });
    await expect(skip).toBeAttached();
    // Start from the top of the document, whatever the browser focused while loading.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.getSelection()?.removeAllRanges();
    });
    await page.keyboard.press('Tab');
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#charts$/);
    await expect(page.locator('#charts')).toBeFocused();
  });

  test('the pressed preset looks different from a focused one', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open();
    const pressed = app.preset(/^Seed/);
    const other = app.preset(/^Heavier/);
    await expect(pressed).toHaveAttribute('aria-pressed', 'true');
    await other.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab'); // focus-visible on the unpressed button
    const look = (el: Element): string[] => {
      const s = getComputedStyle(el);
      return [s.backgroundColor, s.color, s.outlineStyle];
    };
    const [pressedBg, , pressedOutline] = await pressed.evaluate(look);
    const [focusedBg, , focusedOutline] = await other.evaluate(look);
    expect(pressedBg).not.toBe(focusedBg);
    expect(focusedOutline).not.toBe('none');
    expect(pressedOutline).toBe('none');
    await expect(pressed).toContainText('✓');
  });

  test('the log slider steps from CPUs = 1 to 2 with ArrowRight', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=1&r=2');
    await app.controls.cpusSlider.focus();
    await page.keyboard.press('ArrowRight');
    await expect(app.controls.cpusInput).toHaveValue('2');
    await expect(page).toHaveURL(/[?&]cpus=2(&|$)/);
  });
});

test.describe('legibility', () => {
  test('axes say what they count, the waiters have a legend, one p99 per lock', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=64&r=4');
    await app.expectBothResults();
    await expect(app.a.locks.getByRole('img', { name: /^Waiters over time/ })).toContainText(
      'threads waiting',
    );
    await expect(app.a.locks.getByRole('img', { name: /^Wait-time histogram/ })).toContainText(
      'sampled acquisitions',
    );
    const legend = app.a.locks.getByRole('list', { name: 'Waiters chart' });
    await expect(legend).toContainText('spinning');
    await expect(legend).toContainText('asleep on the lock');
    // list takes one accounting lock: the histogram's p99 is the table's.
    const row = app.a.locks.getByRole('row', { name: /nr_bp_mutex/ });
    const tableP99 = ((await row.getByRole('cell').nth(2).textContent()) ?? '').trim();
    await expect(app.a.locks.locator('p.readout')).toContainText(`p99 ${tableP99}`);
    await expect(
      app.a.locks.getByRole('img', { name: /^Wait-time histogram/ }),
    ).toHaveAccessibleName(new RegExp(`p99 ${tableP99.replace('.', '\\.')}`));
    // The two counts beside each other are explained.
    await expect(app.a.result).toContainText(
      /accounting operations 2,560 \(the threads' reserves and releases; the lock table's 2,568 acquisitions add the main thread's 8 untimed opens and closes of its 4 breakpoints\)/,
    );
    await expect(app.a.locks.getByRole('row', { name: /nr_bp_mutex/ })).toContainText('2,568');
    // A and B line up: both result blocks end with a comparison line, so the grids start level.
    const [ga, gb] = [await app.a.gridCanvas.boundingBox(), await app.b.gridCanvas.boundingBox()];
    expect(ga?.y).toBe(gb?.y);
    // The design pickers show whole names (wrapped below the select), not a cut-off option.
    await expect(
      page.getByText('(before the series: global list + nr_bp_mutex)').first(),
    ).toBeVisible();
    expect(app.consoleErrors).toEqual([]);
  });

  test('slot occupancy says why both designs look alike', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=64&r=4&grid=slots');
    await app.expectBothResults();
    for (const column of [app.a, app.b]) {
      await expect(column.grid).toContainText('Every design makes the same slot decisions');
    }
  });

  test('after Cancel nothing promises a result, and progress moves in tenths of a percent', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('r=100&p=128&t=512');
    await expect(app.time.region).toContainText(/simulating, \d+\.\d%/, { timeout: 20_000 });
    await expect(app.time.region).toContainText(/simulated/);
    await app.time.cancel.click();
    await expect(app.time.runAgain).toBeVisible();
    await expect(page.getByText('Result appears when the run finishes.')).toHaveCount(0);
    await expect(app.a.result).toContainText('Cancelled: no result');
    await expect(app.a.profile).toContainText('Cancelled');
  });
});

test.describe('the model in the page', () => {
  test('"About the model" renders docs/model.md, and each panel links to its part', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=16&r=2');
    await page.getByRole('link', { name: 'About the model' }).click();
    const model = page.getByRole('region', { name: 'About the model' });
    await expect(model.getByRole('heading', { name: '2. The simulated kernel' })).toBeVisible();
    await expect(model.getByRole('heading', { name: '4. Cost parameters' })).toBeVisible();
    await expect(model).toContainText('Calibrated');
    await expect(model).toContainText('[hypothesis]');
    // Rendered, not raw: no Markdown markers left in the text.
    expect(await model.textContent()).not.toMatch(/\*\*|^## /m);
    await expect(model.getByRole('table').first()).toBeVisible();

    await app.a.locks.getByRole('link', { name: 'the model: locks' }).click();
    await expect(page).toHaveURL(/#model-2-the-simulated-kernel$/);
    await expect(model.getByRole('heading', { name: '2. The simulated kernel' })).toBeInViewport();
    await app.a.profile.getByRole('link', { name: /published against simulated/ }).click();
    await expect(
      model.getByRole('heading', { name: '5. Published against simulated' }),
    ).toBeInViewport();
    // The cost drawer points into the page, not at a file the app does not serve.
    await page.getByText('Cost model (advanced)').click();
    await expect(
      page.getByRole('link', { name: 'About the model: cost parameters' }),
    ).toHaveAttribute('href', '#model-4-cost-parameters');
    await expect(page.getByText('docs/model.md explains')).toHaveCount(0);
  });
});
