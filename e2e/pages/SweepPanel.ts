/** The "Scaling sweep" panel, by role and accessible name. */
import { expect, type Locator, type Page } from '@playwright/test';

export class SweepPanel {
  readonly region: Locator;
  readonly param: Locator;
  readonly from: Locator;
  readonly to: Locator;
  readonly points: Locator;
  readonly run: Locator;
  readonly cancel: Locator;
  readonly status: Locator;
  readonly plot: Locator;
  readonly fits: Locator;
  readonly table: Locator;

  constructor(page: Page) {
    this.region = page.getByRole('region', { name: 'Scaling sweep' });
    this.param = this.region.getByRole('combobox', { name: 'Parameter' });
    this.from = this.region.getByRole('spinbutton', { name: 'From', exact: true });
    this.to = this.region.getByRole('spinbutton', { name: 'To', exact: true });
    this.points = this.region.getByRole('spinbutton', { name: 'Points', exact: true });
    this.run = this.region.getByRole('button', { name: 'Run sweep' });
    this.cancel = this.region.getByRole('button', { name: 'Cancel sweep' });
    this.status = this.region.getByRole('status');
    this.plot = this.region.getByRole('img', { name: /^usecs\/op \(log\) against/ });
    this.fits = this.region.locator('.sweep-fits table');
    this.table = this.region.locator('.sweep-table table');
  }

  design(name: string): Locator {
    return this.region.getByRole('checkbox', { name, exact: true });
  }

  async expectDone(timeout = 120_000): Promise<void> {
    await expect(this.status).toContainText(/^Done: /, { timeout });
    await expect(this.fits).toBeVisible({ timeout: 30_000 });
  }

  /** Each point's row of the table: "value design usecs/op". */
  async rows(): Promise<string[]> {
    const rows = this.table.locator('tbody tr');
    const texts: string[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = rows.nth(i).locator('td');
      texts.push(
        [
          await cells.nth(0).textContent(),
          await cells.nth(1).textContent(),
          await cells.nth(2).textContent(),
        ].join(' '),
      );
    }
    return texts;
  }

  /** The fit table's σ, κ, N* and error per design. */
  async fitRows(): Promise<string[]> {
    return this.fits.locator('tbody tr[data-design]').allTextContents();
  }
}
