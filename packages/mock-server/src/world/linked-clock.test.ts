import { describe, expect, it } from 'vitest';
import { startMockServer } from '../start-mock-server.js';
import { PERSONAL_API_KEY } from './default-world.js';
import { createLinkedMockClock } from './linked-clock.js';

describe('createLinkedMockClock', () => {
  it('moves the mock only when its source moves (plus its own advances), and reset drops only those', () => {
    let sourceMs = 1_000;
    const clock = createLinkedMockClock(() => sourceMs);
    expect(clock.now()).toBe(1_000);
    sourceMs = 4_000;
    expect(clock.now()).toBe(4_000);
    expect(clock.advance(500)).toBe(4_500);
    clock.reset();
    expect(clock.now()).toBe(4_000);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('drives the power delay of a served mock', async () => {
    let sourceMs = Date.UTC(2026, 0, 1);
    const mock = await startMockServer({ port: 0, clock: createLinkedMockClock(() => sourceMs) });
    try {
      const call = async (method: string, action: string) => {
        const url = `${mock.url}/api/vps/${action}/34-177054/`;
        const res =
          method === 'GET'
            ? await fetch(`${url}?apikey=${PERSONAL_API_KEY}`)
            : await fetch(url, { method, body: new URLSearchParams({ apikey: PERSONAL_API_KEY }) });
        return res.json();
      };
      await call('POST', 'start');
      expect(await call('GET', 'status')).toEqual({ status: 'starting' });
      sourceMs += 2_999;
      expect(await call('GET', 'status')).toEqual({ status: 'starting' });
      sourceMs += 1;
      expect(await call('GET', 'status')).toEqual({ status: 'on' });
    } finally {
      await mock.close();
    }
  });
});
