import { describe, expect, it } from 'vitest';
import type { StartMockServerOptions } from '../src/index.js';
import { advanceClock, get, post, startMock } from './helpers.js';

// Mock time is real time plus an offset, so delays are long enough that real time alone never
// settles a transition or completes a job during a test; only clock/advance does.
const POWER_DELAY_MS = 600_000;
const ORDER = '34-177054';

function start(options: StartMockServerOptions = {}) {
  return startMock({ powerDelayMs: POWER_DELAY_MS, ...options });
}

async function status(mock: { url: string }): Promise<unknown> {
  return (await get(mock, `/api/vps/status/${ORDER}/`)).json;
}

describe('VPS power over mock time', () => {
  it('restart answers {"ok": "True"} exactly, goes through restarting, settles on', async () => {
    const mock = await start();
    expect(await status(mock)).toEqual({ status: 'off' });

    const reply = await post(mock, `/api/vps/restart/${ORDER}/`);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"ok": "True"}');
    expect(await status(mock)).toEqual({ status: 'restarting' });

    await advanceClock(mock, POWER_DELAY_MS / 2);
    expect(await status(mock)).toEqual({ status: 'restarting' });
    await advanceClock(mock, POWER_DELAY_MS / 2);
    expect(await status(mock)).toEqual({ status: 'on' });
  });

  it('stop goes through stopping to off; start through starting to on', async () => {
    const mock = await start();
    await post(mock, `/api/vps/start/${ORDER}/`);
    expect(await status(mock)).toEqual({ status: 'starting' });
    await advanceClock(mock, POWER_DELAY_MS);
    expect(await status(mock)).toEqual({ status: 'on' });

    expect((await post(mock, `/api/vps/stop/${ORDER}/`)).text).toBe('{"ok": "True"}');
    expect(await status(mock)).toEqual({ status: 'stopping' });
    await advanceClock(mock, POWER_DELAY_MS);
    expect(await status(mock)).toEqual({ status: 'off' });
  });

  it('refuses a second power action during a transition with an error', async () => {
    const mock = await start();
    await post(mock, `/api/vps/hard_reset/${ORDER}/`);
    for (const action of ['stop', 'start', 'restart', 'hard_reset']) {
      const reply = await post(mock, `/api/vps/${action}/${ORDER}/`);
      expect(reply.status, action).toBe(200);
      expect(reply.json, action).toEqual({ error: 'Another power action is in progress.' });
    }
    // The refused actions did not change where the first one is going.
    await advanceClock(mock, POWER_DELAY_MS);
    expect(await status(mock)).toEqual({ status: 'on' });
    expect((await post(mock, `/api/vps/stop/${ORDER}/`)).text).toBe('{"ok": "True"}');
  });

  it('stopping a stopped VPS answers ok and changes nothing', async () => {
    const mock = await start();
    expect((await post(mock, `/api/vps/stop/${ORDER}/`)).text).toBe('{"ok": "True"}');
    expect(await status(mock)).toEqual({ status: 'off' });
  });

  it('honours the powerDelayMs option', async () => {
    const mock = await start({ powerDelayMs: 5_000_000 });
    await post(mock, `/api/vps/restart/${ORDER}/`);
    await advanceClock(mock, 4_000_000);
    expect(await status(mock)).toEqual({ status: 'restarting' });
    await advanceClock(mock, 1_000_000);
    expect(await status(mock)).toEqual({ status: 'on' });
  });

  it('refuses power actions on orders that are not VPS', async () => {
    const mock = await start();
    const reply = await post(mock, '/api/vps/restart/34-5678/');
    expect(reply.json).toEqual({ error: 'This action is not available for order 34-5678.' });
  });
});

describe('passwd_reset and its job', () => {
  async function reset(mock: { url: string }): Promise<{ resp_id: number; passwd: string }> {
    const reply = await get(mock, `/api/vps/passwd_reset/${ORDER}/`);
    expect(Object.keys(reply.json as object)).toEqual(['resp_id', 'passwd']);
    return reply.json as { resp_id: number; passwd: string };
  }

  async function poll(mock: { url: string }, id: number) {
    return (await get(mock, `/api/vps/log_details/${ORDER}/?log_id=${id}`)).json as {
      completed: boolean;
      job_state: string;
      pk: number;
      job_action: string;
    };
  }

  it('completes after jobCompleteAfterPolls polls', async () => {
    const mock = await start({ jobCompleteAfterPolls: 3, jobCompleteAfterMs: 1e12 });
    const { resp_id, passwd } = await reset(mock);
    expect(passwd).toMatch(/^[A-Za-z0-9]{8,}$/);

    const polls = [];
    for (let i = 0; i < 4; i++) polls.push(await poll(mock, resp_id));
    expect(polls.map((p) => p.completed)).toEqual([false, false, true, true]);
    expect(polls.map((p) => p.job_state)).toEqual(['ready', 'ready', 'done', 'done']);
    expect(polls[0]).toMatchObject({ pk: resp_id, job_action: 'set_root_passwd' });
  });

  it('completes after jobCompleteAfterMs of mock time, however few the polls', async () => {
    const mock = await start({ jobCompleteAfterPolls: 1_000_000, jobCompleteAfterMs: 60_000 });
    const { resp_id } = await reset(mock);
    expect((await poll(mock, resp_id)).completed).toBe(false);
    await advanceClock(mock, 60_000);
    expect((await poll(mock, resp_id)).completed).toBe(true);
  });

  it('gives every reset a fresh job id and password', async () => {
    const mock = await start();
    const first = await reset(mock);
    const second = await reset(mock);
    expect(second.resp_id).toBeGreaterThan(first.resp_id);
    expect(second.passwd).not.toBe(first.passwd);
  });

  it('answers an error for an unknown job, or a job of another order', async () => {
    const mock = await start();
    const { resp_id } = await reset(mock);
    expect((await get(mock, `/api/vps/log_details/${ORDER}/?log_id=999999`)).json).toEqual({
      error: 'Log record not found.',
    });
    expect((await get(mock, `/api/vps/log_details/34-1234/?log_id=${resp_id}`)).json).toEqual({
      error: 'Log record not found.',
    });
  });
});

describe('vps_stat', () => {
  const path = (range: string, field = 'cpu') => `/api/vps_stat/${ORDER}/${field}/${range}.json`;

  it('is generated deterministically, per range, with Highcharts fields', async () => {
    const mock = await start();
    const first = await get(mock, path('2020-01-01--2020-01-02'));
    const again = await get(mock, path('2020-01-01--2020-01-02'));
    expect(first.status).toBe(200);
    expect(again.text).toBe(first.text);
    // A second server generates the same bytes: nothing depends on the instance or the time.
    const other = await start();
    expect((await get(other, path('2020-01-01--2020-01-02'))).text).toBe(first.text);

    const different = await get(mock, path('2020-02-01--2020-02-02'));
    expect(different.text).not.toBe(first.text);

    const body = first.json as {
      series: Array<{
        color: string;
        data: number[];
        name: string;
        pointStart: number;
        pointEnd: number;
        pointInterval: number;
      }>;
      subtitle: string;
    };
    expect(body.subtitle).toContain('January 1, 2020');
    expect(body.series.length).toBeGreaterThan(0);
    for (const series of body.series) {
      expect(series).toMatchObject({ color: expect.stringMatching(/^#/), name: expect.any(String) });
      expect(series.pointInterval).toBe(300_000);
      expect(series.pointEnd - series.pointStart).toBe(86_400_000);
      expect(series.data).toHaveLength(86_400_000 / 300_000);
    }
  });

  it('writes data points as floats, never as integers', async () => {
    const mock = await start();
    for (const field of ['cpu', 'memory', 'disk', 'inodes', 'io', 'traffic']) {
      const { text } = await get(mock, path('2021-03-01--2021-03-20', field));
      const arrays = [...text.matchAll(/"data": \[([^\]]*)\]/g)].map((m) => m[1] as string);
      expect(arrays.length, field).toBeGreaterThan(0);
      for (const token of arrays.flatMap((a) => a.split(', '))) {
        expect(token, field).toMatch(/^-?\d+(\.\d+(e[+-]?\d+)?|e[+-]?\d+)$/);
        expect(token, field).toMatch(/[.e]/);
      }
    }
  });

  it('refuses a reversed range', async () => {
    const mock = await start();
    expect((await get(mock, path('2020-01-02--2020-01-01'))).json).toEqual({
      error: 'The end date must not be before the start date.',
    });
  });
});
