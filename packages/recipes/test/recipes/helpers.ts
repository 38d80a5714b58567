import fs from 'node:fs';
import path from 'node:path';
import type { Dialect, Recipe } from '@fornex-flow/core';
import type { JournalEntry } from '@fornex-flow/mock-server';
import { onTestFinished } from 'vitest';
import { createTestKit, type RunEnd, type TestKit, type TestKitOptions } from '../../src/test-kit/index.js';

/** Both dialects of the API: every recipe test runs in each. */
export const dialects: readonly Dialect[] = ['en', 'ru'];

/** A test kit closed when the test ends. */
export async function startKit(
  recipes: readonly Recipe[],
  dialect: Dialect,
  options: Omit<TestKitOptions, 'recipes' | 'dialect'> = {},
): Promise<TestKit> {
  const kit = await createTestKit({ ...options, recipes, dialect });
  onTestFinished(() => kit.close());
  return kit;
}

/** The mock's journal of API requests, as `METHOD path` lines (admin calls are never journaled). */
export function calls(kit: TestKit): string[] {
  return kit.mock.runtime.journal.list().map((entry: JournalEntry) => `${entry.method} ${entry.path}`);
}

/** The POSTs (the effects) the mock has seen. */
export function effects(kit: TestKit): string[] {
  return calls(kit).filter((line) => line.startsWith('POST '));
}

/** Adds a fault rule through the mock's admin API. */
export async function addFault(kit: TestKit, rule: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${kit.mock.url}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  if (res.status !== 201) throw new Error(`fault rule refused: ${res.status} ${await res.text()}`);
}

/** The personal tenant of the mock's world (orders, keys, domains), live. */
export function tenant(kit: TestKit) {
  const found = kit.mock.world.state.tenants.find((t) => t.id === 'personal');
  if (!found) throw new Error('no personal tenant in the world');
  return found;
}

/** Every byte of the kit's database files (main file, WAL, journal), as text: to look for a secret. */
export function databaseText(kit: TestKit): string {
  const dir = path.dirname(kit.dbPath);
  return fs
    .readdirSync(dir)
    .filter((file) => file.startsWith(path.basename(kit.dbPath)))
    .map((file) => fs.readFileSync(path.join(dir, file)).toString('latin1'))
    .join('\n');
}

/** The error of a failed run as `finish` reports it: a RecipeFailure's name, code and sentence. */
export function failureOf(end: RunEnd): { name: string; message: string; code?: string } {
  if (end.status !== 'failed') throw new Error(`expected a failed run, got ${JSON.stringify(end)}`);
  return end.error as { name: string; message: string; code?: string };
}
