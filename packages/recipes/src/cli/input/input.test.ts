import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CliError } from '../cli-error.js';
import { buildInput } from './input.js';

const schema = z
  .object({
    title: z.string(),
    orders: z.union([z.literal('all'), z.array(z.string())]).default('all'),
    concurrency: z.number().int().default(4),
    deleteReplaced: z.boolean().default(true),
    types: z.array(z.enum(['A', 'AAAA'])).optional(),
    retry: z.object({ maxAttempts: z.number() }).optional(),
  })
  .strict();

const set = (...sets: string[]) => buildInput(schema, undefined, sets);

describe('buildInput', () => {
  it('types each --set value by its field', () => {
    expect(set('title=007', 'concurrency=8', 'deleteReplaced=false')).toEqual({
      title: '007',
      concurrency: 8,
      deleteReplaced: false,
    });
  });

  it('keeps a union string value as typed and splits a list of strings on commas', () => {
    expect(set('orders=all')).toEqual({ orders: 'all' });
    expect(set('orders=34-1,34-2')).toEqual({ orders: ['34-1', '34-2'] });
    expect(set('orders=["34-1"]')).toEqual({ orders: ['34-1'] });
    expect(set('types=A,AAAA')).toEqual({ types: ['A', 'AAAA'] });
  });

  it('reaches into objects with dotted keys, over --input', () => {
    expect(buildInput(schema, '{"title": "t", "retry": {"maxAttempts": 1}}', ['retry.maxAttempts=3'])).toEqual({
      title: 't',
      retry: { maxAttempts: 3 },
    });
  });

  it('refuses unknown fields, malformed assignments and prototype keys as usage errors', () => {
    for (const bad of [['titel=x'], ['title'], ['=x'], ['__proto__.polluted=1'], ['retry.constructor=1']]) {
      expect(() => set(...bad)).toThrow(CliError);
      expect(() => set(...bad)).toThrow(expect.objectContaining({ exitCode: 2 }));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => buildInput(schema, '[1, 2]', [])).toThrow(/--input must be a JSON object/);
  });
});
