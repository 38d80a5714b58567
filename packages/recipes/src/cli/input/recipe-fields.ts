import { z } from 'zod';

/** One input field of a recipe, as `fornex-flow recipes` lists it. */
export interface RecipeField {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
}

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
}

/** The JSON Schema of a recipe's input as a user types it (defaults optional). */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** A short type text: `string`, `"all" | string[]`, `integer`. */
export function typeText(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map(typeText).join(' | ');
  if (schema.type === 'array') {
    const item = schema.items ? typeText(schema.items) : 'unknown';
    return item.includes(' ') ? `(${item})[]` : `${item}[]`;
  }
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  return schema.type ?? 'any';
}

/** The top-level fields of a recipe's input schema (an empty list when the input is not an object). */
export function recipeFields(schema: z.ZodType): RecipeField[] {
  const json = inputJsonSchema(schema);
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, field]) => ({
    name,
    type: typeText(field),
    required: required.has(name),
    ...(field.default !== undefined ? { default: field.default } : {}),
    ...(field.description ? { description: field.description } : {}),
  }));
}

/** True when a field's value is a string as typed (so `--set name=007` keeps "007"). */
export function isStringField(schema: JsonSchema | undefined): boolean {
  if (!schema) return false;
  if (schema.type === 'string') return true;
  if (schema.enum?.every((v) => typeof v === 'string')) return true;
  return typeof schema.const === 'string';
}

/** True when `raw`, as typed, is a valid value of the field: a string field, or a union member it matches exactly. */
export function acceptsString(schema: JsonSchema | undefined, raw: string): boolean {
  if (!schema) return false;
  if (schema.const !== undefined) return schema.const === raw;
  if (schema.enum) return schema.enum.includes(raw);
  if (schema.type === 'string') return true;
  return (schema.anyOf ?? schema.oneOf ?? []).some((member) => acceptsString(member, raw));
}

/** True when a field is an array of strings (so `--set orders=a,b` splits). */
export function isStringArrayField(schema: JsonSchema | undefined): boolean {
  if (!schema) return false;
  if (schema.type === 'array') return isStringField(schema.items);
  return (schema.anyOf ?? schema.oneOf ?? []).some(isStringArrayField);
}

export type { JsonSchema };
