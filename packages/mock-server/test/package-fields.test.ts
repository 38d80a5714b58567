// Every package of the repository can be published as is: the fields a registry page and an
// installer need, and a README of its own in the tarball.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../..', import.meta.url));

interface Manifest {
  name?: string;
  repository?: { type?: string; url?: string; directory?: string };
  engines?: { node?: string };
  keywords?: string[];
  files?: string[];
  license?: string;
  description?: string;
}

const names = readdirSync(PACKAGES).filter((dir) => existsSync(join(PACKAGES, dir, 'package.json')));

describe('published-package fields', () => {
  it('finds the packages', () => {
    expect(names).toEqual(expect.arrayContaining(['core', 'mock-server']));
  });

  for (const dir of names) {
    it(`${dir} has repository, engines, keywords, files, license and its own README`, () => {
      const manifest = JSON.parse(readFileSync(join(PACKAGES, dir, 'package.json'), 'utf8')) as Manifest;
      expect(manifest.name).toMatch(/^@fornex-flow\//);
      expect(manifest.description).toEqual(expect.any(String));
      expect(manifest.license).toBe('MIT');
      expect(manifest.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:/) });
      expect(manifest.repository?.directory).toBe(`packages/${dir}`);
      expect(manifest.engines?.node).toMatch(/^>=20/);
      expect(manifest.keywords?.length).toBeGreaterThan(0);
      expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'README.md']));
      const readme = readFileSync(join(PACKAGES, dir, 'README.md'), 'utf8');
      expect(readme.startsWith(`# ${manifest.name}\n`)).toBe(true);
    });
  }
});

describe('the lockfile', () => {
  it('lists every optional (platform) dependency, so `npm ci` accepts it on any OS', () => {
    const lock = JSON.parse(readFileSync(join(PACKAGES, '..', 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { optionalDependencies?: Record<string, string> }>;
    };
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        // npm resolves a dependency from the nearest node_modules up the tree.
        const parts = path === '' ? [] : path.split('/node_modules/');
        let found = false;
        for (let depth = parts.length; depth >= 0 && !found; depth--) {
          const base = parts.slice(0, depth).join('/node_modules/');
          found = `${base ? `${base}/` : ''}node_modules/${name}` in lock.packages;
        }
        if (!found) missing.push(`${name} (of ${path || 'the root'})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
