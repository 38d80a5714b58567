import { EngineErrorCode } from '@fornex-flow/core';
import { describe, expect, it } from 'vitest';
import { planSafeReboot, safeReboot } from '../../src/recipes/safe-reboot/index.js';
import { addFault, calls, dialects, effects, failureOf, startKit, tenant } from './helpers.js';

const orderId = '34-177054';

describe.each(dialects)('safe-reboot (%s)', (dialect) => {
  it('restarts the server and polls until it is back on, without a hard reset', async () => {
    const kit = await startKit([safeReboot], dialect);
    const run = await kit.engine.start('safe-reboot', { orderId });
    const end = await kit.finish(run);
    expect(end).toEqual({ status: 'completed', output: { orderId, status: 'on', hardReset: false, polls: 1 } });
    expect(effects(kit)).toEqual([`POST /api/vps/restart/${orderId}/`]);
    expect(tenant(kit).orders.find((o) => o.id === orderId)?.power?.state).toBe('on');
  });

  it('hard-resets a server that does not come back after the restart, then sees it on', async () => {
    const kit = await startKit([safeReboot], dialect);
    // The server dies during the reboot: once the restart was accepted, the world has it off for good.
    kit.engine.on('step:succeeded', ({ step }) => {
      const order = tenant(kit).orders.find((o) => o.id === orderId);
      if (step === 'restart' && order) order.power = { state: 'off', transition: null };
    });
    const run = await kit.engine.start('safe-reboot', {
      orderId,
      pollIntervalMs: 5_000,
      hardResetAfterMs: 60_000,
      timeoutMs: 300_000,
    });
    const end = await kit.finish(run);
    expect(end).toMatchObject({ status: 'completed', output: { orderId, status: 'on', hardReset: true } });
    expect(effects(kit)).toEqual([`POST /api/vps/restart/${orderId}/`, `POST /api/vps/hard_reset/${orderId}/`]);
    // Twelve polls saw it off in the first minute, then the hard reset, then the poll that saw it on.
    const statusPolls = calls(kit).filter((line) => line.startsWith('GET /api/vps/status/'));
    expect(statusPolls.length).toBe((end as { output: { polls: number } }).output.polls);
    expect(statusPolls.length).toBeGreaterThanOrEqual(12);
  });

  it('fails clearly past the timeout when even the hard reset does not bring it back', async () => {
    const kit = await startKit([safeReboot], dialect);
    await addFault(kit, { method: 'GET', path: `/api/vps/status/${orderId}/`, body: { status: 'off' } });
    const run = await kit.engine.start('safe-reboot', { orderId, timeoutMs: 120_000, hardResetAfterMs: 30_000 });
    const end = await kit.finish(run);
    expect(failureOf(end)).toEqual({
      name: 'RecipeFailure',
      code: 'TIMEOUT',
      message: `${orderId} was not back on within 120000 ms of the restart, even after a hard reset; last status: off`,
    });
    expect(effects(kit)).toEqual([`POST /api/vps/restart/${orderId}/`, `POST /api/vps/hard_reset/${orderId}/`]);
    await expect(run.result()).rejects.toMatchObject({ code: EngineErrorCode.RunFailed });
  });

  it('refuses bad input before any effect, naming the field', async () => {
    const kit = await startKit([safeReboot], dialect);
    await expect(kit.engine.start('safe-reboot', { orderId: 'not an order' })).rejects.toMatchObject({
      code: EngineErrorCode.InvalidInput,
      message: expect.stringContaining('orderId'),
    });
    await expect(
      kit.engine.start('safe-reboot', { orderId, timeoutMs: 10_000, hardResetAfterMs: 20_000 }),
    ).rejects.toMatchObject({ message: expect.stringContaining('hardResetAfterMs: must be less than timeoutMs') });
    await expect(kit.engine.start('safe-reboot', { orderId, pollIntervallMs: 10 })).rejects.toMatchObject({
      message: expect.stringContaining('pollIntervallMs'),
    });
    await expect(planSafeReboot(kit.client, { orderId: 42 })).rejects.toMatchObject({
      code: EngineErrorCode.InvalidInput,
      message: expect.stringContaining('orderId'),
    });
    expect(calls(kit)).toEqual([]);
  });

  it('plans a dry run from a read of the status, changing nothing', async () => {
    const kit = await startKit([safeReboot], dialect);
    const plan = await planSafeReboot(kit.client, { orderId, timeoutMs: 60_000 });
    expect(plan.actions.map((a) => a.action)).toEqual(['restart', 'poll status', 'hard reset', 'fail']);
    expect(plan.actions[2]?.detail).toContain('30000 ms');
    expect(plan.warnings).toEqual([`${orderId} is "off" now: a restart will power it on`]);
    expect(calls(kit)).toEqual([`GET /api/vps/status/${orderId}/`]);
  });
});
