import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EngineError, isControlChar, printableText } from '@fornex-flow/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recipes } from '../../src/recipes/index.js';
import { createTestKit } from '../../src/test-kit/index.js';
import { createCliWorld, mockPosts } from '../cli/helpers.js';
import { fuzzSeed, recipeInput, validInputs } from './input-arbitraries.js';

/** The control characters of a text (a line a terminal shows as written has none but its end). */
function controlChars(text: string): string[] {
  return [...text].filter((char) => isControlChar(char.charCodeAt(0)));
}

/** What a refusal must say: one short line naming each bad field. */
function expectClearRefusal(message: string, issues: { path: PropertyKey[]; keys?: string[] }[]): void {
  expect(controlChars(message)).toEqual([]);
  expect(message.length).toBeLessThan(2_000);
  for (const issue of issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && field.length < 100) expect(message).toContain(field);
    for (const key of issue.keys ?? []) if (key.length < 100) expect(message).toContain(printableText(key));
  }
}

describe.each(recipes.map((recipe) => [recipe.id, recipe] as const))('fuzzed input of %s', (id, recipe) => {
  it('engine.start refuses every bad input before any request or run, and accepts a valid one', async () => {
    const kit = await createTestKit({ recipes });
    try {
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(recipeInput(id), async (input) => {
          const parsed = recipe.input.safeParse(input);
          fc.pre(!parsed.success);
          const error = await kit.engine.start(id as never, input as never).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(EngineError);
          expect((error as EngineError).code).toBe('INVALID_INPUT');
          expectClearRefusal((error as Error).message, parsed.error?.issues ?? []);
          refused++;
        }),
        { seed: fuzzSeed, numRuns: 100 },
      );
      expect(refused).toBeGreaterThanOrEqual(80);
      expect(kit.mock.runtime.journal.list()).toEqual([]);
      expect(await kit.engine.list()).toEqual([]);
      const run = await kit.engine.start(id as never, validInputs[id] as never);
      expect((await kit.engine.get(run.runId))?.status).toMatch(/running|waiting|completed/);
      await kit.engine.cancel(run.runId);
      await run.result().catch(() => undefined);
    } finally {
      await kit.close();
    }
  }, 60_000);
});

describe.each(recipes.map((recipe) => [recipe.id, recipe] as const))(
  'fuzzed input of %s through the CLI',
  (id, recipe) => {
    it('fornex-flow run refuses bad inputs with exit 2 and one line, before any request or database', async () => {
      const w = await createCliWorld();
      const bad = fc.sample(
        recipeInput(id).filter((input) => !recipe.input.safeParse(input).success),
        { seed: fuzzSeed, numRuns: 3 },
      );
      // And the key the in-process fuzz found: a newline and a terminal escape in field names.
      bad.push({ ...validInputs[id], 'a\nb': 1, '\u001b[2J': 2 });
      for (const [index, input] of bad.entries()) {
        const file = path.join(w.dir, `input-${index}.json`);
        writeFileSync(file, JSON.stringify(input));
        const result = await w.cli(['run', id, '--input', `@${file}`]);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/^fornex-flow: [^\n]*\n$/);
        expect(controlChars(result.stderr)).toEqual(['\n']);
        expect(result.stderr.length).toBeLessThan(2_000);
      }
      expect(await mockPosts(w.mock)).toEqual([]);
      expect(existsSync(w.dbPath)).toBe(false);
      const file = path.join(w.dir, 'valid.json');
      writeFileSync(file, JSON.stringify(validInputs[id]));
      const dry = await w.cli(['run', id, '--input', `@${file}`, '--dry-run']);
      expect(dry.stderr).toBe('');
      expect(dry.code).toBe(0);
      expect(await mockPosts(w.mock)).toEqual([]);
    }, 60_000);
  },
);
