import type { AnyStateMachine } from 'xstate';
import { escapeHtml } from './html.js';

// The few StateNode fields the drawing reads (xstate's own type is much wider).
interface StateNodeLike {
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  path: string[];
  states: Record<string, StateNodeLike>;
  transitions: Map<string, { target?: readonly StateNodeLike[] | undefined }[]>;
  /** Eventless transitions, which `transitions` leaves out. */
  always?: { target?: readonly StateNodeLike[] | undefined }[];
}

interface Box {
  node: StateNodeLike;
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  children: Box[];
}

const ATOM_H = 34;
const GAP = 30;
const PAD = 12;
const HEAD = 22;
const ARROW_ROOM = 46;
const LANE = 9;

const idOf = (node: StateNodeLike) => node.path.join('.');

// Sizes a node: atoms as labelled boxes, compound states stack their children in a column (room on
// the right for arrows that skip a row), parallel regions sit side by side.
function measure(node: StateNodeLike): Box {
  const children = Object.values(node.states).map(measure);
  const id = idOf(node);
  if (children.length === 0)
    return { node, id, x: 0, y: 0, w: Math.max(96, node.key.length * 8 + 24), h: ATOM_H, children };
  if (node.type === 'parallel') {
    const w = children.reduce((sum, c) => sum + c.w, 0) + GAP * (children.length - 1) + 2 * PAD;
    const h = Math.max(...children.map((c) => c.h)) + HEAD + 2 * PAD;
    return { node, id, x: 0, y: 0, w: Math.max(w, node.key.length * 8 + 24), h, children };
  }
  const w = Math.max(...children.map((c) => c.w)) + 2 * PAD + ARROW_ROOM;
  const h = children.reduce((sum, c) => sum + c.h, 0) + GAP * (children.length - 1) + HEAD + 2 * PAD;
  return { node, id, x: 0, y: 0, w: Math.max(w, node.key.length * 8 + 24), h, children };
}

function place(box: Box, x: number, y: number): void {
  box.x = x;
  box.y = y;
  let cx = x + PAD;
  let cy = y + HEAD + PAD;
  for (const child of box.children) {
    place(child, cx, cy);
    if (box.node.type === 'parallel') cx += child.w + GAP;
    else cy += child.h + GAP;
  }
}

function flatten(box: Box, into: Map<string, Box> = new Map()): Map<string, Box> {
  into.set(box.id, box);
  for (const child of box.children) flatten(child, into);
  return into;
}

/** The ids (dotted paths) of the states a state value names, with their ancestors. */
export function activeStateIds(value: unknown, prefix: string[] = []): Set<string> {
  const ids = new Set<string>();
  if (typeof value === 'string') ids.add([...prefix, value].join('.'));
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      ids.add([...prefix, key].join('.'));
      for (const id of activeStateIds(inner, [...prefix, key])) ids.add(id);
    }
  return ids;
}

/** A transition's label: the event a person would name (`done`, `error`, `after`, or the event type). */
function eventLabel(type: string): string {
  if (type.startsWith('xstate.done.actor.')) return 'done';
  if (type.startsWith('xstate.error.actor.')) return 'error';
  if (type.startsWith('xstate.after.')) return 'after';
  if (type.startsWith('xstate.done.state.')) return 'done';
  return type.length > 18 ? `${type.slice(0, 17)}…` : type;
}

function drawBox(box: Box, active: Set<string>, root: boolean): string {
  const on = active.has(box.id);
  const cls = ['state', box.node.type, on ? 'active' : ''].filter(Boolean).join(' ');
  const atom = box.children.length === 0;
  const label = root ? '' : escapeHtml(box.node.key);
  const text = atom
    ? `<text x="${box.x + box.w / 2}" y="${box.y + box.h / 2 + 4}" text-anchor="middle">${label}</text>`
    : `<text x="${box.x + 8}" y="${box.y + 15}" class="region">${label}</text>`;
  const final =
    box.node.type === 'final'
      ? `<rect x="${box.x + 3}" y="${box.y + 3}" width="${box.w - 6}" height="${box.h - 6}" rx="6" class="inner"/>`
      : '';
  const shape = root
    ? ''
    : `<rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" rx="8"/>${final}${text}`;
  return `<g class="${cls}" data-state="${escapeHtml(box.id)}">${shape}${box.children.map((c) => drawBox(c, active, false)).join('')}</g>`;
}

interface Edge {
  from: Box;
  to: Box;
  labels: string[];
}

// One edge per source and target, whatever events lead there ("done, error").
function collectEdges(boxes: Map<string, Box>): Edge[] {
  const edges = new Map<string, Edge>();
  for (const box of boxes.values())
    for (const [type, transitions] of [...box.node.transitions, ['always', box.node.always ?? []] as const])
      for (const transition of transitions)
        for (const target of transition.target ?? []) {
          const to = boxes.get(idOf(target));
          if (!to || to === box) continue;
          const key = `${box.id}->${to.id}`;
          const edge = edges.get(key) ?? { from: box, to, labels: [] };
          const label = eventLabel(type);
          if (!edge.labels.includes(label)) edge.labels.push(label);
          edges.set(key, edge);
        }
  return [...edges.values()];
}

const isNextInColumn = (from: Box, to: Box) =>
  Math.abs(to.x - from.x) < 1 && to.y > from.y + from.h && to.y - (from.y + from.h) <= GAP + 1;

/** The arrows, and how far right of `right` their lanes reach. */
function drawArrows(edges: Edge[], right: number): { svg: string; lanes: number } {
  const parts: string[] = [];
  const fromCount = new Map<Box, number>();
  let lane = 0;
  for (const { from, to, labels } of edges) {
    const label = escapeHtml(labels.join(', '));
    if (isNextInColumn(from, to)) {
      // The next state in the column: a short straight arrow.
      const x = from.x + Math.min(from.w, to.w) / 2;
      parts.push(
        `<path d="M${x},${from.y + from.h} L${x},${to.y - 2}" class="edge" marker-end="url(#arrow)"/>`,
        `<text x="${x + 6}" y="${from.y + from.h + GAP / 2 + 4}" class="edge-label">${label}</text>`,
      );
      continue;
    }
    // Anything else goes round on the right, each arrow in its own lane; its label sits by its source.
    lane += 1;
    const k = fromCount.get(from) ?? 0;
    fromCount.set(from, k + 1);
    const x1 = from.x + from.w;
    const y1 = from.y + from.h / 2;
    const x2 = to.x + to.w;
    const y2 = to.y + to.h / 2;
    const bend = right + lane * LANE;
    parts.push(
      `<path d="M${x1},${y1} L${bend - 6},${y1} Q${bend},${y1} ${bend},${y1 + Math.sign(y2 - y1) * 6} L${bend},${y2 - Math.sign(y2 - y1) * 6} Q${bend},${y2} ${bend - 6},${y2} L${x2 + 2},${y2}" class="edge" marker-end="url(#arrow)"/>`,
      `<text x="${x1 + 4}" y="${y1 - 4 - k * 11}" class="edge-label">${label}</text>`,
    );
  }
  return { svg: parts.join(''), lanes: lane };
}

/** The machine's statechart as SVG: states as (nested) boxes, transitions as arrows, `value`'s states highlighted. */
export function stateDiagram(machine: AnyStateMachine, value: unknown): string {
  const root = measure(machine.root as unknown as StateNodeLike);
  place(root, 0, -HEAD);
  const boxes = flatten(root);
  const active = activeStateIds(value);
  const arrows = drawArrows(collectEdges(boxes), root.w);
  const width = root.w + arrows.lanes * LANE + 16;
  const height = root.h - HEAD;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="statechart" viewBox="-4 -4 ${width + 8} ${height + 8}" width="${width + 8}" height="${height + 8}" role="img" aria-label="state machine">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>
${drawBox(root, active, true)}${arrows.svg}</svg>`;
}
