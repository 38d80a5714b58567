/** How deep admin JSON may nest: far more than any world or fault needs, far less than the stack. */
export const MAX_JSON_DEPTH = 64;

/**
 * True when `value` nests deeper than `limit` arrays/objects. Stops as soon as the limit is passed,
 * so a value nested 10,000 deep costs 64 frames: the JSON writers, zod and structuredClone behind
 * it all recurse, and would otherwise overflow the stack on it later, on every GET.
 */
export function nestsDeeperThan(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (nestsDeeperThan(item, limit - 1)) return true;
  }
  return false;
}
