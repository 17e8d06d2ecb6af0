import { expect, test } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';

test.describe('panels', () => {
  test('hovering or arrowing over the grid shows a CPU’s numbers', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=16&r=3&grid=slots');
    await app.a.expectData();
    // The header and the race bar's key push the grid below the fold at 800 px high.
    await app.a.gridCanvas.scrollIntoViewIfNeeded();
    const box = await app.a.gridCanvas.boundingBox();
    expect(box).not.toBeNull();
    await page.mouse.move((box?.x ?? 0) + 3, (box?.y ?? 0) + 3);
    const tooltip = app.a.grid.getByRole('tooltip');
    await expect(tooltip).toContainText('CPU 0');
    await expect(tooltip).toContainText(/Slots: \d+ CPU-bound \+ \d+ task = \d+ of 4/);
    await page.mouse.move(0, 0);
    await expect(tooltip).toBeHidden();

    await app.a.gridCanvas.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(tooltip).toContainText('CPU 1');
    await page.keyboard.press('ArrowDown');
    await expect(tooltip).toContainText('CPU 5');
    expect(app.consoleErrors).toEqual([]);
  });

  test('the time cursor moves both columns on their own axes and is kept in the URL', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=32&r=6');
    await app.a.expectData();
    await app.b.expectData();
    await app.time.scrubber.focus();
    await page.keyboard.press('Home');
    await expect(page).toHaveURL(/[?&]at=0(&|$)/);
    await expect(app.a.gridCanvas).toHaveAccessibleName(/, at 0 s:/);
    await page.keyboard.press('End');
    await expect(page).toHaveURL(/[?&]at=1(&|$)/);
    await expect(app.a.gridCanvas).not.toHaveAccessibleName(/, at 0 s:/);

    await app.time.play.click();
    await expect(app.time.region.getByRole('button', { name: 'Pause' })).toBeVisible();
    await expect
      .poll(async () => Number(await app.time.scrubber.inputValue()), { timeout: 5000 })
      .toBeGreaterThan(20);
    await app.time.region.getByRole('button', { name: 'Pause' }).click();
    await expect(page).toHaveURL(/[?&]at=0\.\d+/);
    expect(app.consoleErrors).toEqual([]);
  });
});
