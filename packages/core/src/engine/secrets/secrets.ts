import type { AnyMachineSnapshot } from 'xstate';
import { clientSecrets } from '../../client/client-secrets.js';
import { REDACTED } from '../../client/redact.js';
import { corruptRun, EngineError, EngineErrorCode, type SerializedError } from '../errors.js';
import { storedSnapshotJson } from '../run/snapshot-codec.js';
import type { StepRow } from '../store/types.js';
import { createSecretCipher, parseSecretKey, type SecretCipher } from './secret-cipher.js';
import {
  isSecretMarker,
  literalOf,
  parseShown,
  SecretPayload,
  secretMarkerJson,
  secretMarkerKey,
} from './secret-codec.js';
import { SecretText } from './secret-text.js';

/** What every run of an engine shares: the cipher (with a `secretKey`) and the engine-wide secrets (the API key). */
export interface EngineSecrets {
  cipher: SecretCipher | undefined;
  /** Never data of a run: redacted wherever they appear in text. */
  global: SecretText;
}

/** Builds an engine's secrets from its options; INVALID_OPTIONS for a bad `secretKey`. */
export function createEngineSecrets(options: {
  secretKey?: unknown;
  secrets?: readonly string[];
  client?: unknown;
}): EngineSecrets {
  const cipher = options.secretKey === undefined ? undefined : createSecretCipher(parseSecretKey(options.secretKey));
  const global = new SecretText();
  for (const secret of [...(options.secrets ?? []), ...clientSecrets(options.client)]) global.add(secret);
  return { cipher, global };
}

/** Where a secret value came from: an input field or a step output, and the path inside it. */
interface Origin {
  kind: typeof SecretPayload.Input | typeof SecretPayload.Output;
  root: string;
  path: readonly (string | number)[];
}

type Replacer = (this: unknown, key: string, value: unknown) => unknown;

/** What a run with secrets keeps about them. */
interface RegistryState {
  /** Secret strings, numbers and booleans, by value. */
  values: Map<unknown, Origin>;
  /** Secret objects, by identity. */
  objects: WeakMap<object, Origin>;
  /** The secrets searched inside text. */
  text: SecretText;
  /** The registered inputs and outputs, to resolve unsealed markers within this process. */
  roots: Map<string, unknown>;
  /** Values quoting a secret, never written (no key): ref -> value, and back for strings. */
  quoted: Map<string, unknown>;
  quotedRefs: Map<unknown, string>;
  /** The markers this codec made: their payloads are not encoded again. */
  markers: WeakSet<object>;
  /** What decoding needed and could not have, for `assertAvailable`. */
  missing: Set<string>;
}
const maxDepth = 32;

/**
 * The secrets of one run and their codec. Secret inputs and outputs are registered as values (a
 * string, number or boolean by value, an object by identity, and every leaf of an object too);
 * wherever such a value appears in what the run stores, it is replaced by a marker (see
 * secret-codec.ts), sealed with the engine's key or, without one, never written. Text that quotes
 * a secret is sealed whole (values) or redacted (errors). A run without secrets serializes with
 * plain JSON.stringify: it pays nothing for any of this.
 */
export class RunSecrets {
  // Made on first use: a run without secrets allocates none of it.
  private state: RegistryState | undefined;
  private codec: Replacer | undefined;
  private active = false;

  constructor(
    private readonly engine: EngineSecrets,
    readonly runId: string,
    /** Secret inputs given to `resume`, for runs stored without a key. */
    private readonly supplied: Readonly<Record<string, unknown>> = {},
  ) {}

  private get registry(): RegistryState {
    this.state ??= {
      values: new Map(),
      objects: new WeakMap(),
      text: new SecretText(),
      roots: new Map(),
      quoted: new Map(),
      quotedRefs: new Map(),
      markers: new WeakSet(),
      missing: new Set(),
    };
    return this.state;
  }

  /** Registers the secret input field `field`. */
  addInput(field: string, value: unknown): void {
    this.registry.roots.set(`${SecretPayload.Input}${field}`, value);
    this.add(value, { kind: SecretPayload.Input, root: field, path: [] }, 0);
  }

  /** Registers the (secret) output of step `stepKey`. */
  addOutput(stepKey: string, value: unknown): void {
    this.registry.roots.set(`${SecretPayload.Output}${stepKey}`, value);
    this.add(value, { kind: SecretPayload.Output, root: stepKey, path: [] }, 0);
  }

  /** The stored JSON of `value`. */
  json(value: unknown): string {
    if (value === undefined || value === null) return 'null';
    if (this.active) return JSON.stringify(value, this.replacer()) ?? 'null';
    const json = JSON.stringify(value) ?? 'null';
    return this.engine.global.test(json) ? JSON.stringify(value, this.replacer()) : json;
  }

  /** `value` as listeners may see it: each secret `[REDACTED]`, as the store shows it; `json` when already encoded. */
  shown(value: unknown, json?: string): unknown {
    if (value === undefined || value === null) return value;
    if (!this.active && this.engine.global.empty) return value;
    const stored = json ?? this.json(value);
    return stored.includes(secretMarkerJson) ? parseShown(stored) : value;
  }

  /** The stored JSON of a snapshot (its state value is never touched). */
  snapshotJson(snapshot: AnyMachineSnapshot): string {
    if (this.active) return storedSnapshotJson(snapshot, this.replacer());
    const json = storedSnapshotJson(snapshot);
    return this.engine.global.test(json) ? storedSnapshotJson(snapshot, this.replacer()) : json;
  }

  /** Parses a stored JSON, markers swapped for their values; what cannot be had is noted (see `assertAvailable`). */
  decode(json: string): unknown {
    return json.includes(secretMarkerJson) ? JSON.parse(json, this.reviver) : JSON.parse(json);
  }

  /**
   * Learns the secret outputs of the run's earlier steps (sealed in the journal, with a key), so
   * that text quoting them is caught after a restart too; nothing is required. CORRUPT_RUN when
   * one does not parse.
   */
  learnOutputs(steps: readonly Pick<StepRow, 'step' | 'outputJson'>[], isSecret: (step: string) => boolean): void {
    const before = new Set(this.registry.missing);
    try {
      for (const row of steps) if (row.outputJson !== null && isSecret(row.step)) this.decode(row.outputJson);
    } catch (error) {
      throw corruptRun(this.runId, 'step outputs', error);
    }
    for (const item of this.registry.missing) if (!before.has(item)) this.registry.missing.delete(item);
  }

  /** Throws SECRET_UNAVAILABLE when a decoded value needed a secret this engine does not have. */
  assertAvailable(): void {
    if (!this.state || this.state.missing.size === 0) return;
    const needs = [...this.registry.missing].join('; ');
    const hint = this.engine.cipher
      ? 'they were stored under another secretKey, or altered'
      : 'an engine without a secretKey never writes them: give it the secretKey, or pass secret inputs to resume(runId, { secretInput })';
    this.registry.missing.clear();
    throw new EngineError(EngineErrorCode.SecretUnavailable, `run ${this.runId} needs ${needs} (${hint})`, {
      runId: this.runId,
    });
  }

  /** `error` with every secret and every spelling of the API key replaced by `[REDACTED]` in its text fields. */
  redactError(error: SerializedError): SerializedError {
    if (!this.active && this.engine.global.empty) return error;
    const out: SerializedError = {
      ...error,
      name: this.redactText(error.name),
      message: this.redactText(error.message),
    };
    if (out.code !== undefined) out.code = this.redactText(out.code);
    if (out.endpointId !== undefined) out.endpointId = this.redactText(out.endpointId);
    return out;
  }

  private redactText(text: string): string {
    const out = this.registry.text.redact(this.engine.global.redact(text));
    return this.registry.values.has(out) ? REDACTED : out;
  }

  private add(value: unknown, origin: Origin, depth: number): void {
    if (typeof value === 'string' || typeof value === 'number') {
      if (value === '' || (typeof value === 'number' && !Number.isFinite(value))) return;
      if (!this.registry.values.has(value)) this.registry.values.set(value, origin);
      this.registry.text.add(String(value));
    } else if (typeof value === 'boolean') {
      // A boolean is a secret only as a whole input or output, not as a field of one: every `true` would match.
      if (depth > 0) return;
      if (!this.registry.values.has(value)) this.registry.values.set(value, origin);
    } else if (value !== null && typeof value === 'object' && depth < maxDepth) {
      if (!this.registry.objects.has(value)) this.registry.objects.set(value, origin);
      for (const [key, item] of Object.entries(value)) {
        const path = [...origin.path, Array.isArray(value) ? Number(key) : key];
        this.add(item, { ...origin, path }, depth + 1);
      }
    } else return;
    this.active = true;
  }

  private replacer(): Replacer {
    if (this.codec) return this.codec;
    const encode = (holder: unknown, value: unknown) => this.encode(holder, value);
    this.codec = function (this: unknown, _key: string, value: unknown) {
      return encode(this, value);
    };
    return this.codec;
  }

  private encode(holder: unknown, value: unknown): unknown {
    // The payload of a marker this codec made: already encoded.
    if (typeof holder === 'object' && holder !== null && this.registry.markers.has(holder)) return value;
    switch (typeof value) {
      case 'string': {
        const origin = this.registry.values.get(value);
        if (origin) return this.marker(value, origin);
        const text = this.engine.global.redact(value);
        return this.registry.text.test(text) ? this.quote(text) : text;
      }
      case 'number':
      case 'boolean': {
        const origin = this.registry.values.get(value);
        return origin ? this.marker(value, origin) : value;
      }
      case 'object': {
        if (value === null) return value;
        const origin = this.registry.objects.get(value);
        if (origin) return this.marker(value, origin);
        if (isSecretMarker(value)) return { [secretMarkerKey]: { literal: Object.entries(value) } };
        if (!Array.isArray(value)) for (const key in value) if (this.quotes(key)) return this.quote(value);
        return value;
      }
      default:
        return value;
    }
  }

  private quotes(key: string): boolean {
    return this.registry.values.has(key) || this.registry.text.test(key) || this.engine.global.test(key);
  }

  private own(payload: string): object {
    const marker = { [secretMarkerKey]: payload };
    this.registry.markers.add(marker);
    return marker;
  }

  private marker(value: unknown, origin: Origin): object {
    const { cipher } = this.engine;
    if (cipher) return this.own(SecretPayload.Sealed + cipher.seal(JSON.stringify(value), this.runId));
    return this.own(origin.kind + JSON.stringify([origin.root, ...origin.path]));
  }

  // A value that quotes a secret: sealed whole, or (no key) kept in this process only.
  private quote(value: unknown): object {
    const { cipher } = this.engine;
    if (cipher) return this.own(SecretPayload.SealedQuote + cipher.seal(JSON.stringify(value), this.runId));
    let ref = this.registry.quotedRefs.get(value);
    if (ref === undefined) {
      ref = `${this.registry.quoted.size + 1}`;
      this.registry.quoted.set(ref, value);
      // Strings by value; objects are rebuilt each transition, so their refs must not pile up.
      if (typeof value === 'string') this.registry.quotedRefs.set(value, ref);
    }
    return this.own(SecretPayload.Ref + ref);
  }

  private readonly reviver = (_key: string, value: unknown): unknown => {
    if (!isSecretMarker(value)) return value;
    const payload = value[secretMarkerKey];
    const literal = literalOf(payload);
    if (literal) return literal;
    if (typeof payload !== 'string') throw new Error('a secret marker of unknown form');
    return this.open(payload);
  };

  private open(payload: string): unknown {
    const sealed = payload.startsWith(SecretPayload.Sealed);
    if (sealed || payload.startsWith(SecretPayload.SealedQuote)) {
      const { cipher } = this.engine;
      if (!cipher) return this.miss('values stored encrypted (this engine has no secretKey)');
      let plaintext: string;
      try {
        plaintext = cipher.open(payload.slice(SecretPayload.Sealed.length), this.runId);
      } catch {
        return this.miss('values its secretKey cannot decrypt');
      }
      const value = JSON.parse(plaintext) as unknown;
      if (sealed) this.add(value, { kind: SecretPayload.Output, root: '(stored)', path: [] }, 0);
      return value;
    }
    if (payload.startsWith(SecretPayload.Ref)) {
      const ref = payload.slice(SecretPayload.Ref.length);
      return this.registry.quoted.has(ref)
        ? this.registry.quoted.get(ref)
        : this.miss('a value that quoted a secret (never stored)');
    }
    const kind = payload.slice(0, 2);
    if (kind !== SecretPayload.Input && kind !== SecretPayload.Output)
      throw new Error('a secret marker of unknown kind');
    const [root, ...path] = JSON.parse(payload.slice(2)) as [string, ...(string | number)[]];
    let value = this.registry.roots.get(kind + root);
    if (value === undefined && kind === SecretPayload.Input && Object.hasOwn(this.supplied, root)) {
      value = this.supplied[root];
      this.addInput(root, value);
    }
    if (value === undefined) {
      return this.miss(
        kind === SecretPayload.Input ? `the secret input field "${root}"` : `the secret output of step ${root}`,
      );
    }
    for (const key of path) value = (value as Record<string | number, unknown> | undefined)?.[key];
    return value;
  }

  private miss(what: string): undefined {
    this.registry.missing.add(what);
    return undefined;
  }
}
