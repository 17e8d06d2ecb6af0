/**
 * The scaling sweep: run a small sweep from the panel and read the fit, cancel one, open a sweep
 * link in a fresh browser and get the same plot and numbers, which are also `sim sweep`'s.
 */
import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';
import { SweepPanel } from './pages/SweepPanel.ts';

/** A scenario small enough for a sweep to end in seconds on a loaded machine. */
const SMALL = 'r=2&b=2&p=4&t=8';

test.describe('the scaling sweep', () => {
  test('does not run on the default page', async ({ page }) => {
    const app = new SlotscopePage(page);
    const sweep = new SweepPanel(page);
    await app.open(SMALL);
    await app.expectBothResults();
    await expect(sweep.run).toBeEnabled();
    await expect(sweep.status).toHaveCount(0);
    expect(page.url()).not.toContain('sw=');
  });

  test('runs from the panel, shows the fit, and gives sim sweep’s numbers; a fresh browser opening its link draws the same', async ({
    page,
    browser,
  }) => {
    test.setTimeout(240_000);
    const app = new SlotscopePage(page);
    const sweep = new SweepPanel(page);
    await app.open(SMALL);
    await sweep.from.fill('8');
    await sweep.to.fill('64');
    await sweep.points.fill('4');
    await sweep.design('final').uncheck();
    await sweep.design('ideal').check();
    await sweep.run.click();
    await expect(page).toHaveURL(/sw=cpus&sw\.from=8&sw\.to=64&sw\.n=4&sw\.d=list,ideal/);
    await sweep.expectDone();
    const fits = await sweep.fitRows();
    expect(fits).toHaveLength(2);
    for (const row of fits) expect(row).toMatch(/^(list|ideal)\S+\S+.*%$/);
    await expect(sweep.plot).toHaveAccessibleName(/8 points of list, ideal/);
    const rows = await sweep.rows();
    expect(rows).toHaveLength(8);

    // The same points from the command line, from the page's own link.
    const query = new URL(page.url()).search.slice(1);
    const cli = JSON.parse(
      execFileSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli/sim.ts', 'sweep', '--scenario', query, '--json'],
        { encoding: 'utf8' },
      ),
    ) as { results: Array<{ value: number; design: string; usecsPerOp: number }> };
    const format = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: 3,
      maximumFractionDigits: 3,
    });
    expect(rows).toEqual(
      cli.results.map((r) => `${r.value} ${r.design} ${format.format(r.usecsPerOp)}`),
    );

    // A fresh browser context (no state) opening the link reruns the sweep and draws the same.
    const fresh = await browser.newContext();
    const freshPage = await fresh.newPage();
    const again = new SweepPanel(freshPage);
    await freshPage.goto(`/?${query}`);
    await again.expectDone();
    expect(await again.rows()).toEqual(rows);
    expect(await again.fitRows()).toEqual(fits);
    const d = async (p: SweepPanel) =>
      p.plot
        .locator('path.sweep-point')
        .evaluateAll((paths) => paths.map((el) => el.getAttribute('transform')));
    expect(await d(again)).toEqual(await d(sweep));
    await fresh.close();
    expect(app.consoleErrors).toEqual([]);
  });

  test('cancels a sweep and keeps what ran', async ({ page }) => {
    const app = new SlotscopePage(page);
    const sweep = new SweepPanel(page);
    // The seed's list at up to 4096 CPUs: many seconds of points, cancelled early.
    await app.open('sw=cpus&sw.from=16&sw.to=4096&sw.n=12&sw.d=list,final');
    await expect(sweep.status).toContainText(/^Running: /, { timeout: 30_000 });
    await expect(sweep.cancel).toBeEnabled();
    await sweep.cancel.click();
    await expect(sweep.status).toContainText(/^Cancelled: \d+ of 24 points ran/);
    await expect(sweep.cancel).toBeDisabled();
    await expect(sweep.fits).toHaveCount(0);
    expect(app.consoleErrors).toEqual([]);
  });
});
