// Shared helpers for the parecon pages: the plan and token from the URL
// fragment, authenticated fetch, the live websocket with reconnection,
// number formatting and the gap bands. Plain browser JavaScript, no build.
'use strict';

const PC = (() => {
  // A page is for one plan and token: another link pasted into the same
  // tab (only the fragment changes) loads the page afresh for it.
  window.addEventListener('hashchange', () => location.reload());

  // params reads #plan=ID&token=T from the fragment (never sent to a server log).
  function params() {
    const h = new URLSearchParams(location.hash.replace(/^#/, ''));
    return { plan: h.get('plan') || '', token: h.get('token') || '' };
  }

  class ApiError extends Error {
    constructor(status, err) {
      super(err && err.message ? humanize(err.message) : 'HTTP ' + status);
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
      throw new ApiError(0, { code: 'network', message: I18N.t('the server did not answer ({why})', { why: e.message }) });
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
      if (!ws || ws.readyState !== 1) throw new Error(I18N.t('not connected to the server; retrying — try again in a moment'));
      frame.ref = frame.ref || 'r' + (++seq) + '-' + Date.now().toString(36);
      ws.send(JSON.stringify(frame));
      return frame.ref;
    }
    return { send, isOpen: () => ws && ws.readyState === 1 };
  }

  // setConn shows the connection state in the header chip.
  function setConn(el, state) {
    el.dataset.state = state;
    el.textContent = { open: I18N.t('live'), connecting: I18N.t('connecting…'), closed: I18N.t('reconnecting…') }[state] || state;
  }

  // Numbers for people: 4 significant figures, grouped in the page's
  // language; very large or small ones in powers of ten.
  let nf = new Intl.NumberFormat(I18N.lang(), { maximumSignificantDigits: 4 });
  function num(x) {
    if (x === null || x === undefined || x === '') return '—';
    if (typeof x !== 'number') x = Number(x);
    if (!isFinite(x)) return x > 0 ? '∞' : (x < 0 ? '−∞' : '—');
    if (x !== 0 && (Math.abs(x) >= 1e9 || Math.abs(x) < 1e-4)) return sci(x);
    return nf.format(x);
  }
  // sci writes x as 1.23 × 10⁻⁵.
  function sci(x) {
    const e = Math.floor(Math.log10(Math.abs(x)));
    const m = x / Math.pow(10, e);
    const sup = String(e).replace(/-/g, '⁻').replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[d]);
    return (Math.abs(m - 1) < 5e-4 ? (m < 0 ? '−' : '') : nf.format(m) + ' × ') + '10' + sup;
  }
  // qty rounds a quantity to 4 significant figures for a form field (a
  // plain number a person can read and edit: 244.4, not 244.36748940).
  function qty(x) {
    if (typeof x !== 'number' || !isFinite(x) || x === 0) return x;
    return Number(x.toPrecision(4));
  }
  function pct(g) {
    if (g === null || g === undefined || !isFinite(g)) return '—';
    const p = g * 100;
    if (p === 0) return '0%';
    if (p < 0) return '−' + pct(-g);
    if (p < 0.001) return sci(p) + '%';
    return new Intl.NumberFormat(I18N.lang(), { maximumSignificantDigits: 3 }).format(p) + '%';
  }
  // pctTicks labels the ticks of a log axis of gaps in one style: plain
  // percentages (100%, 1%, 0.01%) while every tick is at least 0.001%,
  // else all as powers of ten (10⁰%, 10⁻²%, 10⁻⁶%).
  function pctTicks(vs) {
    const plain = vs.every((v) => v === null || v * 100 >= 0.001);
    return vs.map((v) => {
      if (v === null || v === undefined) return '';
      const p = v * 100;
      if (plain) return new Intl.NumberFormat(I18N.lang(), { maximumSignificantDigits: 3 }).format(p) + '%';
      const e = Math.round(Math.log10(p));
      return '10' + String(e).replace(/-/g, '⁻').replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[d]) + '%';
    });
  }
  // humanize rewrites the raw numbers in a server message (1.00012e+06,
  // 244.36748940123) as num does, leaving ids (g000, councils[3]) alone.
  // Numbers of 5 or more digits are grouped and kept to 6 significant
  // figures (a budget check compares them).
  const nf6 = new Intl.NumberFormat(I18N.lang(), { maximumSignificantDigits: 6 });
  function humanize(msg) {
    return String(msg || '').replace(/(^|[^\w.\[\]-])(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?![\w\]])/gi, (m, pre, n) => {
      const x = Number(n);
      const digits = n.split(/e/i)[0].replace(/[-.]/g, '').replace(/^0+/, '').length;
      if (!isFinite(x) || (!/e/i.test(n) && digits < 5)) return m;
      return pre + (x !== 0 && (Math.abs(x) >= 1e9 || Math.abs(x) < 1e-4) ? sci(x) : nf6.format(x));
    });
  }

  // The gap bands follow the plan's tolerance: within it, up to 3×, 10×
  // and 30× it, and beyond. setTolerance sets them.
  let tolerance = 0.01;
  let BANDS = [];
  function setTolerance(tol) {
    if (typeof tol === 'number' && tol > 0 && tol < 1) tolerance = tol;
    const t = tolerance;
    BANDS = [
      { max: t, label: I18N.t('within tolerance (≤ {t})', { t: pct(t) }) },
      { max: 3 * t, label: pct(t) + '–' + pct(3 * t) },
      { max: 10 * t, label: pct(3 * t) + '–' + pct(10 * t) },
      { max: 30 * t, label: pct(10 * t) + '–' + pct(30 * t) },
      { max: Infinity, label: I18N.t('over {t}', { t: pct(30 * t) }) },
    ];
    return BANDS;
  }
  setTolerance(tolerance);
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
    ul.replaceChildren(...BANDS.map((b, i) => h('li', { class: 'gap-' + i }, I18N.t('gap') + ' ' + b.label)));
  }

  // money formats an amount in the plan's unit, the numéraire's: "1,234
  // hours of labour". plan is a snapshot's or GET /api/plans/{id}'s plan.
  function unitOf(plan) {
    const g = ((plan && plan.goods) || []).find((x) => x.id === (plan && plan.numeraire));
    if (!g) return { one: '', many: '' };
    const name = g.name || g.id;
    if (!g.unit) return { one: I18N.t('{name} (the numéraire)', { name }), many: I18N.t('{name} (the numéraire)', { name }) };
    const many = I18N.lang().startsWith('en') && !/s$/.test(g.unit) ? g.unit + 's' : g.unit;
    return { one: I18N.t('{unit} of {name}', { unit: g.unit, name }), many: I18N.t('{unit} of {name}', { unit: many, name }) };
  }
  function money(x, plan) {
    const u = unitOf(plan);
    return num(x) + (u.many ? ' ' + (Math.abs(x) === 1 ? u.one : u.many) : '');
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
    return g.proposedBy ? n + ' — ' + I18N.t('new, proposed by {who}', { who: g.proposedBy }) : n;
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
  // shortName is a good's name alone, for tight places (charts, cells).
  function shortName(g) { return (g && (g.name || g.id)) || ''; }

  // when formats a deadline (RFC 3339 string, unix seconds or ms).
  function toDate(d) {
    if (d === null || d === undefined || d === '' || d === 0) return null;
    if (typeof d === 'number') return new Date(d > 1e12 ? d : d * 1000);
    const t = new Date(d);
    return isNaN(t) ? null : t;
  }
  function countdown(d) {
    const t = toDate(d);
    if (!t) return I18N.t('no deadline: the round closes when every human council has submitted, or when the facilitator closes it');
    const s = Math.round((t - Date.now()) / 1000);
    const at = t.toLocaleTimeString(I18N.lang());
    if (s <= 0) return I18N.t('closing (deadline {at})', { at });
    const m = Math.floor(s / 60);
    return I18N.t('closes at {at} (in {left})', { at, left: (m ? m + ' min ' : '') + (s % 60) + ' s' });
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
    errEl.textContent = I18N.t('This page needs its link: …#plan=ID&token=TOKEN. The links are shown once when a plan is created on the start page.');
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

  // withheldGoods counts the goods whose totals a round's view withholds
  // (its withheld list names each side, "bread.supply", and the users of
  // a commons good, "wiki.users").
  function withheldGoods(r) {
    return (r && r.withheld || []).filter(s => s.endsWith('.supply')).length;
  }

  const t = I18N.t;
  return {
    params, api, ApiError, live, setConn, num, qty, pct, pctTicks, sci, humanize, band, gapCell, bandLegend, setTolerance,
    bands: () => BANDS, tolerance: () => tolerance, h, goodName, shortName, unitOf, money, toDate, countdown, announce, requireParams, download, t, withheldGoods, addNewGoods,
  };
})();
