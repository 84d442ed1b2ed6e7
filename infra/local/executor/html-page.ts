/** A dependency-free page over the GET endpoints: runs, their step history, and the clock. */
export const runsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local executor — runs</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5rem;color:#222}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
tr.run{cursor:pointer}tr.run:hover{background:#f5f5f5}.completed{color:#17692b}.failed{color:#b00020}
.cancelled{color:#777}.waiting{color:#7a5b00}.running,.queued{color:#0b4f9c}pre{margin:0;white-space:pre-wrap;font-size:12px}
</style></head><body>
<h1>Local executor</h1>
<p>Clock: <span id="clock"></span> · <a href="/v1/runs">/v1/runs</a> · <a href="/v1/events">/v1/events</a> · <a href="/v1/functions">/v1/functions</a></p>
<form id="filter">Function <input name="functionId"> Status <select name="status"><option></option>
<option>queued</option><option>running</option><option>waiting</option><option>completed</option><option>failed</option><option>cancelled</option></select>
Event id <input name="eventId"> <button>Filter</button></form>
<table><thead><tr><th>Run</th><th>Function</th><th>Status</th><th>Event</th><th>Created</th><th>Ended</th></tr></thead><tbody id="runs"></tbody></table>
<h2 id="title"></h2><table id="history"></table>
<script>
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
async function load() {
  const q = new URLSearchParams([...new FormData(document.getElementById('filter'))].filter(([, v]) => v));
  const { runs } = await (await fetch('/v1/runs?' + q)).json();
  document.getElementById('runs').innerHTML = runs.map((r) => '<tr class="run" data-id="' + esc(r.runId) + '"><td>' + esc(r.runId) +
    '</td><td>' + esc(r.functionId) + '</td><td class="' + esc(r.status) + '">' + esc(r.status) + '</td><td>' + esc(r.event.name) +
    '</td><td>' + esc(r.createdAt) + '</td><td>' + esc(r.endedAt) + '</td></tr>').join('');
  const clock = await (await fetch('/dev/clock')).json();
  document.getElementById('clock').textContent = clock.now + ' (' + clock.kind + ')';
}
async function show(id) {
  const run = await (await fetch('/v1/runs/' + encodeURIComponent(id))).json();
  document.getElementById('title').textContent = run.functionId + ' · ' + run.runId + ' · ' + run.status;
  document.getElementById('history').innerHTML = '<tr><th>At</th><th>Type</th><th>Step</th><th>Attempt</th><th>ms</th><th>Detail</th></tr>' +
    run.history.map((h) => '<tr><td>' + esc(h.at) + '</td><td>' + esc(h.type) + '</td><td>' + esc(h.name ?? h.stepId) + '</td><td>' +
    esc(h.attempt) + '</td><td>' + esc(h.durationMs) + '</td><td><pre>' + esc([h.detail, h.output !== undefined ? JSON.stringify(h.output) : '',
    h.error ? h.error.name + ': ' + h.error.message : ''].filter(Boolean).join('\\n')) + '</pre></td></tr>').join('');
}
document.getElementById('filter').addEventListener('submit', (e) => { e.preventDefault(); load(); });
document.getElementById('runs').addEventListener('click', (e) => { const tr = e.target.closest('tr'); if (tr) show(tr.dataset.id); });
load(); setInterval(load, 3000);
</script></body></html>`;
