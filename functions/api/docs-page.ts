/**
 * A self-contained API reference (no CDN: it must work offline and inside intranets). It reads the
 * OpenAPI document and lists every operation with its parameters, body schema and responses.
 */
export const docsPageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Breach Response API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header{background:#102a43;color:#fff;padding:1rem 2rem}
main{max-width:70rem;margin:0 auto;padding:1rem 2rem}
details{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:.5rem 0;padding:.5rem 1rem}
summary{cursor:pointer;font-weight:600}
.m{display:inline-block;min-width:4.5rem;font-family:monospace;text-transform:uppercase}
.get{color:#0969da}.post{color:#1a7f37}.put{color:#9a6700}.delete{color:#cf222e}.patch{color:#8250df}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;font-size:13px}
h2{margin-top:2rem}
</style>
</head>
<body>
<header><h1>Breach Response API</h1><p>OpenAPI document: <a style="color:#9fd3ff" href="/v1/openapi.json">/v1/openapi.json</a>. Authenticate with <code>Authorization: Bearer &lt;token&gt;</code> (locally: <code>npm run token</code>).</p></header>
<main id="ops"><p>Loading…</p></main>
<script>
fetch('/v1/openapi.json').then(r => r.json()).then(doc => {
  const main = document.getElementById('ops');
  main.textContent = '';
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'Other';
      (byTag[tag] = byTag[tag] || []).push({ path, method, op });
    }
  }
  for (const tag of Object.keys(byTag).sort()) {
    const h = document.createElement('h2'); h.textContent = tag; main.appendChild(h);
    for (const { path, method, op } of byTag[tag]) {
      const d = document.createElement('details');
      const s = document.createElement('summary');
      const m = document.createElement('span'); m.className = 'm ' + method; m.textContent = method;
      s.append(m, ' ' + path + ' — ' + (op.summary || ''));
      const pre = document.createElement('pre');
      pre.textContent = JSON.stringify({ parameters: op.parameters, requestBody: op.requestBody, responses: op.responses }, null, 2);
      d.append(s, pre); main.appendChild(d);
    }
  }
  const schemas = document.createElement('details');
  schemas.innerHTML = '<summary>Schemas</summary>';
  const pre = document.createElement('pre'); pre.textContent = JSON.stringify((doc.components || {}).schemas || {}, null, 2);
  schemas.appendChild(pre); main.appendChild(schemas);
}).catch(e => { document.getElementById('ops').textContent = 'Could not load the OpenAPI document: ' + e; });
</script>
</body>
</html>`;
