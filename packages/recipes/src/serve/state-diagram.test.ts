import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { activeStateIds, stateDiagram } from './state-diagram.js';

const machine = createMachine({
  id: 'deploy',
  initial: 'preparing',
  states: {
    preparing: { on: { READY: 'working' }, always: { guard: () => false, target: 'done' } },
    working: {
      type: 'parallel',
      states: {
        dns: { initial: 'adding', states: { adding: { on: { ADDED: 'added' } }, added: { type: 'final' } } },
        server: { initial: 'booting', states: { booting: { on: { UP: 'up' } }, up: { type: 'final' } } },
      },
      onDone: 'done',
      on: { ABORT: 'preparing' },
    },
    done: { type: 'final' },
  },
});

const groups = (svg: string) => [...svg.matchAll(/<g class="([^"]+)" data-state="([^"]*)"/g)].map((m) => [m[2], m[1]]);

describe('stateDiagram', () => {
  it('draws every state as a box, nested in its parent, and highlights the current states with their ancestors', () => {
    const svg = stateDiagram(machine, { working: { dns: 'added', server: 'booting' } });
    const drawn = new Map(groups(svg) as [string, string][]);
    expect([...drawn.keys()].sort()).toEqual(
      [
        '',
        'done',
        'preparing',
        'working',
        'working.dns',
        'working.dns.adding',
        'working.dns.added',
        'working.server',
        'working.server.booting',
        'working.server.up',
      ].sort(),
    );
    const active = [...drawn].filter(([, cls]) => cls.split(' ').includes('active')).map(([id]) => id);
    expect(active.sort()).toEqual([
      'working',
      'working.dns',
      'working.dns.added',
      'working.server',
      'working.server.booting',
    ]);
    expect(drawn.get('working')).toContain('parallel');
    expect(drawn.get('done')).toContain('final');
  });

  it('draws one arrow per transition, labelled by its event', () => {
    const svg = stateDiagram(machine, 'preparing');
    const labels = [...svg.matchAll(/class="edge-label">([^<]*)</g)].map((m) => m[1]).sort();
    expect(labels).toEqual(['ABORT', 'ADDED', 'READY', 'UP', 'always', 'done'].sort());
    expect(svg.match(/class="edge"/g)).toHaveLength(6);
  });

  it('escapes state names', () => {
    const odd = createMachine({ initial: 'a<b', states: { 'a<b': {} } });
    expect(stateDiagram(odd, 'a<b')).toContain('a&lt;b');
  });

  it('reads nested state values', () => {
    expect([...activeStateIds({ a: { b: 'c' } })]).toEqual(['a', 'a.b', 'a.b.c']);
  });
});
