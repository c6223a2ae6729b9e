// Shared helpers for the parecon pages: the plan and token from the URL
// fragment, authenticated fetch, the live websocket with reconnection,
// number formatting and the gap bands. Plain browser JavaScript, no build.
'use strict';

const PC = (() => {
  // params reads #plan=ID&token=T from the fragment (never sent to a server log).
  function params() {
    const h = new URLSearchParams(location.hash.replace(/^#/, ''));
    return { plan: h.get('plan') || '', token: h.get('token') || '' };
  }

  class ApiError extends Error {
    constructor(status, err) {
      super(err && err.message ? err.message : 'HTTP ' + status);
      this.status = status;
      this.code = (err && err.code) || 'http_' + status;
      this.field = err && err.field;
    }
  }

  // api fetches path with the bearer token and returns the decoded JSON,
  // throwing ApiError with the server's {error:{code,message,field}}.
  async function api(path, { method = 'GET', body, token, raw = false } = {}) {
    const headers = { Accept: raw ? 'text/csv, */*' : 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    let payload;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, { method, headers, body: payload, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, { code: 'network', message: 'the server did not answer (' + e.message + ')' });
    }
    const text = await res.text();
    if (raw && res.ok) return text;
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { /* not JSON */ }
    if (!res.ok) {
      throw new ApiError(res.status, (data && data.error) || { message: text.trim() || res.statusText });
    }
    return data;
  }

  // live opens the plan's websocket and keeps it open: it reconnects with
  // backoff (the server sends a fresh snapshot on every connection), pings
  // to keep idle proxies from closing it, and matches replies to refs.
  function live({ plan, token, onFrame, onState, onGiveUp }) {
    let ws = null, attempt = 0, stopped = false, seq = 0, everOpened = false;
    function url() {
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      return proto + '//' + location.host + '/ws?plan=' + encodeURIComponent(plan) +
        '&token=' + encodeURIComponent(token);
    }
    function connect() {
      onState && onState('connecting');
      ws = new WebSocket(url());
      ws.onopen = () => { attempt = 0; everOpened = true; onState && onState('open'); };
      ws.onmessage = (ev) => {
        let f;
        try { f = JSON.parse(ev.data); } catch (_) { return; }
        onFrame(f);
      };
      ws.onclose = async () => {
        onState && onState('closed');
        if (stopped) return;
        // A connection refused before it ever opened may be a bad token:
        // let the page check over HTTP and stop retrying if so.
        if (!everOpened && attempt >= 1 && onGiveUp && await onGiveUp()) { stopped = true; return; }
        const delay = Math.min(15000, 400 * 2 ** attempt++);
        setTimeout(connect, delay);
      };
    }
    connect();
    setInterval(() => { if (ws && ws.readyState === 1) send({ type: 'ping' }); }, 25000);
    function send(frame) {
      if (!ws || ws.readyState !== 1) throw new Error('not connected to the server; retrying — try again in a moment');
      frame.ref = frame.ref || 'r' + (++seq) + '-' + Date.now().toString(36);
      ws.send(JSON.stringify(frame));
      return frame.ref;
    }
    return { send, isOpen: () => ws && ws.readyState === 1 };
  }

  // setConn shows the connection state in the header chip.
  function setConn(el, state) {
    el.dataset.state = state;
    el.textContent = { open: 'live', connecting: 'connecting…', closed: 'reconnecting…' }[state] || state;
  }

  const nf = new Intl.NumberFormat('en', { maximumSignificantDigits: 6 });
  function num(x) {
    if (x === null || x === undefined || x === '') return '—';
    if (typeof x !== 'number') x = Number(x);
    if (!isFinite(x)) return x > 0 ? '∞' : (x < 0 ? '−∞' : '—');
    if (x !== 0 && (Math.abs(x) >= 1e9 || Math.abs(x) < 1e-4)) return x.toExponential(3);
    return nf.format(x);
  }
  function pct(g) {
    if (g === null || g === undefined || !isFinite(g)) return '—';
    const p = g * 100;
    if (p === 0) return '0%';
    if (p < 0) return '−' + pct(-g);
    if (p < 0.01) return p.toExponential(1) + '%';
    return (p < 10 ? p.toFixed(2) : p.toFixed(1)) + '%';
  }

  // The gap bands of the facilitator and observer pages: 3 / 5 / 10 / 20 %.
  const BANDS = [
    { max: 0.03, label: 'under 3%' },
    { max: 0.05, label: '3–5%' },
    { max: 0.10, label: '5–10%' },
    { max: 0.20, label: '10–20%' },
    { max: Infinity, label: 'over 20%' },
  ];
  function band(g) {
    for (let i = 0; i < BANDS.length; i++) if (g <= BANDS[i].max) return { cls: 'gap-' + i, label: BANDS[i].label, level: i };
    return { cls: 'gap-4', label: BANDS[4].label, level: 4 };
  }
  // gapCell fills td with the gap as text, its band as text, and the band colour.
  function gapCell(td, g, showBand = true) {
    td.className = 'num gap';
    if (g === null || g === undefined || !isFinite(g)) { td.textContent = '—'; return td; }
    const b = band(g);
    td.classList.add(b.cls);
    td.textContent = pct(g);
    if (showBand) {
      const s = document.createElement('span');
      s.className = 'band';
      s.textContent = b.label;
      td.appendChild(s);
    }
    td.title = 'gap ' + pct(g) + ' (' + b.label + ')';
    return td;
  }
  function bandLegend(ul) {
    ul.replaceChildren(...BANDS.map((b, i) => h('li', { class: 'gap-' + i }, 'gap ' + b.label)));
  }

  // h builds an element: h('td', {class: 'num'}, 'text', child...).
  function h(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const k of kids) if (k !== null && k !== undefined && k !== false) e.append(k instanceof Node ? k : String(k));
    return e;
  }

  function goodName(g) {
    const n = g.name && g.name !== g.id ? g.name + ' (' + g.id + ')' : g.id;
    // a good a council added while the plan ran is marked new, with who proposed it
    return g.proposedBy ? n + ' — new, proposed by ' + g.proposedBy : n;
  }

  // addNewGoods adds round.opened's newGoods to a plan's catalogue (once each).
  function addNewGoods(plan, f) {
    if (!plan || !f.newGoods) return false;
    plan.goods = plan.goods || [];
    let added = false;
    for (const g of f.newGoods) {
      if (plan.goods.some((x) => x.id === g.id)) continue;
      const good = { id: g.id, name: g.name, unit: g.unit, kind: g.kind, proposedBy: g.proposedBy };
      if (g.rival === false) { good.rival = false; good.stock = 0; }
      plan.goods.push(good);
      added = true;
    }
    return added;
  }

  // when formats a deadline (RFC 3339 string, unix seconds or ms).
  function toDate(d) {
    if (d === null || d === undefined || d === '' || d === 0) return null;
    if (typeof d === 'number') return new Date(d > 1e12 ? d : d * 1000);
    const t = new Date(d);
    return isNaN(t) ? null : t;
  }
  function countdown(d) {
    const t = toDate(d);
    if (!t) return 'no deadline';
    const s = Math.round((t - Date.now()) / 1000);
    const at = t.toLocaleTimeString();
    if (s <= 0) return 'closing (deadline ' + at + ')';
    const m = Math.floor(s / 60);
    return 'closes at ' + at + ' (in ' + (m ? m + ' min ' : '') + (s % 60) + ' s)';
  }

  // announce puts a message in a live region (polite or assertive).
  function announce(el, msg, kind) {
    el.textContent = '';
    if (kind) el.className = 'notice ' + kind;
    // a fresh text node so screen readers announce a repeated message too
    setTimeout(() => { el.textContent = msg; }, 30);
  }

  // missing shows an explanation when the page was opened without its link.
  function requireParams(p, errEl) {
    if (p.plan && p.token) return true;
    errEl.className = 'notice err';
    errEl.textContent = 'This page needs its link: …#plan=ID&token=TOKEN. The links are shown once when a plan is created on the start page.';
    return false;
  }

  // download saves text as a file.
  function download(name, text, type = 'text/plain') {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = h('a', { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return { params, api, ApiError, live, setConn, num, pct, band, gapCell, bandLegend, BANDS, h, goodName, addNewGoods, toDate, countdown, announce, requireParams, download };
})();
