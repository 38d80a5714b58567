import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteScheduleStore } from './schedule-store.js';
import { sqliteStore } from './sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const row = {
  id: 'a1',
  recipeId: 'r',
  cron: '* * * * *',
  timeZone: null,
  inputJson: '{}',
  createdMs: 10,
  lastTickMs: null,
};

describe('sqliteScheduleStore', () => {
  it('adds, lists, removes, and only moves a tick forward, beside a run store on the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedules-'));
    dirs.push(dir);
    const path = join(dir, 'runs.db');
    const runs = sqliteStore({ path });
    const a = sqliteScheduleStore({ path });
    const b = sqliteScheduleStore({ path });
    a.add(row);
    a.add({ ...row, id: 'b2', timeZone: 'Europe/Berlin', createdMs: 20 });
    expect(b.list().map((r) => r.id)).toEqual(['a1', 'b2']);
    expect(b.get('b2')).toMatchObject({ timeZone: 'Europe/Berlin', lastTickMs: null });
    b.markTick('a1', 500);
    a.markTick('a1', 400); // a process behind another never moves the tick back
    expect(a.get('a1')?.lastTickMs).toBe(500);
    expect(() => a.add(row)).toThrow();
    expect(b.remove('a1')).toBe(true);
    expect(a.remove('a1')).toBe(false);
    expect(a.list().map((r) => r.id)).toEqual(['b2']);
    a.close();
    b.close();
    await runs.close?.();
  });
});
