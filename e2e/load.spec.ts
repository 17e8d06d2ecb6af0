import { expect, test } from '@playwright/test';
import { SlotscopePage } from './pages/SlotscopePage.ts';

/**
 * The page's startup order (issue 11): src/main.tsx posts the scenario's runs to the workers
 * before React's chunk renders, and the first render does not post them again. The marks are the
 * ones `npm run bench:frames` prints as the load's timeline.
 */
test.describe('the page load', () => {
  test('posts both runs once, before React renders, and shows both results', async ({ page }) => {
    const app = new SlotscopePage(page);
    await app.open();
    await app.expectBothResults();
    const marks = await page.evaluate(() => {
      const times = (name: string): number[] =>
        performance.getEntriesByName(`slotscope:${name}`, 'mark').map((m) => m.startTime);
      return {
        runStart: times('run-start'),
        renderStart: times('render-start'),
        receivedA: times('worker-received:A'),
        receivedB: times('worker-received:B'),
        doneA: times('done-applied:A'),
        doneB: times('done-applied:B'),
      };
    });
    // One run per column: no second run started by the first render.
    expect(marks.runStart).toHaveLength(1);
    expect(marks.receivedA).toHaveLength(1);
    expect(marks.receivedB).toHaveLength(1);
    expect(marks.renderStart).toHaveLength(1);
    const [runStart = NaN] = marks.runStart;
    const [renderStart = NaN] = marks.renderStart;
    expect(runStart).toBeLessThan(renderStart);
    expect(marks.doneA).toHaveLength(1);
    expect(marks.doneB).toHaveLength(1);
    expect(app.consoleErrors).toEqual([]);
  });
});
