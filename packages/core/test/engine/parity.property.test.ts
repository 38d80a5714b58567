import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandLists, machineSpecs } from './parity-arbitraries.js';
import { runOnEngine, runOnXState } from './parity-drivers.js';
import { buildMachine } from './parity-machine.js';

// Bounded for CI: a few seconds. FORNEX_PARITY_RUNS raises the count for a longer hunt.
const numRuns = Number(process.env.FORNEX_PARITY_RUNS ?? 50);
const timeLimitMs = Number(process.env.FORNEX_PARITY_TIME_MS ?? 5_000);

describe('property: the engine does exactly what XState does', () => {
  it(
    'same steps (with inputs), same delivered events, same final state and context',
    async () => {
      await fc.assert(
        fc.asyncProperty(machineSpecs, commandLists, async (spec, commands) => {
          const machine = buildMachine(spec);
          const xstate = await runOnXState(machine, commands);
          const engine = await runOnEngine(machine, commands);
          expect(engine).toEqual(xstate);
        }),
        { numRuns, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false },
      );
    },
    timeLimitMs + 30_000,
  );
});
