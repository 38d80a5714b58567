import type { Sequences } from '../world/types.js';
import { ApiFailure } from './types.js';

/**
 * Takes the next id of a sequence. A sequence never goes past 2^53 - 1: an unsafe integer would
 * be written as an id no client can hold exactly, and a state holding it could not be loaded back.
 */
export function nextId(sequences: Sequences, name: keyof Sequences): number {
  const id = sequences[name];
  if (id >= Number.MAX_SAFE_INTEGER) throw new ApiFailure('idsExhausted');
  sequences[name] = id + 1;
  return id;
}
