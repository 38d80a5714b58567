import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { corruptRun } from '../errors.js';

/** The part of an xstate snapshot the engine stores: not children (the engine owns the steps), not history states (unsupported). */
export interface StoredSnapshot {
  status: AnyMachineSnapshot['status'];
  value: unknown;
  context: unknown;
  output?: unknown;
  error?: unknown;
}

/** The stored form of a snapshot, before JSON and redaction. */
export function toStoredSnapshot(snapshot: AnyMachineSnapshot): StoredSnapshot {
  const stored: StoredSnapshot = { status: snapshot.status, value: snapshot.value, context: snapshot.context };
  if (snapshot.output !== undefined) stored.output = snapshot.output;
  if (snapshot.error !== undefined) stored.error = snapshot.error;
  return stored;
}

type Replacer = (this: unknown, key: string, value: unknown) => unknown;

// A field of the JSON object below, or nothing for a value JSON.stringify leaves out (undefined, a function).
function jsonField(name: string, value: unknown, replacer?: Replacer): string {
  const json = JSON.stringify(value, replacer) as string | undefined;
  return json === undefined ? '' : `,"${name}":${json}`;
}

/**
 * `JSON.stringify(toStoredSnapshot(snapshot))`, the same text, built by hand: stringifying the
 * wrapper object cost twice as much as its few fields (once per transition). `replacer` (the
 * secrets codec of a run that has secrets) applies to the context, output and error, never to the
 * state value.
 */
export function storedSnapshotJson(snapshot: AnyMachineSnapshot, replacer?: Replacer): string {
  // The status is one of xstate's four plain words: nothing to escape.
  let json = `{"status":"${snapshot.status}"${jsonField('value', snapshot.value)}${jsonField('context', snapshot.context, replacer)}`;
  if (snapshot.output !== undefined) json += jsonField('output', snapshot.output, replacer);
  if (snapshot.error !== undefined) json += jsonField('error', snapshot.error, replacer);
  return `${json}}`;
}

/**
 * Rebuilds a live snapshot from its stored JSON (read by `parse`: the run's secrets decoder); a row
 * that does not parse or fit the machine is a CORRUPT_RUN error.
 */
export function restoreSnapshot(
  machine: AnyStateMachine,
  json: string,
  runId: string,
  parse: (json: string) => unknown = JSON.parse,
): AnyMachineSnapshot {
  let stored: StoredSnapshot;
  try {
    stored = parse(json) as StoredSnapshot;
  } catch (error) {
    throw corruptRun(runId, 'snapshot', error);
  }
  if (!stored || typeof stored !== 'object' || stored.value === undefined) {
    throw corruptRun(runId, 'snapshot', new Error('not a snapshot object'));
  }
  try {
    return machine.resolveState({ ...stored, children: {} } as never);
  } catch (error) {
    throw corruptRun(runId, 'snapshot', error);
  }
}
