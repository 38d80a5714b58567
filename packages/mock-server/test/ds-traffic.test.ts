import { describe, expect, it } from 'vitest';
import { get, startMock } from './helpers.js';

type Traffic = { data: Array<[string, { input: number; output: number }]>; order: string; period: string };

describe('DS traffic', () => {
  it('generates a year of monthly traffic for port 1, deterministically', async () => {
    const mock = await startMock();
    const path = '/api/ds/34-5678/traffic.json?period=year&port=1';
    const reply = await get(mock, path);
    expect(reply.status).toBe(200);
    expect((await get(mock, path)).text).toBe(reply.text);

    const body = reply.json as Traffic;
    expect(body.period).toBe('year');
    expect(body.order).toBe('34-5678 DS XeonSAS (example.net)');
    expect(body.data).toHaveLength(12);
    const days = body.data.map(([day]) => day);
    for (const day of days) expect(day).toMatch(/^\d{4}-\d{2}-01$/);
    expect(days).toEqual([...days].sort());
    expect(new Set(days).size).toBe(12);
    for (const [, t] of body.data) {
      expect(t.input).toBeGreaterThan(0);
      expect(t.output).toBeGreaterThan(0);
    }
    // Every byte count is written as a float, as the real service does.
    const counts = [...reply.text.matchAll(/"(input|output)": ([^,}]+)/g)];
    expect(counts).toHaveLength(2 * body.data.length);
    for (const m of counts) expect(m[2]).toMatch(/[.e]/);

    // Another port is another series.
    const port0 = await get(mock, '/api/ds/34-5678/traffic.json?period=year&port=0');
    expect(port0.status).toBe(200);
    expect(port0.text).not.toBe(reply.text);
  });

  it('defaults to a month of daily traffic', async () => {
    const mock = await startMock();
    const body = (await get(mock, '/api/ds/34-5678/traffic.json')).json as Traffic;
    expect(body.period).toBe('month');
    expect(body.data).toHaveLength(30);
  });

  it('refuses an unknown port, a bad period and an order that is not a server', async () => {
    const mock = await startMock();
    expect((await get(mock, '/api/ds/34-5678/traffic.json?port=2')).json).toEqual({ error: 'Unknown port 2.' });
    expect((await get(mock, '/api/ds/34-5678/traffic.json?period=week')).json).toMatchObject({
      error: expect.stringMatching(/period/),
    });
    expect((await get(mock, '/api/ds/301-12312/traffic.json')).json).toEqual({
      error: 'This action is not available for order 301-12312.',
    });
  });
});
