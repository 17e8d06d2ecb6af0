/**
 * What the page claims about A against B: the race bar, the speedup line and the header's text
 * must tell the same story as the perf lines beside them (one Comparison, derive/comparison.ts).
 */
import { expect, test, type Locator } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';

/** perf bench's "Total time: 1.328 [sec]" in seconds. */
/**
 * The timed region, from perf's usecs/op line (whole µs / R / T): Total time prints whole ms, which
 * a sub-millisecond run shows as 0.000.
 */
async function timedUsecsPerOp(perfLines: Locator): Promise<number> {
  const text = (await perfLines.textContent()) ?? '';
  const match = /(\d+\.\d{6}) usecs\/op\n/.exec(text);
  expect(match, text).not.toBeNull();
  return Number(match?.[1]);
}

async function barWidth(app: SlotscopePage, column: 'A' | 'B'): Promise<number> {
  const box = await app.time.race.locator(`.race-bar.race-${column}`).boundingBox();
  return box?.width ?? 0;
}

test.describe('the race bar, the speedup and the narrative agree', () => {
  test('few tasks: the bars are as close as the times, and the texts name one factor', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=16&r=10&b=1&p=2&t=4');
    await app.expectBothResults();
    const a = await timedUsecsPerOp(app.a.perfLines);
    const b = await timedUsecsPerOp(app.b.perfLines);
    // The bars are the timed regions: their lengths are in the ratio of the usecs/op lines.
    const [wa, wb] = [await barWidth(app, 'A'), await barWidth(app, 'B')];
    expect(wa / wb).toBeGreaterThan((a / b) * 0.9);
    expect(wa / wb).toBeLessThan((a / b) * 1.1);
    // One factor everywhere: the speedup line, the race caption and the header.
    const speedup = /B over A: ([\d,.]+)× (faster|slower)/.exec(
      (await app.b.result.textContent()) ?? '',
    );
    expect(speedup).not.toBeNull();
    const factor = speedup?.[1] ?? '';
    await expect(app.time.race.locator('figcaption')).toContainText(`${factor}×`);
    await expect(app.narrative).toContainText(`${factor}×`);
    // The untimed tail (A's releases after the last join) is drawn and labelled, not counted.
    await expect(app.time.race).toContainText('untimed');
    expect(app.consoleErrors).toEqual([]);
  });

  test('-b 5 (ENOSPC): the benchmark failed to open its breakpoints; no times compared', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('b=5&r=4');
    await app.expectBothResults();
    await expect(app.time.race.locator('figcaption')).toContainText(
      'perf bench failed to open its breakpoints under both designs',
    );
    await expect(app.time.raceBars).toHaveAccessibleName(/failed to open its breakpoints/);
    await expect(app.time.race.locator('.race-bar')).toHaveCount(0);
    await expect(app.b.result).not.toContainText('the same');
    await expect(app.b.result).toContainText('failed to open');
    await expect(app.narrative).toContainText('ENOSPC');
    await expect(app.narrative).not.toContainText(/faster|slower/);
  });

  test('swapped designs: the text names A as the faster, never "B is the sliver"', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=64&r=4&da=final&db=list');
    await app.expectBothResults();
    await expect(app.b.result).toContainText(/B over A: [\d,.]+× slower/);
    await expect(app.narrative).toContainText(
      /A \(final\) finishes perf bench's timed region [\d,.]+× faster than B \(list\)/,
    );
    await expect(app.narrative).toContainText('A is the shorter bar');
    await expect(page.getByText('B is the sliver')).toHaveCount(0);
    expect(await barWidth(app, 'A')).toBeLessThan(await barWidth(app, 'B'));
    await expect(app.b.grid).toContainText('B is the slower design');
  });

  test('sharded: B’s resting cursor lies in B’s timed region, so its grid is not all idle', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=64&r=4&db=sharded');
    await app.expectBothResults();
    const label = (await app.b.gridCanvas.getAttribute('aria-label')) ?? '';
    const idle = Number(/Idle (\d+)/.exec(label)?.[1] ?? '64');
    expect(idle, label).toBeLessThan(64);
  });

  test('the watchpoints preset is described as what it is, on the page', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=64&r=4');
    await app.preset(/^Debugger watchpoints/).click();
    await expect(page.getByRole('navigation', { name: 'Presets' })).toContainText(
      '512 long-lived tasks hold watchpoints',
    );
    await app.expectBothResults(90_000);
    await expect(app.narrative).toContainText('the mixed workload (debugger watchpoints');
    await expect(app.narrative).not.toContainText('perf bench');
    await expect(app.narrative).not.toContainText('global mutex');
    await expect(app.b.result).toContainText(/B over A: .*p99 accounting wait|accounting/);
  });
});
