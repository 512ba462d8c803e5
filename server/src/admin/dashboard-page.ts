/**
 * The /admin page: one self-contained HTML document (no build step, nothing secret in it). It
 * takes the admin token from the page's `#token=` fragment or a form (kept in sessionStorage, never
 * sent but as the Authorization header), polls /api/admin/rooms and /api/admin/process once a
 * second, and draws the charts as SVG polylines. docs/admin.md describes it.
 */
export const dashboardPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tickforge admin</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #0f1419; color: #d8dee9; }
  header { padding: 10px 16px; background: #1b222c; display: flex; gap: 16px; align-items: center; }
  h1 { font-size: 16px; margin: 0; }
  h2 { font-size: 14px; margin: 16px 0 6px; color: #8fbcbb; }
  main { padding: 0 16px 16px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #2b3440; font-variant-numeric: tabular-nums; }
  th { color: #8899aa; font-weight: normal; }
  tr.room { cursor: pointer; }
  tr.room:hover, tr.selected { background: #1f2a36; }
  button { background: #2e3a48; color: #d8dee9; border: 1px solid #44556a; border-radius: 3px; padding: 2px 8px; cursor: pointer; }
  button.danger { border-color: #a04040; color: #f0a0a0; }
  .charts { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }
  .chart { background: #161d25; padding: 6px 8px; border-radius: 4px; }
  .chart .v { font-size: 18px; color: #eceff4; }
  .chart svg { width: 100%; height: 60px; }
  #error { color: #f08080; }
  .muted { color: #6b7a8c; }
</style>
</head>
<body>
<header>
  <h1>Tickforge admin</h1>
  <form id="login"><input id="token" type="password" placeholder="ADMIN_TOKEN" size="30"> <button>Use token</button></form>
  <span id="error"></span>
</header>
<main>
  <div class="charts" id="charts"></div>
  <h2>Rooms</h2>
  <table><thead><tr><th>room</th><th>mode</th><th>players</th><th>tick</th><th>rate held</th><th>tick p99</th><th>bytes/s</th><th>recording</th><th></th></tr></thead>
  <tbody id="rooms"></tbody></table>
  <div id="detail"></div>
</main>
<script type="module">
const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromHash) sessionStorage.setItem('tickforge-admin-token', fromHash);
let token = sessionStorage.getItem('tickforge-admin-token') || '';
let selected = null;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
$('login').onsubmit = (e) => { e.preventDefault(); token = $('token').value; sessionStorage.setItem('tickforge-admin-token', token); refresh(); };

async function api(method, path) {
  const res = await fetch(path, { method, headers: { authorization: 'Bearer ' + token } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(res.status + ' ' + (body.code || '') + ': ' + (body.message || res.statusText));
  return body;
}

const CHARTS = [
  ['clients', 'clients', (v) => v],
  ['cpuPercent', 'CPU (% of a core)', (v) => v.toFixed(1)],
  ['rssBytes', 'RSS (MB)', (v) => (v / 1048576).toFixed(1)],
  ['bytesOutPerSecond', 'bytes out/s', (v) => Math.round(v).toLocaleString()],
];
function drawCharts(samples) {
  $('charts').innerHTML = CHARTS.map(([key, label, fmt]) => {
    const vs = samples.map((s) => s[key]);
    const max = Math.max(1, ...vs);
    const pts = vs.map((v, i) => (i * 300 / Math.max(1, vs.length - 1)).toFixed(1) + ',' + (58 - (v / max) * 56).toFixed(1)).join(' ');
    const now = vs.length ? fmt(vs[vs.length - 1]) : '–';
    return '<div class="chart" data-chart="' + key + '"><div class="muted">' + label + '</div><div class="v">' + now + '</div>' +
      '<svg viewBox="0 0 300 60" preserveAspectRatio="none"><polyline fill="none" stroke="#88c0d0" stroke-width="1.5" points="' + pts + '"/></svg></div>';
  }).join('');
}

function drawRooms(rooms) {
  $('rooms').innerHTML = rooms.map((r) => {
    const rec = r.recording ? (r.recording.ended ? 'ended' : 'on, ' + Math.round(r.recording.bytes / 1024) + ' KiB') : 'off';
    const actions = r.local
      ? '<button data-act="record" data-room="' + esc(r.id) + '">' + (r.recording && !r.recording.ended ? 'stop rec' : 'record') + '</button> ' +
        '<button class="danger" data-act="dispose" data-room="' + esc(r.id) + '">dispose</button>'
      : '<span class="muted">other node</span>';
    return '<tr class="room' + (r.id === selected ? ' selected' : '') + '" data-room-row="' + esc(r.id) + '"><td>' + esc(r.id) + '</td><td>' + esc(r.mode) + '</td><td>' + r.players + '/' + r.maxPlayers +
      '</td><td>' + r.tick + '</td><td>' + (r.local ? r.heldTickRate + ' / ' + r.tickRate + ' Hz' : '–') + '</td><td>' + (r.local ? r.tickP99Ms.toFixed(2) + ' ms' : '–') +
      '</td><td>' + (r.local ? r.bytesPerSecond.toLocaleString() : '–') + '</td><td>' + rec + '</td><td>' + actions + '</td></tr>';
  }).join('') || '<tr><td colspan="9" class="muted">no rooms</td></tr>';
}

async function drawDetail() {
  if (!selected) { $('detail').innerHTML = ''; return; }
  try {
    const d = await api('GET', '/api/admin/rooms/' + encodeURIComponent(selected));
    $('detail').innerHTML = '<h2>Players of ' + esc(d.id) + ' (' + esc(d.mode) + ')</h2><table><thead><tr><th>id</th><th>name</th><th>phase</th><th>ping</th><th>bytes in</th><th>bytes out</th><th>ack</th><th></th></tr></thead><tbody>' +
      d.playerList.map((p) => '<tr data-player="' + p.id + '"><td>' + p.id + '</td><td>' + esc(p.name) + '</td><td>' + p.phase + '</td><td>' + (p.pingMs === null ? '–' : p.pingMs + ' ms') +
        '</td><td>' + p.bytesIn.toLocaleString() + '</td><td>' + (p.bytesOut === null ? '–' : p.bytesOut.toLocaleString()) + '</td><td>' + p.ack +
        '</td><td><button class="danger" data-act="kick" data-room="' + esc(d.id) + '" data-player="' + p.id + '">kick</button></td></tr>').join('') + '</tbody></table>';
  } catch (e) { selected = null; $('detail').innerHTML = ''; }
}

document.addEventListener('click', async (e) => {
  const b = e.target.closest('button[data-act]');
  try {
    if (b) {
      const room = encodeURIComponent(b.dataset.room);
      if (b.dataset.act === 'dispose') await api('DELETE', '/api/admin/rooms/' + room);
      if (b.dataset.act === 'kick') await api('POST', '/api/admin/rooms/' + room + '/players/' + b.dataset.player + '/kick');
      if (b.dataset.act === 'record') await api(b.textContent === 'record' ? 'POST' : 'DELETE', '/api/admin/rooms/' + room + '/recording');
      return refresh();
    }
    const row = e.target.closest('tr[data-room-row]');
    if (row) { selected = row.dataset.roomRow; refresh(); }
  } catch (err) { $('error').textContent = err.message; }
});

async function refresh() {
  if (!token) { $('error').textContent = 'enter the admin token'; return; }
  try {
    const [{ rooms }, proc] = await Promise.all([api('GET', '/api/admin/rooms'), api('GET', '/api/admin/process')]);
    $('error').textContent = '';
    drawRooms(rooms);
    drawCharts(proc.samples);
    await drawDetail();
    document.body.dataset.ready = 'true';
  } catch (e) { $('error').textContent = e.message; }
}
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
