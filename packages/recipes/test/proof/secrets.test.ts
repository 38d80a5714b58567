import { existsSync, readFileSync } from 'node:fs';
import { OTHER_API_KEY, PERSONAL_API_KEY } from '@fornex-flow/mock-server';
import { describe, expect, it } from 'vitest';
import { ndjson } from '../cli/helpers.js';
import { crashCases } from './crash-cases.js';
import { type CrashWorld, createCrashWorld } from './crash-world.js';

/** Every spelling of a secret a careless store or log might hold. */
function spellings(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex'), JSON.stringify(secret)];
}

/** The database's files, WAL and shared memory included, as latin1 text. */
function dbFiles(world: CrashWorld): string {
  return ['', '-wal', '-shm', '-journal']
    .map((suffix) => `${world.db}${suffix}`)
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('\n');
}

async function journalText(world: CrashWorld): Promise<string> {
  return (await fetch(`${world.mock.url}/__mock/requests?limit=1000`)).text();
}

async function personalTenant(world: CrashWorld): Promise<unknown> {
  const state = (await (await fetch(`${world.mock.url}/__mock/state`)).json()) as { tenants: { id: string }[] };
  return state.tenants.find((tenant) => tenant.id === 'personal');
}

describe('secrets of reset-root-password through the CLI', { timeout: 60_000 }, () => {
  it('the API key and the new password are in no database file (WAL too), journal, stored event or later output', async () => {
    const world = await createCrashWorld({ name: 'sqlite' });
    const input = JSON.stringify({ orderId: '34-177054', pollIntervalMs: 100, timeoutMs: 60_000 });
    const running = world.spawn(['--json', 'run', 'reset-root-password', '--input', input]);
    const completed = JSON.parse(await running.waitForLine((line) => line.includes('"event":"run:completed"')));
    // Killed at once: the WAL and the shared memory file are left as they were, unmerged.
    running.child.kill('SIGKILL');
    await running.exited;
    const password = completed.output.password as string;
    expect(password).toMatch(/^\S{8,}$/);
    expect(existsSync(`${world.db}-wal`)).toBe(true);
    const files = dbFiles(world);
    expect(files).toContain(completed.runId); // the files were read, and hold the run
    for (const secret of [...spellings(password), ...spellings(PERSONAL_API_KEY)]) expect(files).not.toContain(secret);

    const show = await world.cli(['--json', 'show', completed.runId]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('[REDACTED]');
    const runs = await world.cli(['--json', 'runs']);
    const later = await world.cli(['resume', '--all']);
    for (const output of [show, runs, later]) {
      expect(output.stdout + output.stderr).not.toContain(password);
    }
    // The stored events (the run's history) hold the password only as [REDACTED].
    const history = JSON.stringify(ndjson(show.stdout));
    expect(history).not.toContain(password);
    expect(await journalText(world)).not.toContain(password);
    expect(await journalText(world)).not.toContain(PERSONAL_API_KEY);
    for (const output of world.outputs) expect(output).not.toContain(PERSONAL_API_KEY);
  });
});

describe('another tenant through the recipes', { timeout: 60_000 }, () => {
  it.each(crashCases.map((c) => [c.id, c] as const))(
    '%s run with the OTHER key changes nothing of the personal tenant and shows none of its data',
    async (id, c) => {
      const world = await createCrashWorld({ name: 'sqlite' });
      const before = await personalTenant(world);
      // migrate-dns names a domain of the personal tenant: found by the other key, it would be changed.
      const own =
        id === 'migrate-dns' ? { fromValue: '127.0.0.1', toValue: '192.0.2.7', domains: ['test.com'] } : c.input;
      const input = JSON.stringify(own);
      const other = await world.spawn(['run', id, '--input', input], { FORNEX_API_KEY: OTHER_API_KEY }).exited;
      const dry = await world.spawn(['run', id, '--input', input, '--dry-run'], {
        FORNEX_API_KEY: OTHER_API_KEY,
      }).exited;
      expect(await personalTenant(world)).toEqual(before);
      for (const result of [other, dry]) {
        const text = result.stdout + result.stderr;
        // Data only the personal tenant has: its domain, its key's title, its VPS's hostname and address.
        for (const personal of ['example.com', 'test@test', 'srv-177054', '185.22.153.54'])
          expect(text).not.toContain(personal);
        expect(text).not.toMatch(/\n\s+at /);
      }
      // Refused as a missing object (the other tenant's view), or nothing found to change.
      expect(other.code).toBe(1);
    },
  );
});
