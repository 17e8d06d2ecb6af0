/**
 * Page objects for slotscope: what a user sees, found by role and accessible name. One object
 * per panel; SlotscopePage ties them together and records console errors.
 */
import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';
import type { ColumnId } from '../../src/worker/protocol.ts';

export class ColumnPanels {
  readonly result: Locator;
  readonly perfLines: Locator;
  readonly grid: Locator;
  readonly gridCanvas: Locator;
  readonly locks: Locator;
  readonly profile: Locator;

  constructor(page: Page, column: ColumnId) {
    this.result = page.getByRole('region', { name: `Result of design ${column}` });
    this.perfLines = this.result.locator('pre');
    this.grid = page.getByRole('region', { name: `CPU grid, design ${column}` });
    this.gridCanvas = this.grid.getByRole('img', { name: /^CPU grid of design/ });
    this.locks = page.getByRole('region', { name: `Locks, design ${column}` });
    this.profile = page.getByRole('region', { name: `Profile, design ${column}` });
  }

  /** Waits until the run finished and every panel has data. */
  async expectData(): Promise<void> {
    // perf bench's lines for the thread workload, a summary for the mixed one.
    await expect(this.perfLines).toContainText(/Total time:|Simulated time:/, { timeout: 30_000 });
    await expect(this.gridCanvas).not.toHaveAccessibleName(/no samples yet/);
    await expect(this.locks.getByRole('img', { name: /^Waiters over time/ })).toBeVisible();
    await expect(this.locks.getByRole('table')).toBeVisible();
    await expect(this.profile.getByRole('row').nth(1)).toBeVisible();
  }

  async resultText(): Promise<string> {
    return (await this.perfLines.textContent()) ?? '';
  }
}

/** A file saved through a panel's Export control. */
export interface ExportedFile {
  readonly name: string;
  readonly bytes: Buffer;
  /** What the control said it saved ("Saved <name> (45.3 kB)"). */
  readonly status: string;
}

/** Opens `panel`'s Export list (if closed) and saves the file of the button named `item`. */
export async function exportFile(panel: Locator, item: string | RegExp): Promise<ExportedFile> {
  const toggle = panel.getByRole('button', { name: /^Export/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const [download] = await Promise.all([
    panel.page().waitForEvent('download'),
    panel.getByRole('button', { name: item }).click(),
  ]);
  const status = panel.getByRole('status').filter({ hasText: /^Saved / });
  await expect(status).toContainText(download.suggestedFilename());
  return {
    name: download.suggestedFilename(),
    bytes: await readFile(await download.path()),
    status: (await status.textContent()) ?? '',
  };
}

export class ControlsPanel {
  readonly cpusInput: Locator;
  readonly cpusSlider: Locator;
  readonly designA: Locator;
  readonly designB: Locator;
  readonly copyLink: Locator;

  constructor(readonly page: Page) {
    const controls = page.getByRole('complementary', { name: 'Scenario controls' });
    this.cpusInput = controls.getByRole('spinbutton', { name: 'CPUs', exact: true });
    this.cpusSlider = controls.getByRole('slider', { name: 'CPUs slider' });
    this.designA = controls.getByRole('combobox', { name: 'Design A' });
    this.designB = controls.getByRole('combobox', { name: 'Design B' });
    this.copyLink = controls.getByRole('button', { name: 'Copy link' });
  }

  flagInput(name: string): Locator {
    return this.page.getByRole('spinbutton', { name });
  }
}

export class TimePanel {
  readonly region: Locator;
  /** The race bar's figure: its caption and the bars' image. */
  readonly race: Locator;
  readonly raceBars: Locator;
  readonly cancel: Locator;
  readonly runAgain: Locator;
  readonly play: Locator;
  readonly scrubber: Locator;

  constructor(page: Page) {
    this.region = page.getByRole('region', { name: 'Time control' });
    this.race = this.region.getByRole('figure', { name: 'Race' });
    this.raceBars = this.region.getByRole('img', { name: /^Race bar/ });
    this.cancel = this.region.getByRole('button', { name: 'Cancel simulation' });
    this.runAgain = this.region.getByRole('button', { name: 'Run again' });
    this.play = this.region.getByRole('button', { name: /^(Play|Pause)$/ });
    this.scrubber = this.region.getByRole('slider', { name: 'Time cursor' });
  }

  progress(column: ColumnId): Locator {
    return this.region.getByRole('progressbar', {
      name: new RegExp(`^Simulation progress of design ${column}`),
    });
  }
}

export class SlotscopePage {
  readonly a: ColumnPanels;
  readonly b: ColumnPanels;
  readonly controls: ControlsPanel;
  readonly time: TimePanel;
  readonly notice: Locator;
  /** The header's second paragraph, written from the runs. */
  readonly narrative: Locator;
  readonly consoleErrors: string[] = [];

  constructor(readonly page: Page) {
    this.a = new ColumnPanels(page, 'A');
    this.b = new ColumnPanels(page, 'B');
    this.controls = new ControlsPanel(page);
    this.time = new TimePanel(page);
    this.notice = page.getByRole('status', { name: 'Link notice' });
    this.narrative = page.locator('header p.narrative');
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => this.consoleErrors.push(error.message));
  }

  async open(query = ''): Promise<void> {
    await this.page.goto(query ? `/?${query}` : '/');
  }

  preset(label: string | RegExp): Locator {
    return this.page
      .getByRole('navigation', { name: 'Presets' })
      .getByRole('button', { name: label });
  }

  /** Waits until both columns show a finished run's result (perf lines or the ENOSPC error). */
  async expectBothResults(timeout = 60_000): Promise<void> {
    for (const column of [this.a, this.b]) {
      await expect(column.perfLines).toContainText(/Total time:|Simulated time:|ENOSPC/, {
        timeout,
      });
    }
    await expect(this.page.locator('.column.stale')).toHaveCount(0, { timeout });
  }

  /** The layout fits the viewport's width (1280 px in the config): no horizontal scrolling. */
  async expectNoHorizontalScroll(): Promise<void> {
    const [scrollWidth, viewportWidth] = await this.page.evaluate(() => [
      document.documentElement.scrollWidth,
      window.innerWidth,
    ]);
    expect(scrollWidth).toBeLessThanOrEqual(viewportWidth);
  }

  query(): URLSearchParams {
    return new URL(this.page.url()).searchParams;
  }
}
