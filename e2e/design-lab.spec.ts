import { expect, test } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';

/** The design lab (docs/design-lab.md): compose a design from parts and run it beside another. */
test.describe('the design lab', () => {
  const composed = 'task_struct+percpu-rwsem+histogram';

  test('composes task_struct+percpu-rwsem+histogram in A, runs it against final, and a link reproduces it', async ({
    page,
    context,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=64&r=4');
    const controls = page.getByRole('complementary', { name: 'Scenario controls' });
    await app.controls.designA.selectOption('compose');
    const part = (name: string) => controls.getByRole('combobox', { name: `${name} of column A` });
    // Composing starts from A's design (list) part by part.
    await expect(part('Store')).toHaveValue('list');
    await part('Store').selectOption('task_struct');
    await part('Lock').selectOption('percpu-rwsem');
    await part('Max').selectOption('histogram');
    // Each option carries its part's one-line description.
    await expect(part('Store').locator('option[value="lazy"]')).toHaveText(
      'lazy: lazily allocated per-task data (option 3)',
    );
    await expect(page).toHaveURL(new RegExp(`[?&]da=${composed.replace(/\+/g, '\\+')}(&|$)`));
    await expect(app.controls.designB).toHaveValue('final');

    await app.expectBothResults();
    await app.a.expectData();
    await app.b.expectData();
    const headerA = page.getByRole('heading', { name: /^Design A:/ });
    await expect(headerA).toContainText(composed);
    await expect(page.getByTestId('column-memory-A')).toHaveText('(memory: +48 B per task_struct)');
    await expect(page.getByTestId('design-memory-A')).toHaveText('Memory: +48 B per task_struct');
    await expect(page.getByTestId('design-memory-B')).toHaveText('Memory: no bytes added per task');
    await expect(app.narrative).toContainText(`A (${composed})`);
    await expect(app.narrative).toContainText('B (final)');
    const resultA = await app.a.resultText();
    const resultB = await app.b.resultText();
    expect(resultA).toMatch(/Total time:/);

    const fresh = new SlotscopePage(await context.newPage());
    await fresh.page.goto(page.url());
    await fresh.expectBothResults();
    await expect(fresh.controls.designA).toHaveValue('compose');
    const freshPart = (name: string) =>
      fresh.page.getByRole('combobox', { name: `${name} of column A` });
    await expect(freshPart('Store')).toHaveValue('task_struct');
    await expect(freshPart('Lock')).toHaveValue('percpu-rwsem');
    await expect(freshPart('Max')).toHaveValue('histogram');
    await expect(fresh.page.getByTestId('column-memory-A')).toHaveText(
      '(memory: +48 B per task_struct)',
    );
    expect(await fresh.a.resultText()).toBe(resultA);
    expect(await fresh.b.resultText()).toBe(resultB);
    expect([...app.consoleErrors, ...fresh.consoleErrors]).toEqual([]);
  });

  test('a composition equal to a preset is named both ways and runs as that preset', async ({
    page,
  }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=64&r=4&da=rhltable+percpu-rwsem+histogram&db=final');
    await app.expectBothResults();
    await expect(page.getByRole('heading', { name: /^Design A:/ })).toContainText(
      'rhltable+percpu-rwsem+histogram = final',
    );
    expect(await app.a.resultText()).toBe(await app.b.resultText());
  });

  test('a link with a bad part says so and runs the default design', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open('cpus=64&r=4&da=task_struct+mutex+histogram');
    await expect(app.notice).toContainText(
      "invalid design part 'mutex' (lock: global-mutex|sharded|percpu-rwsem|rwlock)",
    );
    await expect(app.controls.designA).toHaveValue('list');
    await app.expectBothResults();
  });
});
