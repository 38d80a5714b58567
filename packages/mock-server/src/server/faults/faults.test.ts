import { describe, expect, it } from 'vitest';
import { createFaultSet, faultRuleSchema } from './faults.js';

describe('createFaultSet', () => {
  it('matches by method (any case) and exact path or * prefix', () => {
    const faults = createFaultSet();
    const exact = faults.add({ method: 'post', path: '/api/a/', status: 500 });
    const prefix = faults.add({ path: '/api/b/*', status: 503 });
    expect(faults.take('POST', '/api/a/')?.id).toBe(exact.id);
    expect(faults.take('GET', '/api/a/')).toBeNull();
    expect(faults.take('POST', '/api/a/x')).toBeNull();
    expect(faults.take('GET', '/api/b/anything/deeper')?.id).toBe(prefix.id);
    expect(faults.take('GET', '/api/bb')).toBeNull();
  });

  it('a rule without method and path matches everything', () => {
    const faults = createFaultSet();
    const any = faults.add({ status: 500 });
    expect(faults.take('DELETE', '/whatever')?.id).toBe(any.id);
  });

  it('applies rules in order and consumes times', () => {
    const faults = createFaultSet();
    const once = faults.add({ path: '/x', status: 500, times: 1 });
    const always = faults.add({ path: '/x', status: 418 });
    expect(faults.take('GET', '/x')?.id).toBe(once.id);
    expect(faults.take('GET', '/x')?.id).toBe(always.id);
    expect(faults.list().map((r) => r.id)).toEqual([always.id]);
  });

  it('counts down remaining in the listing', () => {
    const faults = createFaultSet();
    faults.add({ times: 3 });
    faults.take('GET', '/');
    expect(faults.list()[0]?.remaining).toBe(2);
  });

  it('fires a rule when random() < probability, and a skipped rule keeps its times', () => {
    const values = [0.7, 0.2];
    const faults = createFaultSet(() => values.shift() ?? 0);
    const rule = faults.add({ probability: 0.5, times: 1 });
    expect(faults.take('GET', '/')).toBeNull();
    expect(faults.list()[0]?.remaining).toBe(1);
    expect(faults.take('GET', '/')?.id).toBe(rule.id);
  });

  it('probability 0 never fires, even when random() returns 0', () => {
    const faults = createFaultSet(() => 0);
    faults.add({ probability: 0 });
    expect(faults.take('GET', '/')).toBeNull();
  });

  it('removes one rule, or all; list returns copies', () => {
    const faults = createFaultSet();
    const a = faults.add({ path: '/a' });
    const b = faults.add({ path: '/b' });
    expect(faults.remove(a.id)).toBe(true);
    expect(faults.remove(a.id)).toBe(false);
    const listed = faults.list();
    listed[0]!.remaining = 99;
    expect(faults.list()[0]).toMatchObject({ id: b.id, remaining: null });
    faults.clear();
    expect(faults.list()).toEqual([]);
    // Ids are never reused, so a stale id cannot remove a new rule.
    expect(faults.add({}).id).toBeGreaterThan(b.id);
  });
});

describe('faultRuleSchema', () => {
  it('refuses unknown fields and wrong types', () => {
    expect(faultRuleSchema.safeParse({ stauts: 500 }).success).toBe(false);
    expect(faultRuleSchema.safeParse({ status: '500' }).success).toBe(false);
    expect(faultRuleSchema.safeParse({ probability: 1.5 }).success).toBe(false);
    expect(faultRuleSchema.safeParse({ times: 0 }).success).toBe(false);
    expect(faultRuleSchema.safeParse({ path: '/x*', status: 500, body: { a: 1 }, times: 2 }).success).toBe(true);
  });
});
