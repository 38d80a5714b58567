import { describe, expect, it } from 'vitest';
import { spawnCli } from './helpers.js';

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
