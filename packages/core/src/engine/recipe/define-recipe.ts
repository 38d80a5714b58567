import { type AnyStateMachine, fromPromise } from 'xstate';
import type { z } from 'zod';
import { EngineError, EngineErrorCode } from '../errors.js';
import { rewriteInvokes } from '../run/invoke-rewrite.js';
import type { RegisteredClient, StepDefinition } from '../steps/step-definition.js';
import type { CheckMachineInput, Recipe, RecipeDefinition } from './recipe-types.js';

export type { ChildRuns, ReconcileResult, StepContext, StepDefinition } from '../steps/step-definition.js';
// The engine's modules take these from here (the recipe's module); they live in their own files.
export type { Recipe, RecipeDefinition } from './recipe-types.js';

/** Types a step written apart from its recipe by its invoke input and output (an identity function). */
export function defineStep<TInput = unknown, TOutput = unknown, TClient = RegisteredClient>(
  step: StepDefinition<TInput, TOutput, TClient>,
): StepDefinition<TInput, TOutput, TClient> {
  return step;
}

/** A typed placeholder for `setup({ actors })`: the engine runs the step named like the actor, never this. */
export function stepActor<TOutput = unknown, TInput = unknown>() {
  return fromPromise<TOutput, TInput>(() => new Promise<TOutput>(() => {}));
}

interface InvokeNode {
  invoke?: { id: string; src: unknown }[];
  states?: Record<string, InvokeNode>;
}

// The sources of machines `defineRecipe` rewrote (their invokes are gone), so that a recipe can be
// redefined from another (`defineRecipe({ ...v1, version: 2 })`) and still be checked.
const rewrittenSources = new WeakMap<AnyStateMachine, Set<string>>();

/** Every string `src` the machine invokes, walking the state tree. */
export function invokedSources(machine: AnyStateMachine): Set<string> {
  const known = rewrittenSources.get(machine);
  if (known) return known;
  const found = new Set<string>();
  const walk = (node: InvokeNode) => {
    for (const invoke of node.invoke ?? []) if (typeof invoke.src === 'string') found.add(invoke.src);
    for (const child of Object.values(node.states ?? {})) walk(child);
  };
  walk(machine.root as unknown as InvokeNode);
  return found;
}

/**
 * Checks and freezes a recipe: every step the machine invokes is in `steps` and every step is
 * invoked (INVALID_RECIPE otherwise; with `setup({ actors })` a missing or undeclared step is
 * already a compile error, and a machine whose input type does not accept the schema's output too).
 * @example defineRecipe({ id: 'add-dns', version: 1, description: '...', input: z.object({...}), machine, steps: { addRecord } })
 */
export function defineRecipe<
  const TId extends string,
  TSchema extends z.ZodType,
  TMachine extends AnyStateMachine,
  TClient = RegisteredClient,
>(
  definition: RecipeDefinition<TId, TSchema, TMachine, TClient> & CheckMachineInput<TSchema, TMachine>,
): Recipe<TId, TSchema, TMachine, TClient> {
  const fail = (message: string): never => {
    throw new EngineError(EngineErrorCode.InvalidRecipe, `recipe ${definition.id || '(no id)'}: ${message}`);
  };
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(definition.id ?? ''))
    fail('id must be a non-empty name of letters, digits, ".", "_" or "-"');
  const version = String(definition.version ?? '');
  if (version === '' || version.includes('@')) fail('version must be a non-empty number or string without "@"');
  const steps = (definition.steps ?? {}) as Record<string, StepDefinition>;
  const invoked = invokedSources(definition.machine);
  for (const src of invoked) {
    if (!Object.hasOwn(steps, src)) fail(`the machine invokes "${src}", which is not in steps`);
  }
  for (const name of Object.keys(steps)) {
    if (!invoked.has(name)) fail(`step "${name}" is never invoked by the machine (remove it, or invoke it)`);
    if (typeof steps[name]?.run !== 'function') fail(`step "${name}" needs a run function`);
  }
  // No invoke survives the rewrite, so the machine never needs an actor implementation for a step.
  const machine = rewriteInvokes(definition.machine) as TMachine;
  rewrittenSources.set(machine, invoked);
  return Object.freeze({ ...definition, machine, version, key: `${definition.id}@${version}` });
}
