import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, createCliWorld, ndjson, PERSONAL_API_KEY } from './helpers.js';

describe('fornex-flow: help, configuration and bad usage', { timeout: 60_000 }, () => {
  it('--help names every command and the default database, and exits 0', async () => {
    const w = await createCliWorld();
    const { code, stdout } = await w.cli(['--help']);
    expect(code).toBe(0);
    for (const command of ['recipes', 'run', 'resume', 'runs', 'show', 'cancel', 'worker', 'mock', 'demo'])
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(stdout).toMatch(/default: .*fornex-flow[/\\]runs\.db/);
  });

  it('--help and recipes load neither the engine, nor SQLite, nor Hono', async () => {
    const w = await createCliWorld();
    const tracer = path.join(path.dirname(binPath), '../../test/cli/fixtures/trace-imports.mjs');
    const loadedBy = (args: string[], env: Record<string, string>) => {
      const file = path.join(w.dir, `imports-${args.join('-')}.txt`);
      const result = spawnSync(process.execPath, ['--import', tracer, binPath, ...args], {
        env: { ...env, FORNEX_TRACE_IMPORTS: file },
      });
      expect(result.status).toBe(0);
      return readFileSync(file, 'utf8');
    };
    const help = loadedBy(['--help'], w.env);
    expect(help).toContain('/commander/');
    expect(help).not.toMatch(
      /@fornex-flow|packages\/(core|sqlite|mock-server)\/|better-sqlite3|\/hono\/|\/xstate\/|\/zod\//,
    );
    // The shipped recipes only (no test module): the recipe definitions, never the store or the server.
    const { FORNEX_FLOW_RECIPES: _, ...shipped } = w.env;
    const recipes = loadedBy(['recipes'], shipped);
    expect(recipes).not.toMatch(/packages\/(sqlite|mock-server)\/|better-sqlite3|\/hono\/|log-update/);
  });

  it('refuses --api-key in any spelling with exit 2, never echoing the value', async () => {
    const w = await createCliWorld();
    for (const args of [
      ['run', 'test-orders', '--api-key', 'sekrit-value-1'],
      ['--api-key=sekrit-value-1', 'runs'],
      ['runs', '--apikey', 'sekrit-value-1'],
    ]) {
      const { code, stdout, stderr } = await w.cli(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(/--api-key is refused.*FORNEX_API_KEY.*--api-key-file/);
      expect(stdout + stderr).not.toContain('sekrit-value-1');
    }
  });

  it('reads the key from --api-key-file, and says where to put it when there is none', async () => {
    const w = await createCliWorld();
    const keyFile = path.join(w.dir, 'key');
    writeFileSync(keyFile, `${PERSONAL_API_KEY}\n`, { mode: 0o600 });
    const noKey = await w.cli(['run', 'test-orders', '--set', 'title=k'], { FORNEX_API_KEY: '' });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr.trim()).toBe('fornex-flow: no API key: set FORNEX_API_KEY or pass --api-key-file FILE');
    const fromFile = await w.cli(['--api-key-file', keyFile, 'run', 'test-orders', '--set', 'title=from-file'], {
      FORNEX_API_KEY: '',
    });
    expect(fromFile.stderr).toBe('');
    expect(fromFile.code).toBe(0);
  });

  it('bad usage and bad input exit 2 with one line on stderr, and start nothing', async () => {
    const w = await createCliWorld();
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [
        ['run', 'no-such-recipe'],
        /unknown recipe "no-such-recipe" \(recipes: rotate-ssh-keys, reset-root-password, migrate-dns, safe-reboot, test-order-status, test-orders, test-secret, test-approval\)/,
      ],
      [['run', 'test-orders'], /invalid input for test-orders: title: /],
      [['run', 'test-orders', '--set', 'titel=x'], /unknown input field titel \(fields: title, orders, pauseMs\)/],
      [['run', 'test-orders', '--set', 'title=x', '--set', 'pauseMs=soon'], /pauseMs: /],
      [['run', 'test-orders', '--input', '{"title": '], /--input is not valid JSON/],
      [
        ['run', 'test-orders', '--input', '@/nonexistent/input.json'],
        /cannot read --input @\/nonexistent\/input.json \(ENOENT\)/,
      ],
      [['run', 'test-orders', '--set', 'title=x', '--wait', 'soon'], /--wait must be/],
      [['run', 'test-orders', '--set', 'title=x', '--base-url', 'ftp://x'], /base URL must be http or https/],
      [['runs', '--status', 'sleeping'], /--status/],
      [['resume'], /resume needs a run id or --all/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await w.cli(args);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(stdout).toBe('');
    }
    // Nothing ran, so not even the database was created.
    expect(existsSync(w.dbPath)).toBe(false);
  });

  it('recipes lists each recipe with its input fields from the schema (and as NDJSON with --json)', async () => {
    const w = await createCliWorld();
    const text = await w.cli(['recipes']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^test-orders \(v1\)$/m);
    expect(text.stdout).toMatch(/--set title +string +\(required\) +title of the SSH key to add/);
    expect(text.stdout).toMatch(/--set pauseMs +integer +\(optional, default 0\)/);
    expect(text.stdout).toMatch(/^test-order-status \(v1\) +\[no --dry-run\]$/m);
    const json = await w.cli(['--json', 'recipes']);
    const orders = ndjson(json.stdout).find((r) => r.id === 'test-orders');
    expect(orders).toMatchObject({ version: '1', dryRun: true });
    expect(orders?.fields).toContainEqual({
      name: 'orders',
      type: 'string[]',
      required: false,
      description: expect.any(String),
    });
  });

  it('creates the secret key file beside the database with mode 0600 on first use', async () => {
    const w = await createCliWorld();
    expect((await w.cli(['run', 'test-orders', '--set', 'title=k1', '--set', 'orders=34-177054'])).code).toBe(0);
    const keyFile = `${w.dbPath}.secret-key`;
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const bad = await w.cli(['run', 'test-orders', '--set', 'title=k2'], { FORNEX_FLOW_SECRET_KEY: 'c2hvcnQ=' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/FORNEX_FLOW_SECRET_KEY must be 32 bytes in base64/);
    expect(bad.stderr).not.toContain('c2hvcnQ=');
  });
});
