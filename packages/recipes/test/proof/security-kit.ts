import { PERSONAL_API_KEY } from '@fornex-flow/mock-server';
import { expect } from 'vitest';

/** The recipe module of the security suites (`test-vault-login`, a careless recipe with a secret input). */
export const securityRecipesPath = new URL('./fixtures/security-recipes.mjs', import.meta.url).pathname;

/** Every spelling of a secret a careless page, log or journal might hold: raw, base64, hex, URL-encoded, JSON-escaped. */
export function spellings(secret: string): string[] {
  return [
    ...new Set([
      secret,
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('hex'),
      encodeURIComponent(secret),
      new URLSearchParams({ v: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
    ]),
  ];
}

/** Asserts that none of `texts` holds any spelling of any of `secrets` (the API key always included). */
export function expectNoSecret(texts: readonly string[], secrets: readonly string[], what: string): void {
  const all = [PERSONAL_API_KEY, ...secrets].flatMap(spellings);
  for (const [index, text] of texts.entries())
    for (const spelling of all) expect(text, `${what} #${index} holds ${spelling}`).not.toContain(spelling);
}
