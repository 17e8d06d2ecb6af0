import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';

test.describe('changing and sharing the scenario', () => {
  test('the CPUs input and slider update the grid and the URL', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open('r=4');
    await expect(app.a.gridCanvas).toHaveAccessibleName(/, 256 CPUs, /);
    await app.controls.cpusInput.fill('64');
    await expect(page).toHaveURL(/[?&]cpus=64(&|$)/);
    await expect(app.a.gridCanvas).toHaveAccessibleName(/, 64 CPUs, /);
    await app.a.expectData();

    await app.controls.cpusSlider.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const cpus = Number(app.query().get('cpus'));
    expect(cpus).toBeLessThan(64);
    await expect(app.controls.cpusInput).toHaveValue(String(cpus));
    await expect(app.a.gridCanvas).toHaveAccessibleName(new RegExp(`, ${cpus} CPUs, `));
    await app.b.expectData();
    expect(app.consoleErrors).toEqual([]);
  });

  test('a copied link reproduces the scenario and the results in a new page', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const app = new SlotscopePage(page);
    await app.open();
    await app.controls.cpusInput.fill('128');
    await app.controls.flagInput('Batches in total').fill('8');
    await app.controls.designB.selectOption('rwsem');
    await app.a.expectData();
    await app.b.expectData();
    await app.controls.copyLink.click();
    await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain('cpus=128');
    expect(link).toContain('r=8');
    expect(link).toContain('db=rwsem');

    const fresh = new SlotscopePage(await context.newPage());
    await fresh.page.goto(link);
    await fresh.a.expectData();
    await fresh.b.expectData();
    await expect(fresh.controls.cpusInput).toHaveValue('128');
    await expect(fresh.controls.designB).toHaveValue('rwsem');
    expect(await fresh.a.resultText()).toBe(await app.a.resultText());
    expect(await fresh.b.resultText()).toBe(await app.b.resultText());
    expect([...app.consoleErrors, ...fresh.consoleErrors]).toEqual([]);
  });

  test('the page and `sim bench --scenario` give the same numbers for the same query', async ({
    page,
  }) => {
    const query = 'v=1&cpus=64&r=4&da=sharded&db=ideal';
    const app = new SlotscopePage(page);
    await app.open(query);
    await app.a.expectData();
    await app.b.expectData();
    const cli = execFileSync('npx', ['tsx', 'src/cli/sim.ts', 'bench', '--scenario', query], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const perfLines = (text: string): string[] =>
      text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => /^Total time:|^[\d.]+ usecs\/op/.test(line));
    expect(perfLines(cli)).toEqual([
      ...perfLines(await app.a.resultText()),
      ...perfLines(await app.b.resultText()),
    ]);
  });

  test('a preset sets everything it names, and Back returns', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=64&r=4');
    await app.preset('Heavier: -r 100 -p 128 -t 512').click();
    await expect(app.controls.flagInput('Batches in total')).toHaveValue('100');
    await expect(app.controls.flagInput('Worker threads')).toHaveValue('128');
    await expect(app.controls.flagInput('Threads per batch')).toHaveValue('512');
    await expect(app.controls.cpusInput).toHaveValue('256');
    expect(app.query().toString()).toBe('v=1&r=100&p=128&t=512');
    await expect(app.preset(/^Heavier/)).toHaveAttribute('aria-pressed', 'true');

    await app.preset(/^Debugger watchpoints/).click();
    await expect(page.getByRole('radio', { name: /^mixed/ })).toBeChecked();
    await expect(app.controls.designA).toHaveValue('sharded');
    await expect(app.controls.designB).toHaveValue('rwsem');
    expect(app.query().get('workload')).toBe('mixed');
    expect(app.query().get('m.cpuBound')).toBe('256');
    await app.b.expectData();
    await app.expectNoHorizontalScroll();

    await app.preset('4096 CPUs').click();
    await expect(app.controls.cpusInput).toHaveValue('4096');
    await expect(app.a.gridCanvas).toHaveAccessibleName(/, 4096 CPUs, /);
    await app.expectNoHorizontalScroll();

    await page.goBack();
    await expect(app.controls.designA).toHaveValue('sharded');
    expect(app.consoleErrors).toEqual([]);
  });

  test('cancel stops a long run', async ({ page }) => {
    const app = new SlotscopePage(page);
    // A long run within the page's budget (about 2.9 million events for its worst design).
    await app.open('r=90&p=128&t=512');
    await expect(app.time.cancel).toBeVisible();
    await expect(app.time.progress('A')).toHaveAttribute('value', /0\.0*[1-9]/, {
      timeout: 10_000,
    });
    await app.time.cancel.click();
    await expect(app.time.runAgain).toBeVisible();
    await expect(app.time.region).toContainText('cancelled');
    const stopped = await app.time.progress('A').getAttribute('value');
    await page.waitForTimeout(500);
    expect(await app.time.progress('A').getAttribute('value')).toBe(stopped);
    await expect(app.time.cancel).toBeHidden();
    expect(app.consoleErrors).toEqual([]);
  });
});

test.describe('bad links', () => {
  test('a malformed URL shows the corrections and a working page', async ({ page }) => {
    const app = new SlotscopePage(page);
    const markup = encodeURIComponent('<img src=x onerror=alert(1)>');
    await app.open(`cpus=0&slots=99&da=${markup}&r=banana&zz=1&cpus=7&r=4`);
    await expect(app.notice).toBeVisible();
    await expect(app.notice).toContainText('cpus: 0 → 1 (1..4096)');
    await expect(app.notice).toContainText('slots: 99 → 16 (1..16)');
    await expect(app.notice).toContainText('da: "<img src=x onerror=alert…" → list');
    await expect(app.notice).toContainText('r: "banana" → 30 (not a number)');
    await expect(page.locator('img')).toHaveCount(0);
    await app.a.expectData();
    await app.b.expectData();
    await app.notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(app.notice).toBeHidden();
    expect(app.consoleErrors).toEqual([]);
  });

  test('a link from a newer version says so', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open('v=99&cpus=32&r=2&newKey=1');
    await expect(app.notice).toContainText('newer version');
    await expect(app.controls.cpusInput).toHaveValue('32');
    await app.a.expectData();
  });

  test('a scenario too large for the browser is refused with a smaller suggestion', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('r=100000&t=4096');
    await expect(page.getByRole('alert').first()).toContainText('Too large for the browser');
    expect(app.consoleErrors).toEqual([]);
  });

  test('the 2M-thread run at 4096 CPUs is refused at once, with a suggestion that fits', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=4096&p=4096&t=4096&r=487');
    const alert = page.getByRole('alert').first();
    await expect(alert).toContainText('Too large for the browser', { timeout: 5_000 });
    await expect(alert).toContainText("the page's budget is");
    const suggested = /Try -r (\d+) or fewer\./.exec((await alert.textContent()) ?? '');
    expect(suggested).not.toBeNull();
    // The suggestion is itself accepted: the page starts simulating it.
    await app.open(`cpus=4096&p=4096&t=4096&r=${suggested?.[1]}`);
    await expect(app.time.region).toContainText(/simulating/, { timeout: 10_000 });
    await expect(page.getByText('Too large for the browser')).toHaveCount(0);
    expect(app.consoleErrors).toEqual([]);
  });
});
