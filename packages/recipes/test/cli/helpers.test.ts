import { setTimeout } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createCliWorld, spawnCli } from './helpers.js';

// The tests' view of a CLI's stdout: several lines often arrive in one chunk (the help is one
// write), and a test registers its next wait only after the previous one resolved.
describe('spawnCli().waitForLine', () => {
  it('finds lines in order, also those that arrived in the same chunk as the last one found', async () => {
    const outputs: string[] = [];
    const cli = spawnCli(['--help'], process.env as Record<string, string>, outputs);
    expect(await cli.waitForLine((l) => l.startsWith('Usage:'))).toMatch(/^Usage: fornex-flow/);
    expect(await cli.waitForLine((l) => l === 'Options:')).toBe('Options:');
    expect(await cli.waitForLine((l) => l === 'Commands:')).toBe('Commands:');
    // Only lines after the last one found: the usage line is behind the cursor now.
    await expect(cli.waitForLine((l) => l.startsWith('Usage:'))).rejects.toThrow(/exited \(0\) first/);
  });
});

describe('createCliWorld', () => {
  let leftPid: number | undefined;
  it('a worker left running by its test (part 1: started, not stopped)', async () => {
    const w = await createCliWorld();
    const worker = w.spawn(['worker', '--poll-ms', '100']);
    await worker.waitForLine((l) => l.includes('worker started'));
    leftPid = worker.child.pid;
  });

  it('is SIGKILLed when its test ends (part 2)', async () => {
    const alive = () => {
      try {
        process.kill(leftPid as number, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let waitedMs = 0; alive() && waitedMs < 5000; waitedMs += 50) await setTimeout(50);
    expect(leftPid).toBeTypeOf('number');
    expect(alive()).toBe(false);
  });
});
