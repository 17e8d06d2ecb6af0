import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';

test.describe('the default view', () => {
  test('shows every panel of both designs with data, and no console errors', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open();
    await expect(page.getByRole('heading', { name: 'slotscope' })).toBeVisible();
    await app.a.expectData();
    await app.b.expectData();
    await expect(app.a.grid.getByRole('heading', { name: 'CPUs' })).toBeVisible();
    for (const column of [app.a, app.b]) {
      await expect(column.perfLines).toContainText(
        /^Total time: \d+\.\d{3} \[sec\]\n[\d.]+ usecs\/op\n/,
      );
      await expect(column.perfLines).toContainText(/\d+\.\d{6} usecs\/op\/cpu$/);
    }
    await expect(app.b.result).toContainText(/B over A: [\d,.]+× faster/);
    // The seed scenario shows the published figures, labelled as such.
    await expect(app.a.result).toContainText('published');
    await expect(app.a.profile.getByRole('columnheader', { name: 'published' })).toBeVisible();
    await expect(app.a.profile).toContainText('37.27%');
    await expect(page.getByRole('img', { name: /^Race bar/ })).toBeVisible();
    expect(page.url()).toBe(new URL('/', page.url()).href);
    await app.expectNoHorizontalScroll();
    expect(app.consoleErrors).toEqual([]);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`screenshot, ${colorScheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
      const app = new SlotscopePage(page);
      await app.open();
      await app.a.expectData();
      await app.b.expectData();
      mkdirSync('e2e-artifacts', { recursive: true });
      await page.screenshot({ path: `e2e-artifacts/default-${colorScheme}.png`, fullPage: true });
      if (colorScheme === 'light' && process.env.UPDATE_DOCS_SCREENSHOT) {
        // The README's picture, refreshed on purpose only (npm run screenshot), so a test run
        // leaves the working tree clean.
        await page.screenshot({ path: 'docs/screenshot.png' });
      }
      expect(app.consoleErrors).toEqual([]);
    });
  }
});
