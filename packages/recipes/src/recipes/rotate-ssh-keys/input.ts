import { params } from '@fornex-flow/core';
import { z } from 'zod';

// An OpenSSH public key line: type, base64 blob, optional comment.
const publicKeyPattern =
  /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/;

/** Input of `rotate-ssh-keys`. */
export const rotateSshKeysInput = z
  .object({
    title: z.string().trim().min(1, 'is required').max(255).describe('The title of the new key on the account.'),
    publicKey: z
      .string()
      .trim()
      .max(16_384)
      .regex(publicKeyPattern, 'must be an OpenSSH public key line such as "ssh-ed25519 AAAA... me@host"')
      .describe('The new public key, one OpenSSH line (`ssh-ed25519 AAAA... comment`).'),
    replaceKeyId: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('The account key the new one replaces: removed from each order once the new one is verified there.'),
    orders: z
      .union([z.literal('all'), z.array(params.orderId).min(1).max(10_000)])
      .default('all')
      .describe('The orders to put the new key on: `"all"` (every VPS and dedicated server, default) or a list.'),
    concurrency: z.number().int().min(1).max(32).default(4).describe('Orders handled at once (default 4).'),
    deleteReplaced: z
      .boolean()
      .default(true)
      .describe('Delete the replaced key from the account once every order succeeded (default true).'),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (Array.isArray(input.orders) && new Set(input.orders).size !== input.orders.length)
      ctx.addIssue({ code: 'custom', path: ['orders'], message: 'must not name an order twice' });
  });

/** `rotate-ssh-keys` input after validation and defaults. */
export type RotateSshKeysInput = z.output<typeof rotateSshKeysInput>;

/** The type and blob of a key line: a different comment does not make a different key. */
export function keyMaterial(line: string): string {
  return line.trim().split(/\s+/).slice(0, 2).join(' ');
}
