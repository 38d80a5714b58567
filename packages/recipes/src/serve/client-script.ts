// The dashboard's only script, served as /assets/app.js: plain browser JavaScript, no build step.
// It renders the runs list and keeps it live from /api/live (server-sent events), builds the start
// form from each recipe's JSON Schema, and wires the run page's actions to the JSON API.

/** The source of /assets/app.js. */
export const clientScript = `
'use strict';
const data = JSON.parse(document.getElementById('page-data').textContent);
const $ = (sel, root = document) => root.querySelector(sel);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const duration = (ms) => ms < 1000 ? Math.round(ms) + ' ms' : ms < 60000 ? (ms / 1000).toFixed(1) + ' s' : Math.floor(ms / 60000) + ' min ' + String(Math.round(ms / 1000) % 60).padStart(2, '0') + ' s';
async function api(method, url, body) {
  const res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ? json.error.message : res.status + ' ' + res.statusText);
  return json;
}

function runsPage() {
  const rows = new Map();
  const tbody = $('#runs tbody');
  const filters = $('#filters');
  const passes = (run) => {
    const status = filters.elements.namedItem('status').value, recipe = filters.elements.namedItem('recipe').value;
    return run.parentRunId === null && (!status || run.status === status) && (!recipe || run.recipeId === recipe);
  };
  // The newest summary seen per run: a list fetched while events arrive may be older than they are.
  const latest = new Map();
  const render = (incoming) => {
    const known = latest.get(incoming.runId);
    const run = known && known.updatedMs > incoming.updatedMs ? known : incoming;
    latest.set(run.runId, run);
    let tr = rows.get(run.runId);
    if (!passes(run)) { if (tr) { tr.remove(); rows.delete(run.runId); } return; }
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.runId = run.runId;
      rows.set(run.runId, tr);
      const after = [...tbody.children].find((other) => Number(other.dataset.created) < run.createdMs);
      tbody.insertBefore(tr, after || null);
    }
    tr.dataset.created = run.createdMs;
    tr.dataset.status = run.status;
    tr.innerHTML = '<td><a href="/runs/' + encodeURIComponent(run.runId) + '">' + esc(run.runId) + '</a></td><td>' + esc(run.recipeId) +
      '</td><td class="status s-' + esc(run.status) + '">' + esc(run.status) + '</td><td><code>' + esc(JSON.stringify(run.state)) +
      '</code></td><td>' + esc(new Date(run.createdMs).toLocaleString()) + '</td><td>' + esc(duration(run.durationMs)) + '</td>';
  };
  const load = async () => {
    const q = new URLSearchParams();
    if (filters.elements.namedItem('status').value) q.set('status', filters.elements.namedItem('status').value);
    if (filters.elements.namedItem('recipe').value) q.set('recipe', filters.elements.namedItem('recipe').value);
    const { runs } = await api('GET', '/api/runs?' + q);
    tbody.innerHTML = '';
    rows.clear();
    for (const run of runs.reverse()) render(run);
  };
  filters.addEventListener('change', load);
  const live = new EventSource('/api/live');
  live.addEventListener('run', (e) => render(JSON.parse(e.data)));
  // 'hello' comes once the server listens for this page: loading then misses no change.
  live.addEventListener('hello', load);

  const form = $('#start-form'), select = $('#start-recipe'), fields = $('#start-fields');
  const fieldHtml = (name, schema, required) => {
    const label = esc(name) + (required ? ' *' : '') + (schema.description ? ' <span class="muted">(' + esc(schema.description) + ')</span>' : '');
    const def = schema.default === undefined ? '' : schema.default;
    const secret = (selected().secretInput || []).includes(name);
    if (schema.enum) return '<label>' + label + ' <select name="' + esc(name) + '" data-kind="enum">' + schema.enum.map((v) => '<option value="' + esc(JSON.stringify(v)) + '">' + esc(v) + '</option>').join('') + '</select></label>';
    if (schema.type === 'boolean') return '<label><input type="checkbox" name="' + esc(name) + '" data-kind="boolean"' + (def ? ' checked' : '') + '> ' + label + '</label>';
    if (schema.type === 'integer' || schema.type === 'number') return '<label>' + label + ' <input type="number" name="' + esc(name) + '" data-kind="number"' + (schema.type === 'integer' ? ' step="1"' : ' step="any"') + ' value="' + esc(def) + '"' + (required ? ' required' : '') + '></label>';
    if (schema.type === 'string') return '<label>' + label + ' <input type="' + (secret ? 'password' : 'text') + '" name="' + esc(name) + '" data-kind="string" value="' + esc(def) + '"' + (required ? ' required' : '') + '></label>';
    return '<label>' + label + ' (JSON) <textarea name="' + esc(name) + '" data-kind="json" rows="2">' + esc(def === '' ? '' : JSON.stringify(def)) + '</textarea></label>';
  };
  const selected = () => data.recipes.find((r) => r.id === select.value) || { inputSchema: {} };
  const showForm = () => {
    const recipe = selected(), schema = recipe.inputSchema || {}, required = new Set(schema.required || []);
    $('#start-description').textContent = recipe.description || '';
    fields.innerHTML = Object.entries(schema.properties || {}).map(([name, s]) => fieldHtml(name, s, required.has(name))).join('');
  };
  select.addEventListener('change', showForm);
  showForm();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = {};
    try {
      for (const el of fields.querySelectorAll('[name]')) {
        const kind = el.dataset.kind;
        if (kind === 'boolean') input[el.name] = el.checked;
        else if (el.value === '') continue;
        else if (kind === 'number') input[el.name] = Number(el.value);
        else if (kind === 'json' || kind === 'enum') input[el.name] = JSON.parse(el.value);
        else input[el.name] = el.value;
      }
    } catch (error) { $('#start-result').textContent = 'a JSON field does not parse: ' + error.message; return; }
    try {
      const { runId } = await api('POST', '/api/runs', { recipe: select.value, input });
      $('#start-result').innerHTML = 'started <a href="/runs/' + encodeURIComponent(runId) + '">' + esc(runId) + '</a>';
    } catch (error) { $('#start-result').textContent = error.message; }
  });
}

function runPage() {
  const id = encodeURIComponent(data.runId);
  const say = (text) => { const el = $('#action-result'); if (el) el.textContent = text; };
  const wire = () => {
    const cancel = $('#cancel-run'), resume = $('#resume-run'), send = $('#send-event');
    if (cancel) cancel.onclick = () => api('POST', '/api/runs/' + id + '/cancel').then(() => say('cancelled'), (e) => say(e.message));
    if (resume) resume.onclick = () => api('POST', '/api/runs/' + id + '/resume').then((r) => say('resumed: ' + r.status), (e) => say(e.message));
    if (send) send.onsubmit = (e) => {
      e.preventDefault();
      let payload = {};
      try { payload = send.elements.namedItem('payload').value.trim() ? JSON.parse(send.elements.namedItem('payload').value) : {}; } catch (err) { say('the payload is not JSON: ' + err.message); return; }
      api('POST', '/api/runs/' + id + '/events', { ...payload, type: send.elements.namedItem('type').value }).then(() => say('sent'), (err) => say(err.message));
    };
  };
  wire();
  // On a change of this run, fetch the page again and swap its content in (no reload).
  // One fetch at a time, and one more after it if a change came meanwhile: never an older page last.
  let busy = false, again = false;
  const refresh = async () => {
    if (busy) { again = true; return; }
    busy = true;
    try {
      do {
        again = false;
        const html = await (await fetch(location.href)).text();
        const next = new DOMParser().parseFromString(html, 'text/html').getElementById('main');
        if (next) { $('#main').innerHTML = next.innerHTML; wire(); }
      } while (again);
    } finally { busy = false; }
  };
  const live = new EventSource('/api/live?run=' + id);
  live.addEventListener('run', (e) => { if (JSON.parse(e.data).runId === data.runId) refresh(); });
  // The page was rendered before the server listened for it: a change in between shows after this.
  live.addEventListener('hello', refresh);
}

if (data.page === 'runs') runsPage();
if (data.page === 'run') runPage();
`;
