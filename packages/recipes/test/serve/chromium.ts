import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const executablePath = process.env.FORNEX_FLOW_CHROMIUM ?? '/usr/bin/chromium';
/** True when the Debian Chromium (or FORNEX_FLOW_CHROMIUM) is there; under CI its absence is a failure (.ci/chromium installs it). */
export const haveChromium = existsSync(executablePath);
if (!haveChromium && process.env.CI) throw new Error(`no Chromium at ${executablePath}: run .ci/chromium`);

/** Starts headless Chromium with a fresh profile for the enclosing describe block; `context()` is its browser context. */
export function useChromium(): { context(): BrowserContext } {
  let context: BrowserContext | undefined;
  let profile: string;
  beforeAll(async () => {
    profile = mkdtempSync(path.join(tmpdir(), 'fornex-flow-chromium-'));
    // A fresh profile in a temp folder (playwright's way of passing --user-data-dir).
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      viewport: { width: 1200, height: 1000 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  });
  return {
    context: () => {
      if (!context) throw new Error('Chromium is not started (useChromium() belongs in a describe block)');
      return context;
    },
  };
}
