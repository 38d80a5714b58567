import { REDACTED } from '../client/redact.js';

/**
 * Secrets are redacted by value in every JSON text the engine persists: each secret string is
 * replaced by a marker naming it. Markers of named secrets (secret inputs) are put back when a
 * run is loaded in a process that knows the value; anonymous ones (the API key, a secret step
 * output) never come back from the database.
 */

/** The marker that replaces the secret input field `field`. */
export function secretInputMarker(field: string): string {
  return `[REDACTED:input.${field}]`;
}

// The text a string takes inside JSON, without its quotes: what to look for in a serialized row.
const inJson = (value: string) => JSON.stringify(value).slice(1, -1);

// Very short values would redact unrelated text (a secret "1" would eat every digit).
const minSecretLength = 4;

/** The secrets of one run, plus the engine-wide ones (the API key). */
export class SecretVault {
  private readonly entries = new Map<string, string>();
  // The engine-wide secrets long enough to redact, as they appear inside JSON text; computed once
  // per vault rather than on every redaction.
  private readonly globalInJson: string[];

  constructor(global: readonly string[] = []) {
    this.globalInJson = global.filter((value) => value.length >= minSecretLength).map(inJson);
  }

  /** Remembers `value` as a secret; `marker` names it, or it is anonymous. */
  add(value: unknown, marker = REDACTED): void {
    if (typeof value === 'string' && value.length >= minSecretLength) this.entries.set(value, marker);
  }

  /** Remembers every string inside a (secret) step output. */
  addDeep(value: unknown): void {
    if (typeof value === 'string') this.add(value);
    else if (Array.isArray(value)) for (const item of value) this.addDeep(item);
    else if (value && typeof value === 'object') for (const item of Object.values(value)) this.addDeep(item);
  }

  /** Replaces every known secret in a JSON text by its marker. */
  redact(json: string): string {
    // Fast path: a vault with nothing to redact (no API key, no secret inputs) returns the text as is.
    if (this.globalInJson.length === 0 && this.entries.size === 0) return json;
    let out = json;
    for (const value of this.globalInJson) out = out.split(value).join(REDACTED);
    for (const [value, marker] of this.entries) out = out.split(inJson(value)).join(inJson(marker));
    return out;
  }

  /** Puts back the named secrets this vault knows into a JSON text read from the database. */
  restore(json: string): string {
    if (this.entries.size === 0) return json;
    let out = json;
    for (const [value, marker] of this.entries) {
      if (marker !== REDACTED) out = out.split(inJson(marker)).join(inJson(value));
    }
    return out;
  }
}

/** Serializes `value` to JSON with every secret of `vault` redacted. */
export function toRedactedJson(vault: SecretVault, value: unknown): string {
  // No JSON.stringify call for the common empty value (a step without input or output).
  if (value === undefined || value === null) return vault.redact('null');
  return vault.redact(JSON.stringify(value));
}

/** Copies `input` with its secret fields replaced by their markers. */
export function redactInput(input: unknown, fields: readonly string[]): unknown {
  if (fields.length === 0 || !input || typeof input !== 'object') return input;
  const copy: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const field of fields) if (field in copy) copy[field] = secretInputMarker(field);
  return copy;
}
