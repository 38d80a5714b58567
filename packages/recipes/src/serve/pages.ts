import { formatDuration } from '../cli/output/format.js';
import { escapeHtml as h, scriptJson } from './html.js';
import type { RunDetail } from './run-view.js';

/** The recipes the start form offers: id, description and the JSON Schema of its input. */
export interface RecipeOffer {
  id: string;
  version: string;
  description: string;
  inputSchema: unknown;
  secretInput: readonly string[];
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:10px 20px}header a{color:#fff;text-decoration:none;font-weight:600}
main{padding:16px 20px;max-width:1200px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e6ea;vertical-align:top}
.status{font-weight:600}.s-completed{color:#1a7f37}.s-failed{color:#cf222e}.s-cancelled{color:#6e7781}.s-running{color:#0969da}.s-waiting{color:#9a6700}
section{background:#fff;border:1px solid #e3e6ea;border-radius:6px;padding:12px 16px;margin:0 0 16px}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:300px;margin:4px 0}
form label{display:block;margin:6px 0}form input[type=text],form input[type=number],form textarea{width:100%;max-width:420px;box-sizing:border-box}
.error{color:#cf222e}.muted{color:#6e7781}
.statechart rect{fill:#fff;stroke:#8c959f;stroke-width:1.2}.statechart .compound>rect,.statechart .parallel>rect{fill:none}
.statechart .parallel>rect{stroke-dasharray:5 3}.statechart .active>rect{fill:#fff1b8;stroke:#bf8700;stroke-width:2.5}
.statechart .compound.active>rect,.statechart .parallel.active>rect{fill:none}
.statechart .inner{fill:none!important}.statechart text{font-size:12px;fill:#1d2430}.statechart .region{font-weight:600;fill:#57606a}
.statechart .edge{fill:none;stroke:#57606a;stroke-width:1.2}.statechart .edge-label{font-size:10px;fill:#6e7781}.statechart marker path{fill:#57606a}
`;

function layout(title: string, body: string, data: unknown): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${h(title)} · fornex-flow</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>
<body><header><a href="/">fornex-flow</a> <span class="muted">runs dashboard</span></header>
<main id="main">${body}</main>
<script type="application/json" id="page-data">${scriptJson(data)}</script>
<script src="/assets/app.js" defer></script></body></html>`;
}

const statuses = ['running', 'waiting', 'completed', 'failed', 'cancelled'];

/** The runs list with its filters and the start form (rows are filled and kept live by the script). */
export function runsPage(recipes: readonly RecipeOffer[]): string {
  const recipeOptions = recipes.map((r) => `<option value="${h(r.id)}">${h(r.id)}</option>`).join('');
  const body = `
<section><h2>Start a run</h2>
<form id="start-form"><label>Recipe <select name="recipe" id="start-recipe">${recipeOptions}</select></label>
<p class="muted" id="start-description"></p><div id="start-fields"></div>
<button type="submit">Start</button> <span id="start-result" role="status"></span></form></section>
<section><h2>Runs</h2>
<form id="filters">Status <select name="status"><option value="">any</option>${statuses.map((s) => `<option>${s}</option>`).join('')}</select>
Recipe <select name="recipe"><option value="">any</option>${recipeOptions}</select></form>
<table id="runs"><thead><tr><th>Run</th><th>Recipe</th><th>Status</th><th>State</th><th>Started</th><th>Duration</th></tr></thead><tbody></tbody></table>
</section>`;
  return layout('Runs', body, { page: 'runs', recipes });
}

const json = (value: unknown) => `<pre>${h(JSON.stringify(value, null, 2) ?? 'null')}</pre>`;
const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');

/** One run: its facts, actions, the statechart with its current states, input/output and timeline. */
export function runPage(detail: RunDetail, diagramSvg: string): string {
  const { run, steps, history, children } = detail;
  const active = run.status === 'running' || run.status === 'waiting';
  const body = `
<h2>Run <code>${h(run.runId)}</code></h2>
<section><table>
<tr><th>Recipe</th><td>${h(run.recipeId)}@${h(run.recipeVersion)}</td></tr>
<tr><th>Status</th><td class="status s-${h(run.status)}" id="run-status">${h(run.status)}</td></tr>
<tr><th>Started</th><td>${time(run.createdMs)}</td></tr>
<tr><th>Updated</th><td>${time(run.updatedMs)}</td></tr>
${run.parentRunId ? `<tr><th>Parent</th><td><a href="/runs/${encodeURIComponent(run.parentRunId)}">${h(run.parentRunId)}</a></td></tr>` : ''}
${run.error ? `<tr><th>Error</th><td class="error">${h(run.error.message)}</td></tr>` : ''}
</table>
<p>${active ? '<button id="cancel-run">Cancel</button> <button id="resume-run">Resume</button>' : ''} <span id="action-result" role="status"></span></p>
${
  active
    ? `<form id="send-event"><label>Send an event: type <input type="text" name="type" required></label>
<label>payload (JSON object, optional) <textarea name="payload" rows="2"></textarea></label><button type="submit">Send</button></form>`
    : ''
}
</section>
<section><h3>State machine</h3><div id="diagram">${diagramSvg}</div><p class="muted">current state: <code>${h(JSON.stringify(run.state))}</code></p></section>
<section><h3>Input</h3>${json(run.input)}<h3>Output</h3>${json(run.output)}</section>
<section><h3>Steps</h3><table><thead><tr><th>Step</th><th>Status</th><th>Attempt</th><th>Duration</th><th>Error</th></tr></thead><tbody>
${steps.map((s) => `<tr><td>${h(s.stepKey)}</td><td class="status s-${h(s.status)}">${h(s.status)}</td><td>${s.attempt}</td><td>${s.durationMs === null ? '-' : formatDuration(s.durationMs)}</td><td class="error">${h(s.error?.message ?? '')}</td></tr>`).join('')}
</tbody></table></section>
${children.length ? `<section><h3>Child runs</h3><ul>${children.map((c) => `<li><a href="/runs/${encodeURIComponent(c.runId)}">${h(c.runId)}</a> ${h(c.recipeId)} <span class="status s-${h(c.status)}">${h(c.status)}</span></li>`).join('')}</ul></section>` : ''}
<section><h3>Timeline</h3><table><thead><tr><th>At</th><th>Event</th><th>Payload</th></tr></thead><tbody>
${history.map((e) => `<tr><td>+${(Math.max(0, e.atMs - run.createdMs) / 1000).toFixed(3)} s</td><td>${h(e.type)}</td><td><code>${h(JSON.stringify(e.payload) ?? '')}</code></td></tr>`).join('')}
</tbody></table></section>`;
  return layout(`Run ${run.runId}`, body, { page: 'run', runId: run.runId });
}

/** A short HTML page for an error a browser asked for. */
export function errorPage(status: number, message: string): string {
  return layout(`Error ${status}`, `<section><h2>${status}</h2><p class="error">${h(message)}</p></section>`, {
    page: 'error',
  });
}
