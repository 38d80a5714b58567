/** The two documented dialects of the API: the English document (newer) and the Russian one (older). */
export const Dialect = { en: 'en', ru: 'ru' } as const;

/** `en` or `ru`. */
export type Dialect = (typeof Dialect)[keyof typeof Dialect];

/** Every dialect, in a stable order. */
export const dialects: readonly Dialect[] = [Dialect.en, Dialect.ru];

/** True when `value` names a dialect. */
export function isDialect(value: unknown): value is Dialect {
  return value === Dialect.en || value === Dialect.ru;
}
