import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no serious or critical violations (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    const app = new SlotscopePage(page);
    await app.open('cpus=64&r=6&slots=3&b=2&grid=slots');
    await app.a.expectData();
    await app.b.expectData();
    await page.getByText('Cost model (advanced)').click();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(serious).toEqual([]);
  });
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
