import { describe, expect, it } from 'vitest';
import { createCliWorld, PERSONAL_API_KEY } from './helpers.js';

describe('fornex-flow mock', { timeout: 60_000 }, () => {
  it('starts fornex-mock with the flags given, serves the API, and stops on SIGTERM', async () => {
    const w = await createCliWorld();
    const mock = w.spawn(['mock', '--port', '0', '--scale', '2', '--dialect', 'ru']);
    const url = await mock.waitForLine((line) => line.startsWith('http://'));
    const orders = (await (await fetch(`${url}/api/orders/list?apikey=${PERSONAL_API_KEY}`)).json()) as {
      id: string;
    }[];
    expect(orders.map((o) => o.id)).toContain('34-9000002');
    mock.child.kill('SIGTERM');
    expect((await mock.exited).code).toBe(0);
    const help = await w.cli(['mock', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: fornex-mock/m);
    const bad = await w.cli(['mock', '--dialect', 'fr']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--dialect must be en or ru/);
  });
});
