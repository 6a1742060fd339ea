/**
 * A self-contained page (no CDN, works offline) that fetches ./openapi.json and lists every
 * route with its parameters, request body and response schemas.
 */
export const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Admin API</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
  details { border: 1px solid #ddd; border-radius: 6px; margin: .5rem 0; padding: .4rem .8rem; }
  summary { cursor: pointer; }
  .m { display: inline-block; width: 3.5rem; font-weight: 700; text-transform: uppercase; }
  .get { color: #0a6; } .post { color: #06c; }
  code, pre { font-family: ui-monospace, monospace; }
  pre { background: #f6f6f6; padding: .6rem; overflow: auto; border-radius: 4px; }
  h4 { margin: .8rem 0 .2rem; }
</style>
</head>
<body>
<h1 id="title">Admin API</h1>
<p id="description"></p>
<p>Raw document: <a href="openapi.json">openapi.json</a></p>
<div id="routes">Loading…</div>
<script>
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const pre = (v) => '<pre>' + esc(JSON.stringify(v, null, 2)) + '</pre>';
fetch('openapi.json').then((r) => r.json()).then((doc) => {
  document.getElementById('title').textContent = doc.info.title;
  document.getElementById('description').textContent = doc.info.description;
  let html = '';
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      html += '<details><summary><span class="m ' + method + '">' + method + '</span> <code>' + esc(path) + '</code> — ' + esc(op.summary) + (op.security && !op.security.length ? ' (no key)' : '') + '</summary>';
      if (op.parameters) html += '<h4>Parameters</h4><ul>' + op.parameters.map((p) => '<li><code>' + esc(p.name) + '</code> (' + p.in + ') ' + esc(p.description || '') + '</li>').join('') + '</ul>';
      if (op.requestBody) for (const [type, c] of Object.entries(op.requestBody.content)) html += '<h4>Body: ' + esc(type) + '</h4>' + pre(c.schema);
      for (const [status, r] of Object.entries(op.responses)) {
        const json = r.content && r.content['application/json'];
        html += '<h4>' + esc(status) + ' ' + esc(r.description) + '</h4>' + (json && json.schema ? pre(json.schema) : '');
      }
      html += '</details>';
    }
  }
  document.getElementById('routes').innerHTML = html;
}).catch((e) => { document.getElementById('routes').textContent = 'Could not load openapi.json: ' + e; });
</script>
</body>
</html>
`;
