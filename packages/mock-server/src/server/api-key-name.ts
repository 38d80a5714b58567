/**
 * True for the name of the key parameter, decoded and in any case: a request that carries it where
 * it does not belong is refused, and the journal redacts it, by the same rule.
 */
export function isApiKeyName(name: string): boolean {
  return name.toLowerCase() === 'apikey';
}
