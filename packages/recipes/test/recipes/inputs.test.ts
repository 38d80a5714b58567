import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { recipePlans, recipes } from '../../src/recipes/index.js';

describe.each(recipes.map((recipe) => [recipe.id, recipe] as const))('the input of %s', (_id, recipe) => {
  it('describes every field (what `fornex-flow recipes` shows) and has a dry run', () => {
    const schema = z.toJSONSchema(recipe.input, { io: 'input', unrepresentable: 'any' }) as {
      properties: Record<string, { description?: string }>;
    };
    const fields = Object.entries(schema.properties);
    expect(fields.length).toBeGreaterThan(0);
    for (const [name, field] of fields)
      expect({ name, description: field.description }).toEqual({ name, description: expect.any(String) });
    expect(typeof recipePlans[recipe.id]).toBe('function');
  });

  it('refuses an unknown field, naming it', () => {
    const parsed = recipe.input.safeParse({ surprise: 1 });
    expect(parsed.success).toBe(false);
    expect(
      parsed.error?.issues.some((issue) => issue.code === 'unrecognized_keys' && issue.keys.includes('surprise')),
    ).toBe(true);
  });
});
