import { EngineErrorCode } from '@fornex-flow/core';
import { describe, expect, it } from 'vitest';
import { planResetRootPassword, resetRootPassword } from '../../src/recipes/reset-root-password/index.js';
import { calls, databaseText, dialects, effects, failureOf, startKit } from './helpers.js';

const orderId = '34-177054';

describe.each(dialects)('reset-root-password (%s)', (dialect) => {
  it('resets once, delivers the password once in clear, and stores it only redacted', async () => {
    const kit = await startKit([resetRootPassword], dialect);
    const shown: unknown[] = [];
    kit.engine.on('step:succeeded', ({ step, output }) => {
      if (step === 'resetPassword') shown.push(output);
    });
    const run = await kit.engine.start('reset-root-password', { orderId });
    const end = await kit.finish(run);
    // Listeners see the whole answer of passwd_reset (a secret) redacted; result() delivers it.
    expect(shown).toEqual(['[REDACTED]']);
    const { password } = (await run.result()) as { password: string };
    expect(password.length).toBeGreaterThanOrEqual(8);
    // In this process the answer is in clear; read back from the database, the whole answer of
    // passwd_reset (the password and its job id) is a secret.
    expect(await run.result()).toMatchObject({ orderId, password, jobId: dialect === 'en' ? 1234 : null });
    if (dialect === 'en') {
      expect(end).toEqual({
        status: 'completed',
        output: { orderId, confirmed: true, jobId: '[REDACTED]', password: '[REDACTED]' },
      });
      expect(calls(kit).filter((line) => line.includes('log_details')).length).toBe(3); // completes on its 3rd poll
    } else {
      expect(end).toEqual({
        status: 'completed',
        output: expect.objectContaining({
          confirmed: false,
          jobId: null,
          warning: expect.stringContaining('could not be confirmed'),
        }),
      });
      expect(calls(kit).some((line) => line.includes('log_details'))).toBe(false);
    }
    expect(calls(kit).filter((line) => line.includes('passwd_reset'))).toHaveLength(1);
    expect(effects(kit)).toEqual([]); // passwd_reset is a GET
    // Read back from the database, the password is a marker; nowhere in the file is it in clear.
    const stored = await kit.engine.get(run.runId);
    expect(JSON.stringify(stored)).not.toContain(password);
    expect(JSON.stringify(await kit.engine.history(run.runId))).not.toContain(password);
    expect(databaseText(kit)).not.toContain(password);
  });

  it('fails clearly at the timeout when the job never completes', async () => {
    const kit = await startKit([resetRootPassword], dialect, {
      mock: { jobCompleteAfterPolls: 1_000_000, jobCompleteAfterMs: 1_000_000_000 },
    });
    const run = await kit.engine.start('reset-root-password', { orderId, pollIntervalMs: 2_000, timeoutMs: 60_000 });
    const end = await kit.finish(run);
    if (dialect === 'ru') {
      // No job id to poll: it cannot time out, it completes unconfirmed.
      expect(end).toMatchObject({ status: 'completed', output: { confirmed: false } });
      return;
    }
    const { code, message } = failureOf(end);
    expect(code).toBe('TIMEOUT');
    expect(message).toContain(`the root password job of ${orderId} did not complete within 60000 ms`);
    expect(message).toContain('last state: ready');
    // Polled every 2 s of virtual time for a minute: about 30 polls, never more.
    const polls = calls(kit).filter((line) => line.includes('log_details')).length;
    expect(polls).toBeGreaterThanOrEqual(29);
    expect(polls).toBeLessThanOrEqual(30);
  });

  it('fails the run, rather than resetting twice, when the reset is cut off in flight', async () => {
    const kit = await startKit([resetRootPassword], dialect, { stepWaitMs: 100 });
    // The reset request hangs; the engine stops while it is in flight, a new one resumes the run.
    await fetch(`${kit.mock.url}/__mock/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: `/api/vps/passwd_reset/${orderId}/`, hang: true, times: 1 }),
    });
    const run = await kit.engine.start('reset-root-password', { orderId });
    await kit.idle();
    await kit.restart();
    const end = await kit.finish(run.runId);
    expect(failureOf(end)).toMatchObject({
      code: 'RESET_FAILED',
      message: expect.stringMatching(
        /^root password reset of 34-177054 failed: step resetPassword#1 .* cannot know whether it took effect$/,
      ),
    });
    expect(calls(kit).filter((line) => line.includes('passwd_reset'))).toHaveLength(1);
  });

  it('refuses bad input before any effect, naming the field; plans without an effect', async () => {
    const kit = await startKit([resetRootPassword], dialect);
    await expect(kit.engine.start('reset-root-password', { orderId, timeoutMs: 'soon' })).rejects.toMatchObject({
      code: EngineErrorCode.InvalidInput,
      message: expect.stringContaining('timeoutMs'),
    });
    await expect(kit.engine.start('reset-root-password', {})).rejects.toMatchObject({
      message: expect.stringContaining('orderId'),
    });
    expect(calls(kit)).toEqual([]);
    const plan = await planResetRootPassword(kit.client, { orderId });
    expect(plan.actions.map((a) => a.action)).toEqual(['reset root password', 'poll job']);
    expect(calls(kit)).toEqual([`GET /api/vps/status/${orderId}/`]);
  });
});
