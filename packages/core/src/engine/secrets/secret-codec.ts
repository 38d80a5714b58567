import { REDACTED } from '../../client/redact.js';

/**
 * The stored form of a secret value: `{"$fx:secret": payload}` in place of the value, anywhere in
 * a stored JSON (context, inputs, outputs, events). The payload is a string whose first letters say
 * what it holds:
 * - `s1.<base64>`: a secret value, sealed with the engine's key (see secret-cipher.ts);
 * - `t1.<base64>`: a value that quotes a secret (text, or an object keyed by one), sealed;
 * - `i:<json [field, ...path]>`: a secret input, never written (no key): the caller supplies it again;
 * - `o:<json [stepKey, ...path]>`: a secret step output, never written (no key);
 * - `r:<ref>`: a value quoting a secret, never written (no key), known to this process only.
 * A user object that itself has the key `$fx:secret` is stored as `{"$fx:secret": {"literal": entries}}`.
 */
export const secretMarkerKey = '$fx:secret';

/** The marker key as it appears in JSON text: a stored value without it has no marker to decode. */
export const secretMarkerJson = JSON.stringify(secretMarkerKey);

/** The letters that open each kind of payload. */
export const SecretPayload = {
  Sealed: 's1.',
  SealedQuote: 't1.',
  Input: 'i:',
  Output: 'o:',
  Ref: 'r:',
} as const;

/** The escaped form of a user object that has the marker key (its entries, encoded as usual). */
export interface LiteralPayload {
  literal: [string, unknown][];
}

/** True when `value` is a marker object (one decoded from JSON). */
export function isSecretMarker(value: unknown): value is Record<typeof secretMarkerKey, unknown> {
  return value !== null && typeof value === 'object' && Object.hasOwn(value, secretMarkerKey);
}

/** The user object an escaped marker stands for, or undefined when `payload` is not one. */
export function literalOf(payload: unknown): Record<string, unknown> | undefined {
  const literal = (payload as LiteralPayload | null)?.literal;
  return typeof payload === 'object' && Array.isArray(literal) ? Object.fromEntries(literal) : undefined;
}

// For display: every secret shows as [REDACTED]; an escaped user object shows as itself.
const shown = (_key: string, value: unknown): unknown => {
  if (!isSecretMarker(value)) return value;
  return literalOf(value[secretMarkerKey]) ?? REDACTED;
};

/** Parses a stored JSON for display (`engine.get`, `history`, `steps`): secrets show as `[REDACTED]`. */
export function parseShown(json: string): unknown {
  return json.includes(secretMarkerJson) ? JSON.parse(json, shown) : JSON.parse(json);
}
