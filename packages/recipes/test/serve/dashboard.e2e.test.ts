import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveChromium, useChromium } from './chromium.js';
import { jsonPost, startServe } from './serve-helpers.js';

const TOKEN = 'e2e-token-5678';

describe.skipIf(!haveChromium)('the dashboard in headless Chromium', () => {
  const browser = useChromium();

  it('starts a recipe from the form, sees it complete live, shows its final state; cancels a sleeping run', async () => {
    const w = await startServe(TOKEN);
    const page = await browser.context().newPage();

    const denied = await page.goto(new URL('/?token=wrong-token-0000', w.url).href);
    expect(denied?.status()).toBe(401);

    await page.goto(new URL(`/?token=${TOKEN}`, w.url).href);
    expect(page.url()).not.toContain('token=');
    await page.selectOption('#start-recipe', 'test-orders');
    await page.fill('input[name="title"]', 'from the browser');
    await page.click('#start-form button[type="submit"]');
    const link = page.locator('#start-result a');
    await link.waitFor();
    const runId = (await link.textContent())!;
    // The row appears and turns `completed` over SSE: the page is never reloaded.
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await page.locator(`tr[data-run-id="${runId}"][data-status="completed"]`).waitFor({ timeout: 30_000 });
    expect(navigations).toEqual([]);

    await page.click(`tr[data-run-id="${runId}"] a`);
    await page.locator('#run-status').waitFor();
    expect(await page.textContent('#run-status')).toBe('completed');
    await expect(page.locator('svg.statechart g.active[data-state="done"]').count()).resolves.toBe(1);
    expect(await page.locator('svg.statechart g.active').count()).toBe(1);
    await page.screenshot({ path: path.join(w.dir, 'run-page.png'), fullPage: true });
    if (process.env.FORNEX_FLOW_DOCS_SCREENSHOT)
      await page.screenshot({ path: process.env.FORNEX_FLOW_DOCS_SCREENSHOT, fullPage: true });
    expect(existsSync(path.join(w.dir, 'run-page.png'))).toBe(true);

    // A run sleeping on its durable timer, cancelled from its page.
    const sleeping = (await (
      await w.call('/api/runs', {
        ...jsonPost({ recipe: 'test-orders', input: { title: 'sleeper', pauseMs: 600_000 } }),
        token: TOKEN,
      })
    ).json()) as { runId: string };
    await page.goto(new URL(`/runs/${sleeping.runId}`, w.url).href);
    await page.locator('svg.statechart g.active[data-state="pausing"]').waitFor({ timeout: 30_000 });
    await page.click('#cancel-run');
    await page.locator('#run-status', { hasText: 'cancelled' }).waitFor({ timeout: 30_000 });
    await page.close();
  }, 120_000);
});
