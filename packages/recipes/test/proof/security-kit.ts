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
  const found = texts.flatMap((text, index) =>
    all
      .filter((spelling) => text.includes(spelling))
      .map((spelling) => `${what} #${index} holds ${spelling}: ${excerpt(text, spelling)}`),
  );
  expect(found).toEqual([]);
}

/** Makes the mock's next password reset of `orderId` answer `passwd`, for a real job (so its polls complete). */
export async function nextResetAnswers(mockUrl: string, orderId: string, passwd: string): Promise<void> {
  const reset = await fetch(`${mockUrl}/api/vps/passwd_reset/${orderId}/?apikey=${PERSONAL_API_KEY}`);
  const job = (await reset.json()) as { resp_id: number };
  const rule = {
    path: `/api/vps/passwd_reset/${orderId}/`,
    status: 200,
    body: { resp_id: job.resp_id, passwd },
    times: 1,
  };
  const added = await fetch(`${mockUrl}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect(added.status).toBe(201);
}

/** The line of `text` around the first `spelling`, for a readable failure. */
function excerpt(text: string, spelling: string): string {
  const at = text.indexOf(spelling);
  const start = text.lastIndexOf('\n', at) + 1;
  const end = text.indexOf('\n', at);
  return text.slice(start, end < 0 ? undefined : end).slice(0, 300);
}
