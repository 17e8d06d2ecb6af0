import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';

// The page at a narrow width (columns stacked) and a wide one (side by side), in both themes.
for (const width of [800, 1920]) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`axe finds no serious or critical violations at ${width} px (${colorScheme})`, async ({
      page,
    }) => {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme });
      const app = new SlotscopePage(page);
      await app.open('cpus=64&r=6&slots=3&b=2&grid=slots');
      await app.a.expectData();
      await app.b.expectData();
      // No column ghosted (a faded column's text is what a contrast check would flag).
      await app.expectBothResults();
      await page.getByText('Cost model (advanced)').click();
      // An open Export list is checked too (its buttons and the status line).
      await app.b.locks.getByRole('button', { name: /^Export/ }).click();
      await expect(app.b.locks.getByRole('button', { name: 'SVG image' })).toBeVisible();
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      expect(serious).toEqual([]);
      expect(app.consoleErrors).toEqual([]);
    });
  }
}

test('every control is reachable by keyboard', async ({ page }) => {
  const app = new SlotscopePage(page);
  await app.open('cpus=16&r=2');
  await app.a.expectData();
  const reached = new Set<string>();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el) return '';
      return `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.id ?? ''}`;
    });
    reached.add(name);
  }
  const names = [...reached].join('\n');
  expect(names).toContain('input:CPUs slider');
  expect(names).toContain('canvas:CPU grid of design A');
  expect(names).toMatch(/input:Time cursor|input:/);
});
