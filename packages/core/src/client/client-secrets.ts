// The client object must not hold its key (it is logged, inspected, serialized); the engine still
// needs the key to redact it from what it persists. This map joins the two without a property.
const secrets = new WeakMap<object, readonly string[]>();

/** Records `apiKey` as the secret of `client`: called once by `createFornexClient`. */
export function registerClientSecret(client: object, apiKey: string): void {
  secrets.set(client, [apiKey]);
}

/**
 * The key of a client made by `createFornexClient`; none for anything else. Internal: the engine's
 * redaction reads it (and finds it in any spelling, see engine/secret-text.ts).
 */
export function clientSecrets(client: unknown): readonly string[] {
  return (typeof client === 'object' && client !== null && secrets.get(client)) || [];
}
