import { randomBytes } from 'node:crypto';
import type { FornexClient } from '@fornex-flow/core';

/** One recipe run of the demo. */
export interface DemoStep {
  recipeId: string;
  /** What the run does, in a few words. */
  what: string;
  input: unknown;
  /** Run it in a child process that is SIGKILLed after this many step effects, then resume it. */
  crashAfterEffects?: number;
}

/** The demo's four runs, with inputs read from the mock's world (its orders, keys and records). */
export async function demoPlan(client: FornexClient): Promise<DemoStep[]> {
  const vps = (await client.orders.list()).filter((o) => o.type === 'vps').map((o) => o.id);
  const statuses = await Promise.all(vps.map(async (id) => ({ id, status: (await client.vps.status(id)).status })));
  const running = statuses.find((s) => s.status === 'on')?.id ?? vps[0] ?? '34-177054';
  const resetTarget = vps.find((id) => id !== running) ?? running;
  const keys = await client.sshKeys.list();
  const replaced = keys.find((k) => k.title === 'test@test') ?? keys[0];
  const domains = await client.dns.domainList();
  const fromValue = domains.flatMap((d) => d.entry_set).find((r) => r.type === 'A')?.value ?? '127.0.0.1';
  const publicKey = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${randomBytes(24).toString('base64').replace(/=+$/, '')} demo@fornex-flow`;
  return [
    {
      recipeId: 'rotate-ssh-keys',
      what: `puts a new key on every VPS and dedicated order, 4 at a time, and removes key ${replaced?.id ?? '(none)'}; crashed on purpose mid-rotation`,
      input: {
        title: 'demo key',
        publicKey,
        ...(replaced ? { replaceKeyId: replaced.id } : {}),
        concurrency: 4,
      },
      // inspect, addKey, then the first batch: killed after its effect, before it is recorded.
      crashAfterEffects: 3,
    },
    {
      recipeId: 'reset-root-password',
      what: `resets the root password of ${resetTarget} and polls its job on a durable timer`,
      input: { orderId: resetTarget, pollIntervalMs: 500 },
    },
    {
      recipeId: 'migrate-dns',
      what: `moves every A record from ${fromValue} to 192.0.2.10, checks the zones, rolls back on failure`,
      input: { fromValue, toValue: '192.0.2.10' },
    },
    {
      recipeId: 'safe-reboot',
      what: `restarts ${running} and polls until it is back on`,
      input: { orderId: running, pollIntervalMs: 300, timeoutMs: 60_000 },
    },
  ];
}
