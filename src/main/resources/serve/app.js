// tcpautopsy serve: the upload page, the list of analyses, the analysis page and the login page.
// Plain DOM, no library; every text from the server goes through textContent, never innerHTML.
'use strict';

const CLASSES = ['REFUSED', 'HANDSHAKE_TIMEOUT', 'IDLE_TIMEOUT', 'MIDDLEBOX_RST', 'MIDDLEBOX_DROP',
  'ZERO_WINDOW_STALL', 'RST_AFTER_CLOSE', 'RST_UNREAD_DATA', 'RST_ABORT', 'FIN_ORDERLY', 'OPEN_AT_END',
  'UNCLASSIFIED'];
const NORMAL = new Set(['FIN_ORDERLY', 'OPEN_AT_END']);
const LINKS = [['report', 'report'], ['csv', 'CSV'], ['json', 'JSON'], ['markdown', 'Markdown'],
  ['bundle', 'zip bundle'], ['capture', 'capture']];

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function size(bytes) {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return (u === 0 ? v : v.toFixed(1)) + ' ' + units[u];
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

async function api(path, options) {
  const r = await fetch(path, Object.assign({headers: {'Accept': 'application/json'}}, options || {}));
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) throw new Error(body && body.error ? body.error : r.status + ' ' + r.statusText);
  return body;
}

function stateBadge(a) {
  const text = a.state === 'running' && a.progress && a.progress.percent >= 0
    ? 'running ' + a.progress.percent + '%' : a.state;
  return el('span', {class: 'state state-' + a.state}, text);
}

function endings(a) {
  if (!a.results) return '';
  const r = a.results;
  const parts = Object.entries(r.byClass).sort((x, y) => y[1] - x[1])
    .map(([k, v]) => el('span', {class: NORMAL.has(k) ? 'cls' : 'cls abnormal'}, k + ' ' + v));
  // a pair's headline says what the two points saw differently
  const box = el('div', {class: 'endings'}, el('div', {}, r.summary || (r.flows + ' connections, ' + r.abnormal + ' abnormal')));
  const list = el('div', {class: 'classes'});
  parts.forEach(p => list.append(p, ' '));
  box.append(list);
  return box;
}

function links(a) {
  const p = el('span', {class: 'links'});
  for (const [key, label] of LINKS) {
    if (a.links[key]) p.append(el('a', {class: key, href: a.links[key]}, label), ' ');
  }
  return p;
}

async function remove(a, after) {
  if (!confirm('Delete the analysis of ' + (a.fileName || a.id) + ', its reports and the capture?')) return;
  try {
    await api(a.links.status, {method: 'DELETE'});
    after();
  } catch (e) {
    alert(e.message);
  }
}

// ---- the upload page ----------------------------------------------------------------------

function indexPage() {
  const input = document.getElementById('files');
  const drop = document.getElementById('drop');
  const chosen = document.getElementById('chosen');
  const send = document.getElementById('send');
  const bar = document.getElementById('upload-progress');
  const message = document.getElementById('upload-message');
  const select = document.getElementById('class');
  const q = document.getElementById('q');
  let files = [];
  let timer = null;

  CLASSES.forEach(c => select.append(el('option', {value: c}, c)));

  function choose(list) {
    files = Array.from(list);
    chosen.replaceChildren(...files.map(f => el('li', {}, f.name + ' (' + size(f.size) + ')')));
    send.disabled = files.length === 0;
  }
  input.addEventListener('change', () => choose(input.files));
  ['dragenter', 'dragover'].forEach(t => drop.addEventListener(t, e => {
    e.preventDefault();
    drop.classList.add('over');
  }));
  ['dragleave', 'drop'].forEach(t => drop.addEventListener(t, () => drop.classList.remove('over')));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    choose(e.dataTransfer.files);
  });

  const pairA = document.getElementById('pair-a');
  const pairB = document.getElementById('pair-b');
  const sendPair = document.getElementById('send-pair');
  const pairReady = () => { sendPair.disabled = pairA.files.length === 0 || pairB.files.length === 0; };
  pairA.addEventListener('change', pairReady);
  pairB.addEventListener('change', pairReady);
  sendPair.addEventListener('click', () => {
    const form = new FormData();
    Array.from(pairA.files).forEach(f => form.append('a', f, f.name));
    Array.from(pairB.files).forEach(f => form.append('b', f, f.name));
    upload(form, 'a pair of ' + (pairA.files.length + pairB.files.length) + ' files', () => {
      pairA.value = '';
      pairB.value = '';
      pairReady();
    });
  });

  document.getElementById('upload-form').addEventListener('submit', e => {
    e.preventDefault();
    if (files.length === 0) return;
    const form = new FormData();
    files.forEach(f => form.append('files', f, f.name));
    upload(form, files.length + (files.length === 1 ? ' file' : ' files'), () => {
      choose([]);
      input.value = '';
    });
  });

  // sends an upload with the ticket and note, shows its progress, then each entry of the answer
  function upload(form, what, done) {
    form.append('ticket', document.getElementById('ticket').value);
    form.append('note', document.getElementById('note').value);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/analyses');
    xhr.setRequestHeader('Accept', 'application/json');
    bar.hidden = false;
    bar.value = 0;
    send.disabled = true;
    sendPair.disabled = true;
    message.replaceChildren(el('li', {}, 'Uploading ' + what + '…'));
    xhr.upload.addEventListener('progress', ev => {
      if (ev.lengthComputable) bar.value = Math.round(ev.loaded * 100 / ev.total);
    });
    xhr.addEventListener('load', () => {
      bar.hidden = true;
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      const lines = [];
      if (body && body.uploads) {
        for (const u of body.uploads) {
          lines.push(u.error ? el('li', {class: 'error'}, u.error)
            : el('li', {}, u.file + ': ' + (u.duplicate ? 'already uploaded, ' : '') + u.state + ' ',
              el('a', {href: u.page}, 'permalink')));
        }
      } else {
        lines.push(el('li', {class: 'error'}, body && body.error ? body.error : 'upload failed: ' + xhr.status));
      }
      if (body && body.error && body.uploads) lines.unshift(el('li', {class: 'error'}, body.error));
      message.replaceChildren(...lines);
      done();
      send.disabled = files.length === 0;
      pairReady();
      refresh();
    });
    xhr.addEventListener('error', () => {
      bar.hidden = true;
      send.disabled = files.length === 0;
      pairReady();
      message.replaceChildren(el('li', {class: 'error'}, 'the upload was cut off (too large, or the service stopped)'));
    });
    xhr.send(form);
  }

  async function refresh() {
    clearTimeout(timer);
    const params = new URLSearchParams();
    if (q.value.trim()) params.set('q', q.value.trim());
    if (select.value) params.set('class', select.value);
    let body;
    try {
      body = await api('/api/analyses?' + params.toString());
    } catch (e) {
      message.replaceChildren(el('li', {class: 'error'}, e.message));
      timer = setTimeout(refresh, 5000);
      return;
    }
    const rows = body.analyses.map(a => el('tr', {'data-id': a.id, 'data-state': a.state},
      el('td', {}, el('a', {href: a.links.page, class: 'name'}, a.fileName || a.id),
        el('div', {class: 'sub'}, size(a.bytes) + ', ' + a.kind + ', ' + when(a.created))),
      el('td', {}, a.ticket ? el('div', {class: 'ticket'}, a.ticket) : '', a.note ? el('div', {class: 'sub'}, a.note) : ''),
      el('td', {class: 'status'}, stateBadge(a),
        a.reason ? el('div', {class: 'reason'}, a.reason) : '', a.warning ? el('div', {class: 'warning'}, a.warning) : ''),
      el('td', {}, endings(a)),
      el('td', {}, links(a)),
      el('td', {}, (() => {
        const b = el('button', {type: 'button', class: 'danger delete'}, 'delete');
        b.addEventListener('click', () => remove(a, refresh));
        return b;
      })())));
    document.querySelector('#analyses tbody').replaceChildren(...rows);
    document.getElementById('empty').hidden = rows.length > 0;
    const busy = body.analyses.some(a => a.state === 'queued' || a.state === 'running');
    timer = setTimeout(refresh, busy ? 1500 : 10000);
  }
  let typing = null;
  q.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(refresh, 250); });
  select.addEventListener('change', refresh);
  document.getElementById('search-form').addEventListener('submit', e => { e.preventDefault(); refresh(); });
  refresh();
}

// ---- one analysis -------------------------------------------------------------------------

function analysisPage() {
  const id = location.pathname.split('/')[2];
  async function refresh() {
    let a;
    try {
      a = await api('/api/analyses/' + encodeURIComponent(id));
    } catch (e) {
      document.getElementById('reason').textContent = e.message;
      return;
    }
    document.title = 'tcpautopsy: ' + (a.fileName || a.id);
    document.getElementById('title').textContent = a.fileName || a.id;
    document.getElementById('state').replaceWith(Object.assign(stateBadge(a), {id: 'state'}));
    document.getElementById('reason').textContent = a.reason || a.warning || '';
    const bar = document.getElementById('progress');
    bar.hidden = !(a.progress && a.progress.percent >= 0);
    if (a.progress) bar.value = Math.max(0, a.progress.percent);
    const facts = [['Size', size(a.bytes) + ' (' + a.kind + ')'], ['SHA-256', a.sha256], ['Uploaded', when(a.created)],
      ['Finished', when(a.finished)], ['Ticket', a.ticket || ''], ['Note', a.note || '']];
    if (a.results) facts.splice(1, 0, ['Packets', a.results.packets], ['Connections', a.results.flows + ' (' + a.results.abnormal + ' abnormal)']);
    if (a.results && a.results.summary) facts.splice(1, 0, ['Between the points', a.results.summary]);
    document.getElementById('facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    document.getElementById('links').replaceChildren(links(a));
    document.getElementById('points').hidden = !a.points;
    if (a.points) {
      document.getElementById('point-files').replaceChildren(...['a', 'b'].flatMap(side => a.points[side].map(f =>
        el('li', {}, 'point ' + side.toUpperCase() + ': ', el('a', {class: 'capture', href: f.capture}, f.file),
          ' (' + size(f.bytes) + ', ' + f.kind + ')'))));
    }
    const classes = a.results ? Object.entries(a.results.byClass).sort((x, y) => y[1] - x[1]) : [];
    document.querySelector('#classes tbody').replaceChildren(...classes.map(([k, v]) =>
      el('tr', {}, el('td', {class: NORMAL.has(k) ? '' : 'abnormal'}, k), el('td', {}, v))));
    document.getElementById('uploads').replaceChildren(...a.uploads.map(u => el('li', {},
      u.fileName + ', ' + when(u.uploaded) + (u.ticket ? ', ticket ' + u.ticket : '') + (u.note ? ': ' + u.note : ''))));
    const del = document.getElementById('delete');
    del.onclick = () => remove(a, () => { location.href = '/'; });
    if (a.state === 'queued' || a.state === 'running') setTimeout(refresh, 1500);
  }
  refresh();
}

// ---- login --------------------------------------------------------------------------------

function loginPage() {
  const params = new URLSearchParams(location.search);
  document.getElementById('next').value = params.get('next') || '/';
  document.getElementById('failed').hidden = !params.has('failed');
}

const page = document.body.dataset.page;
if (page === 'index') indexPage();
else if (page === 'analysis') analysisPage();
else if (page === 'login') loginPage();
