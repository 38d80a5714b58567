import { EngineErrorCode } from '@fornex-flow/core';
import { describe, expect, it } from 'vitest';
import { planRotateSshKeys, rotateSshKeys } from '../../src/recipes/rotate-ssh-keys/index.js';
import type { TestKit } from '../../src/test-kit/index.js';
import { addFault, calls, dialects, effects, failureOf, startKit, tenant } from './helpers.js';

const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINewRotatedKey2026 ops@rotation';
const input = { title: 'ops 2026', publicKey, replaceKeyId: 67 };
// The personal tenant's key-holding orders: two VPS and a dedicated server.
const keyOrders = ['34-1234', '34-177054', '34-5678'];

/** The keys of the account and of each order, by key text: what "the end state" means here. */
function keyState(kit: TestKit) {
  const t = tenant(kit);
  const text = (id: number) => t.sshKeys.find((k) => k.id === id)?.key ?? `missing key ${id}`;
  return {
    account: t.sshKeys.map((k) => k.key).sort(),
    orders: Object.fromEntries(
      t.orders.filter((o) => keyOrders.includes(o.id)).map((o) => [o.id, o.sshKeyIds.map(text).sort()]),
    ),
  };
}

const keyText = (kit: TestKit, id: number) => tenant(kit).sshKeys.find((k) => k.id === id)?.key;

describe.each(dialects)('rotate-ssh-keys (%s)', (dialect) => {
  it('puts the new key everywhere, verifies it, removes the replaced one, and reports per order', async () => {
    const kit = await startKit([rotateSshKeys], dialect);
    const oldKey = keyText(kit, 67);
    const run = await kit.engine.start('rotate-ssh-keys', input);
    const end = await kit.finish(run);
    expect(end.status).toBe('completed');
    const output = (end as { output: { keyId: number; orders: unknown[] } }).output;
    expect(output).toMatchObject({
      keyCreated: true,
      replacedKeyId: 67,
      replacedKeyDeleted: true,
      replacedKeyKeptFor: [],
    });
    expect(output.orders).toEqual([
      { orderId: '34-1234', ok: true, newKey: 'added', replacedKey: 'absent' },
      { orderId: '34-177054', ok: true, newKey: 'added', replacedKey: 'removed' },
      { orderId: '34-5678', ok: true, newKey: 'added', replacedKey: 'removed' },
    ]);
    const state = keyState(kit);
    expect(state.account.filter((k) => k === publicKey)).toHaveLength(1);
    expect(state.account).not.toContain(oldKey);
    for (const orderId of keyOrders) {
      expect(state.orders[orderId]?.filter((k) => k === publicKey)).toHaveLength(1);
      expect(state.orders[orderId]).not.toContain(oldKey);
    }
    expect(effects(kit).filter((line) => line === 'POST /api/ssh_keys/add/')).toHaveLength(1);
    expect(effects(kit).at(-1)).toBe('POST /api/ssh_keys/delete/');
  });

  it('leaves the old key where the new one could not be put, keeps it on the account, and fails with the report', async () => {
    const kit = await startKit([rotateSshKeys], dialect);
    const oldKey = keyText(kit, 67);
    await addFault(kit, { method: 'POST', path: '/api/ssh_keys/34-177054/add/', status: 500 });
    const run = await kit.engine.start('rotate-ssh-keys', { ...input, concurrency: 2 });
    const end = await kit.finish(run);
    const { code, message } = failureOf(end);
    expect(code).toBe('PARTIAL');
    expect(message).toContain('rotate-ssh-keys: 1 of 3 orders failed; key 67 was kept on the account');
    expect(message).toContain('34-177054: adding the new key: ');
    expect(message).toContain('(new key missing, replaced key kept)');
    expect(message).toContain('Rotated: 34-1234, 34-5678');
    const state = keyState(kit);
    // The failed order still has its working old key and not the new one; the others are rotated.
    expect(state.orders['34-177054']).toContain(oldKey);
    expect(state.orders['34-177054']).not.toContain(publicKey);
    expect(state.orders['34-5678']).toEqual([publicKey]);
    expect(state.account).toContain(oldKey);
    expect(effects(kit)).not.toContain('POST /api/ssh_keys/delete/');
    // Every order holds at least one key from the account at every point we can see: here, the end.
    for (const orderId of ['34-177054', '34-5678']) expect(state.orders[orderId]?.length).toBeGreaterThan(0);
  });

  it('ends, stopped and resumed at any step, in the state of one clean run', async () => {
    const clean = await startKit([rotateSshKeys], dialect);
    const cleanEnd = await clean.finish(await clean.engine.start('rotate-ssh-keys', { ...input, concurrency: 1 }));
    expect(cleanEnd.status).toBe('completed');
    const expected = keyState(clean);
    const stepsOfCleanRun = (await clean.engine.steps((await clean.engine.list())[0]?.runId ?? '')).length;
    expect(stepsOfCleanRun).toBe(6); // inspect, addKey, three batches of one, deleteReplaced
    for (let stopAt = 1; stopAt <= stepsOfCleanRun; stopAt++) {
      const kit = await startKit([rotateSshKeys], dialect);
      let started = 0;
      let restarting: Promise<unknown> | undefined;
      kit.engine.on('step:started', () => {
        // Stop the engine just after the stopAt-th step went out (its request may or may not land).
        if (++started === stopAt) restarting = Promise.resolve().then(() => kit.restart());
      });
      const run = await kit.engine.start('rotate-ssh-keys', { ...input, concurrency: 1 });
      await kit.idle();
      expect(restarting, `the engine was stopped at step ${stopAt}`).toBeDefined();
      await restarting;
      const end = await kit.finish(run.runId);
      expect({ stopAt, status: end.status }).toEqual({ stopAt, status: 'completed' });
      expect(keyState(kit)).toEqual(expected);
      expect(effects(kit).filter((line) => line === 'POST /api/ssh_keys/add/').length).toBeLessThanOrEqual(1);
    }
  });

  it('refuses bad input before any effect, naming the field, and an unknown order or key before any change', async () => {
    const kit = await startKit([rotateSshKeys], dialect);
    const refused = async (value: unknown, field: string) =>
      expect(kit.engine.start('rotate-ssh-keys', value)).rejects.toMatchObject({
        code: EngineErrorCode.InvalidInput,
        message: expect.stringContaining(field),
      });
    await refused({ ...input, publicKey: 'not a key' }, 'publicKey');
    await refused({ ...input, orders: ['34-1234', 'x'] }, 'orders');
    await refused({ ...input, concurrency: 0 }, 'concurrency');
    await refused({ publicKey }, 'title');
    expect(calls(kit)).toEqual([]);
    const unknownOrder = await kit.finish(await kit.engine.start('rotate-ssh-keys', { ...input, orders: ['34-999'] }));
    expect(failureOf(unknownOrder)).toMatchObject({
      code: 'INSPECT_FAILED',
      message: 'rotate-ssh-keys: nothing was changed: not a VPS or dedicated server of this account: 34-999',
    });
    const unknownKey = await kit.finish(await kit.engine.start('rotate-ssh-keys', { ...input, replaceKeyId: 4242 }));
    expect(failureOf(unknownKey).message).toBe(
      'rotate-ssh-keys: nothing was changed: key 4242 (replaceKeyId) is not on the account',
    );
    expect(effects(kit)).toEqual([]);
  });

  it('keeps the replaced key on the account while an untargeted order holds it', async () => {
    const kit = await startKit([rotateSshKeys], dialect);
    const end = await kit.finish(await kit.engine.start('rotate-ssh-keys', { ...input, orders: ['34-177054'] }));
    expect(end).toMatchObject({
      status: 'completed',
      output: { replacedKeyDeleted: false, replacedKeyKeptFor: ['34-5678'] },
    });
    expect(keyState(kit).orders['34-5678']).toEqual([keyText(kit, 67)]);
  });

  it('plans a dry run from reads only', async () => {
    const kit = await startKit([rotateSshKeys], dialect);
    const plan = await planRotateSshKeys(kit.client, input);
    expect(plan.actions.map((a) => `${a.action} ${a.target}`)).toEqual([
      'add key account',
      'add key to order 34-1234',
      'add key to order 34-177054',
      'remove replaced key from order 34-177054',
      'add key to order 34-5678',
      'remove replaced key from order 34-5678',
      'delete key account',
    ]);
    expect(calls(kit).every((line) => line.startsWith('GET '))).toBe(true);
  });
});
