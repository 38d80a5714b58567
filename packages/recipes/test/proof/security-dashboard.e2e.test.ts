import { PERSONAL_API_KEY } from '@fornex-flow/mock-server';
import { describe, expect, it } from 'vitest';
import { haveChromium, useChromium } from '../serve/chromium.js';
import { jsonPost, type ServeWorld, startServe } from '../serve/serve-helpers.js';
import { expectNoSecret, nextResetAnswers, securityRecipesPath } from './security-kit.js';

const TOKEN = 'security-token-2468';
const VPS = '34-177054';

async function waitForStatus(w: ServeWorld, runId: string, status: string): Promise<void> {
  for (;;) {
    const run = (await (await w.call(`/api/runs/${runId}`, { token: TOKEN })).json()) as { run: { status: string } };
    if (run.run.status === status) return;
    if (['completed', 'failed', 'cancelled'].includes(run.run.status))
      throw new Error(`run ${runId} ended ${run.run.status}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!haveChromium)('no secret on the dashboard, its API, its live feed or its log', () => {
  const browser = useChromium();

  it('runs with secrets (completed, failed, from the form, the API and a hook): every page, response and event is clean', async () => {
    const w = await startServe(TOKEN, securityRecipesPath);
    const secrets = {
      formPassword: 'Vault-Pass-4242',
      failingPassword: 'fail-Vault-9931',
      hookPassword: 'Hook-Pass-5150',
      badInputPassword: 'Bad-Input-Pass-6060',
      resetPassword: 'Root-Pw-Served-7781',
      failedResetPassword: 'Root-Pw-Failed-3319',
    };
    // A reset run by the CLI before: its password is sealed in the database the server reads.
    const cliRun = await w.cli([
      '--json',
      'run',
      'reset-root-password',
      '--input',
      JSON.stringify({ orderId: VPS, pollIntervalMs: 100 }),
    ]);
    expect(cliRun.code).toBe(0);
    const cliPassword = /"password":"([^"]+)"/.exec(cliRun.stdout)?.[1];
    expect(cliPassword).toMatch(/^\S{8,}$/);
    const all = [...Object.values(secrets), cliPassword!];

    const page = await browser.context().newPage();
    const bodies: Promise<string>[] = [];
    const urls: string[] = [];
    page.on('response', (response) => {
      urls.push(response.url());
      // The live feed never ends: it is read through an EventSource of the page instead.
      if ((response.headers()['content-type'] ?? '').includes('text/event-stream')) return;
      bodies.push(response.text().catch(() => ''));
    });
    // The live feed from outside too, all along.
    const abort = new AbortController();
    const live = await w.call('/api/live', { token: TOKEN, signal: abort.signal });
    let liveText = '';
    const reading = (async () => {
      const reader = live.body!.pipeThrough(new TextDecoderStream()).getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          liveText += value;
        }
      } catch {
        // aborted at the end
      }
    })();

    await page.goto(new URL(`/?token=${TOKEN}`, w.url).href);
    await page.evaluate(() => {
      const seen: string[] = [];
      (globalThis as unknown as { seen: string[] }).seen = seen;
      const source = new EventSource('/api/live');
      for (const name of ['hello', 'run'])
        source.addEventListener(name, (event) => seen.push((event as MessageEvent).data));
    });

    // From the form: one login that completes, one whose step fails quoting the password and the key.
    const started: string[] = [];
    for (const password of [secrets.formPassword, secrets.failingPassword]) {
      await page.selectOption('#start-recipe', 'test-vault-login');
      await page.fill('input[name="user"]', 'ann');
      await page.fill('input[name="password"]', password);
      expect(await page.getAttribute('input[name="password"]', 'type')).toBe('password');
      await page.click('#start-form button[type="submit"]');
      const link = page.locator('#start-result a', { hasNotText: started.at(-1) ?? '\u0000' });
      await link.waitFor();
      started.push((await link.textContent())!);
    }
    await waitForStatus(w, started[0]!, 'completed');
    await waitForStatus(w, started[1]!, 'failed');

    // Through the API: a reset driven by this server (its password in the server's memory) ...
    await nextResetAnswers(w.mock.url, VPS, secrets.resetPassword);
    const answers: string[] = [];
    const reset = await w.call('/api/runs', {
      ...jsonPost({ recipe: 'reset-root-password', input: { orderId: VPS, pollIntervalMs: 100 } }),
      token: TOKEN,
    });
    const resetText = await reset.text();
    answers.push(resetText);
    const resetId = (JSON.parse(resetText) as { runId: string }).runId;
    await waitForStatus(w, resetId, 'completed');
    // ... and one that fails after the reset: the API refuses its polls, echoing the key.
    await nextResetAnswers(w.mock.url, VPS, secrets.failedResetPassword);
    const echo = {
      path: '/api/vps/log_details/*',
      status: 403,
      body: { error: `Access denied for apikey=${PERSONAL_API_KEY}` },
    };
    expect((await fetch(`${w.mock.url}/__mock/faults`, jsonPost(echo))).status).toBe(201);
    const failing = await w.call('/api/runs', {
      ...jsonPost({ recipe: 'reset-root-password', input: { orderId: VPS, pollIntervalMs: 100, timeoutMs: 3_000 } }),
      token: TOKEN,
    });
    const failingText = await failing.text();
    answers.push(failingText);
    await waitForStatus(w, (JSON.parse(failingText) as { runId: string }).runId, 'failed');
    await fetch(`${w.mock.url}/__mock/faults`, { method: 'DELETE' });

    // A webhook, and bad input quoting a secret (through the API and the hook).
    const hook = await w.call('/hooks/test-vault-login', {
      ...jsonPost({ user: 'hook', password: secrets.hookPassword }, { 'idempotency-key': 'security-1' }),
      token: TOKEN,
    });
    expect(hook.status).toBe(202);
    const hookText = await hook.text();
    answers.push(hookText);
    await waitForStatus(w, (JSON.parse(hookText) as { runId: string }).runId, 'completed');
    const bad = { user: 7, password: secrets.badInputPassword };
    for (const response of [
      await w.call('/api/runs', { ...jsonPost({ recipe: 'test-vault-login', input: bad }), token: TOKEN }),
      await w.call('/hooks/test-vault-login', { ...jsonPost(bad), token: TOKEN }),
    ]) {
      expect(response.status).toBe(400);
      answers.push(await response.text());
    }

    // Every page and every API answer, in the browser: the list, each run (children too), the script.
    const runs = (await (await w.call('/api/runs?children=1&limit=5000', { token: TOKEN })).json()) as {
      runs: { runId: string; status: string }[];
    };
    expect(runs.runs.map((r) => r.status).sort()).toEqual(
      expect.arrayContaining(['completed', 'completed', 'completed', 'completed', 'failed', 'failed']),
    );
    const pageTexts: string[] = [];
    const visit = async (target: string) => {
      const response = await page.goto(new URL(target, w.url).href);
      expect(response?.status(), target).toBe(200);
      pageTexts.push(await page.content(), (await page.textContent('body')) ?? '');
    };
    await visit('/');
    for (const run of runs.runs) {
      await visit(`/runs/${run.runId}`);
      await visit(`/api/runs/${run.runId}`);
    }
    for (const target of [
      '/assets/app.js',
      '/api/recipes',
      '/api/runs',
      '/api/runs?children=1',
      '/api/runs?status=failed',
    ])
      await visit(target);
    // The live feed of one run, in the browser (?run=): what it sends at once.
    await page.goto(new URL('/', w.url).href);
    const feed = await page.evaluate(async (runId) => {
      const seen: string[] = [];
      const source = new EventSource(`/api/live?run=${runId}`);
      source.addEventListener('run', (event) => seen.push((event as MessageEvent).data));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      source.close();
      return seen;
    }, resetId);
    const seenLive = await page.evaluate(() => (globalThis as unknown as { seen?: string[] }).seen ?? []);
    abort.abort();
    await reading;
    await page.close();
    const responseBodies = await Promise.all(bodies);

    // The checks can fail: the pages hold the runs, the feeds saw them end, the bodies were read.
    expect(pageTexts.join('\n')).toContain(resetId);
    expect(liveText).toContain(`"runId":"${resetId}"`);
    expect(responseBodies.join('\n')).toContain(resetId);
    expect(urls.some((url) => url.includes(`/api/runs/${resetId}`))).toBe(true);

    expectNoSecret(pageTexts, all, 'a page');
    expectNoSecret(responseBodies, all, 'a response body in the browser');
    expectNoSecret(answers, all, 'an API answer');
    expectNoSecret([liveText, ...seenLive, ...feed], all, 'the live feed');
    // Secret input fields are shown masked, not left out.
    expect(pageTexts.join('\n')).toContain('••••••');

    w.server.child.kill('SIGTERM');
    const served = await w.server.exited;
    expect(served.stdout).toContain(w.url);
    expectNoSecret([served.stdout, served.stderr], all, "the server's log");
  }, 180_000);
});
