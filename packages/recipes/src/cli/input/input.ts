import { readFileSync } from 'node:fs';
import { describeInputIssues, printableText } from '@fornex-flow/core';
import type { z } from 'zod';
import { usageError } from '../cli-error.js';
import { acceptsString, inputJsonSchema, isStringArrayField, type JsonSchema } from './recipe-fields.js';

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw usageError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
}

/** `--input`: inline JSON, or `@file` (`@-` reads stdin). */
function readInputFlag(value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  let text = value;
  let where = '--input';
  if (value.startsWith('@')) {
    const file = value.slice(1);
    where = file === '-' ? 'stdin' : file;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      throw usageError(`cannot read --input ${value} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  const parsed = parseJson(text, where);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw usageError(`${where} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

/** A `--set` value, typed by the field it sets: strings (and a union's string values) stay strings, lists split on commas, the rest is JSON. */
function setValue(raw: string, field: JsonSchema | undefined): unknown {
  if (acceptsString(field, raw)) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    if (isStringArrayField(field)) return raw === '' ? [] : raw.split(',').map((s) => s.trim());
    return raw;
  }
}

/**
 * The recipe's input: `--input` first, then each `--set key=value` (dotted keys reach into
 * objects). A top-level field the schema does not know is refused, so a typo never goes unseen.
 */
export function buildInput(schema: z.ZodType, inputFlag: string | undefined, sets: readonly string[]): unknown {
  const input = readInputFlag(inputFlag);
  const json = inputJsonSchema(schema);
  for (const assignment of sets) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw usageError(`--set ${assignment}: expected key=value`);
    const path = assignment.slice(0, eq).split('.');
    if (path.some((part) => part === '' || part === '__proto__' || part === 'constructor' || part === 'prototype'))
      throw usageError(`--set ${assignment}: bad key`);
    const field = path.length === 1 ? json.properties?.[path[0]!] : undefined;
    let target = input;
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[path.at(-1)!] = setValue(assignment.slice(eq + 1), field);
  }
  if (json.properties) {
    const known = Object.keys(json.properties);
    const unknown = Object.keys(input).filter((key) => !known.includes(key));
    if (unknown.length)
      throw usageError(
        `unknown input field${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => printableText(key)).join(', ')} (fields: ${known.join(', ')})`,
      );
  }
  return input;
}

/** Validates the input with the recipe's schema; a usage error names every bad field. */
export function validateInput(recipeId: string, schema: z.ZodType, input: unknown): unknown {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw usageError(`invalid input for ${recipeId}: ${describeInputIssues(parsed.error.issues)}`);
}
