// The facilitator page: close the round, set a deadline, who has submitted,
// the goods' supply, demand and gap, every proposal of a round, the audit log.
'use strict';
(() => {
  const { api, h, num, t } = PC;
  const P = PC.params();
  const $ = (id) => document.getElementById(id);
  const errors = $('errors');
  if (!PC.requireParams(P, errors)) { $('conn').textContent = t('no link'); return; }
  const base = '/api/plans/' + encodeURIComponent(P.plan);
  const commons = PC.commonsPanel($('commons'), base, P.token);

  // props holds the proposals of one round as fetched so far and audit the
  // events: each later fetch asks only for what came after the last id
  // (proposalId, the rejected attempts' seq, the events' seq) it has.
  const st = {
    plan: null, round: null, submitted: new Set(), standins: new Set(), lastStandIns: { round: null, ids: [] }, followRound: true, propsRound: null, lastClosed: null,
    props: { round: null, rows: new Map(), after: 0, afterRejected: 0 },
    audit: { events: [], after: 0 },
  };
  PC.bandLegend($('bands'));

  function fail(e) { PC.announce(errors, t('Could not load the plan: {why}', { why: e.message }), 'err'); }

  async function loadPlan() {
    try {
      st.plan = await api(base, { token: P.token });
    } catch (e) { fail(e); return; }
    // GET /api/plans/{id}: round is the current round's number, lastRound
    // the last closed one's (absent before the first close) with its
    // supply, demand and gaps beside it.
    const p = st.plan;
    if (!st.round || st.round.number !== p.round) st.round = { ...(st.round || {}), number: p.round, deadline: p.deadline };
    st.submitted = new Set(p.submitted);
    st.standins = new Set(p.standins || []);
    PC.setTolerance(p.tolerance);
    PC.bandLegend($('bands'));
    document.title = 'parecon — ' + t('facilitator') + ' — ' + (p.name || p.id);
    $('plan-line').textContent = t('Plan {name} ({id})', { name: p.name || '', id: p.id || P.plan }) + ' · ' + t('tolerance {t}: the plan converges when every gap is at most this', { t: PC.pct(p.tolerance) }) +
      (p.numeraire ? ' · ' + t('prices in {unit}', { unit: PC.unitOf(p).many || p.numeraire }) : '');
    const dl = p.roundDeadlineSeconds > 0;
    $('deadline-rule').textContent = dl
      ? t('At a deadline, a human council that has not submitted is answered by its model (a stand-in, marked below and in the audit log); simulated councils always submit.')
      : t('There is no deadline: a round closes when every human council has submitted, or when you close it.');
    const inp = $('deadline-seconds');
    if (document.activeElement !== inp) inp.value = p.roundDeadlineSeconds;
    renderStatus();
    renderCouncils();
    renderGoods();
    renderPicker();
  }

  function renderStatus() {
    const status = (st.plan && st.plan.status) || '?';
    const rn = st.round ? st.round.number : null;
    $('round-no').textContent = rn ?? '—';
    for (const e of document.querySelectorAll('.round-ref')) e.textContent = rn ?? '—';
    const chip = $('plan-status');
    chip.textContent = status === 'open' ? t('round open') : t('plan ' + status);
    chip.className = 'chip ' + (status === 'converged' ? 'yes' : 'no');
    $('close-round').disabled = status !== 'open';
    $('deadline').textContent = st.round && status === 'open' ? PC.countdown(st.round.deadline) : '';
  }

  function renderCouncils() {
    const cs = (st.plan && st.plan.councils) || [];
    let n = 0;
    const last = st.lastStandIns;
    $('councils').replaceChildren(...cs.map((c) => {
      const done = st.submitted.has(c.id);
      const standin = done && st.standins.has(c.id);
      if (done && !standin) n++;
      const chip = standin
        ? h('span', { class: 'chip standin' }, t('stand-in: its model answered'))
        : h('span', { class: 'chip ' + (done ? 'yes' : 'no') }, done ? t('✓ submitted') : t('… not yet'));
      const before = !done && last.round !== null && last.ids.includes(c.id)
        ? h('span', { class: 'muted small' }, ' ' + t('(a stand-in answered for it in round {n})', { n: last.round })) : null;
      return h('li', { class: standin ? 'standin' : null },
        h('strong', null, c.id), ' ',
        h('span', { class: 'muted' }, (c.type === 'worker' ? t('workplace') : t('neighbourhood')) + ', ' + (c.human ? t('people') : t('simulated'))), ' ',
        chip, before);
    }));
    const si = [...st.standins].filter((id) => st.submitted.has(id)).length;
    $('submitted-count').textContent = t('{n} of {m}', { n, m: cs.length }) + (si ? ' · ' + t('{k} stand-ins', { k: si }) : '');
  }

  function renderGoods() {
    const p = st.plan;
    if (!p) return;
    const closed = p.lastRound !== undefined;
    const supply = p.supply || {}, demand = p.demand || {}, gaps = p.gaps || {};
    const prices = (st.round && st.round.prices) || p.prices;
    $('goods-round').textContent = closed ? p.lastRound : t('— (no round closed yet)');
    $('goods').tBodies[0].replaceChildren(...(p.goods || []).map((g) => h('tr', { 'data-good': g.id },
      h('th', { scope: 'row' }, PC.goodName(g), g.unit ? h('span', { class: 'muted hide-narrow' }, ' (' + g.unit + ')') : null),
      h('td', { class: 'hide-narrow' }, g.kind || ''),
      h('td', { class: 'num' }, num(prices[g.id])),
      h('td', { class: 'num' }, closed ? (supply[g.id] === null ? t('withheld') : num(supply[g.id])) : '—'),
      h('td', { class: 'num' }, closed ? (demand[g.id] === null ? t('withheld') : num(demand[g.id])) : '—'),
      PC.gapCell(h('td'), closed ? gaps[g.id] : undefined))));
  }

  function renderPicker() {
    const sel = $('props-pick');
    const rn = st.round ? st.round.number : 0;
    if (st.followRound) st.propsRound = rn;
    const opts = [];
    for (let i = rn; i >= 0; i--) opts.push(h('option', { value: i }, t('round {n}', { n: i }) + (i === rn ? ' ' + t('(current)') : '')));
    sel.replaceChildren(...opts);
    sel.value = String(st.propsRound);
  }

  function summary(pr) {
    const parts = [];
    for (const [sec, m] of Object.entries(pr || {})) {
      const items = Object.entries(m || {}).filter(([, q]) => q !== 0).map(([g, q]) => PC.shortName(((st.plan && st.plan.goods) || []).find((x) => x.id === g) || { id: g }) + ' ' + num(q));
      if (items.length) parts.push(sec + ': ' + items.join(', '));
    }
    return parts.join('; ') || t('nothing (all zero)');
  }

  // fetchPages GETs path (with its query) page after page, adding the
  // cursor query, until the server says there is no next page.
  async function fetchPages(path, key, cursor, onPage) {
    for (let i = 0; i < 100; i++) {
      const q = Object.entries(cursor()).map(([k, v]) => '&' + k + '=' + encodeURIComponent(v)).join('');
      const data = await api(base + path + q, { token: P.token });
      onPage(data[key]);
      if (!data.next) return;
    }
  }

  async function loadProposals() {
    const r = st.propsRound ?? (st.round ? st.round.number : 0);
    $('props-round').textContent = r;
    const tbody = $('props').tBodies[0];
    const pr = st.props;
    if (pr.round !== r) { pr.round = r; pr.rows = new Map(); pr.after = 0; pr.afterRejected = 0; }
    try {
      await fetchPages('/proposals?round=' + encodeURIComponent(r), 'proposals', () => ({ after: pr.after, afterRejected: pr.afterRejected }), (rows) => {
        for (const p of rows) {
          if (p.proposalId) { pr.rows.set('a' + p.proposalId, p); pr.after = Math.max(pr.after, p.proposalId); }
          else if (p.seq) { pr.rows.set('r' + p.seq, p); pr.afterRejected = Math.max(pr.afterRejected, p.seq); }
          else pr.rows.set('s' + p.councilId, p); // simulated: on the first page only
        }
      });
      if (pr.round !== r) return; // another round was picked meanwhile
      const rows = [...pr.rows.values()];
      rows.sort((a, b) => String(a.councilId).localeCompare(String(b.councilId)));
      if (!rows.length) { tbody.replaceChildren(h('tr', null, h('td', { colspan: 5 }, t('No proposals in round {n} yet.', { n: r })))); return; }
      tbody.replaceChildren(...rows.map((p) => {
        let measure = '—';
        if (typeof p.sbsc === 'number') measure = 'SB/SC ' + num(p.sbsc);
        else if (typeof p.cost === 'number') measure = num(p.cost) + (typeof p.budget === 'number' ? ' / ' + num(p.budget) : '');
        const standin = p.source === 'standin';
        return h('tr', { class: standin ? 'standin' : null },
          h('th', { scope: 'row' }, p.councilId, h('span', { class: 'muted' }, ' (' + t(SOURCES[p.source] || p.source) + ')')),
          h('td', null, standin ? h('span', { class: 'chip standin' }, t('stand-in')) : h('span', { class: 'chip ' + (p.status === 'accepted' ? 'yes' : 'rejected') }, t(p.status))),
          h('td', { class: 'detail' }, p.proposal ? summary(p.proposal) : (p.size ? t('{n} bytes, not kept', { n: p.size }) : '')),
          h('td', { class: 'num' }, measure),
          h('td', null, standin ? t('No proposal by the deadline: the council\'s model answered for it.') : (p.reason ? PC.humanize(p.reason) + (p.field ? ' (' + t('at {field}', { field: p.field }) + ')' : '') : '')));
      }));
    } catch (e) {
      tbody.replaceChildren(h('tr', null, h('td', { colspan: 5 }, t('Could not load the proposals: {why}', { why: e.message }))));
    }
  }

  const SOURCES = { human: 'people', standin: 'stand-in: the model, at the deadline', simulated: 'simulated' };
  const EVENTS = { 'proposal.standin': 'proposal.standin (stand-in: the model answered for missing people)' };

  // detail shows an audit event's detail as "key: value" pairs.
  function detail(d) {
    if (d === undefined || d === null) return '';
    if (typeof d !== 'object') return String(d);
    return Object.entries(d).filter(([, v]) => v !== null && v !== '').map(([k, v]) => {
      if (typeof v === 'number') return k + ': ' + num(v);
      if (Array.isArray(v)) return k + ': ' + (v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : x)).join(', ') : 'none');
      if (typeof v === 'object') return k + ': ' + Object.entries(v).map(([a, b]) => a + ' ' + (typeof b === 'number' ? num(b) : (typeof b === 'object' ? JSON.stringify(b) : b))).join(', ');
      return k + ': ' + v;
    }).join(' · ');
  }

  async function loadAudit() {
    const tbody = $('audit').tBodies[0];
    const au = st.audit;
    try {
      await fetchPages('/audit?', 'events', () => ({ after: au.after }), (events) => {
        for (const e of events) { au.events.push(e); au.after = Math.max(au.after, e.seq); }
      });
      if (au.events.length > 500) au.events.splice(0, au.events.length - 500);
      if (!au.events.length) { tbody.replaceChildren(h('tr', null, h('td', { colspan: 6 }, t('Nothing yet.')))); return; }
      tbody.replaceChildren(...au.events.slice().reverse().map((e) => h('tr', null,
        h('td', { class: 'num' }, e.seq),
        h('td', null, new Date(e.at).toLocaleTimeString(I18N.lang())),
        h('td', { class: e.type === 'proposal.standin' ? 'standin' : null }, t(EVENTS[e.type] || e.type)),
        h('td', { class: 'num' }, e.round ?? ''),
        h('td', null, e.councilId || ''),
        h('td', { class: 'detail' }, detail(e.detail)))));
    } catch (e) {
      tbody.replaceChildren(h('tr', null, h('td', { colspan: 6 }, t('Could not load the audit log: {why}', { why: e.message }))));
    }
  }

  // refresh reloads from the server, at most once per 150 ms burst of frames.
  let timer = null;
  const wants = new Set();
  function refresh(...what) {
    for (const w of what) wants.add(w);
    if (timer) return;
    timer = setTimeout(async () => {
      timer = null;
      const w = new Set(wants);
      wants.clear();
      if (w.has('plan')) await loadPlan();
      if (w.has('proposals')) loadProposals();
      if (w.has('audit')) loadAudit();
    }, 150);
  }

  function onFrame(f) {
    switch (f.type) {
      case 'snapshot':
        if (f.role && f.role !== 'facilitator') PC.announce(errors, t('This link is for a {role}, not the facilitator.', { role: t(f.role) }), 'err');
        st.round = f.round;
        st.submitted = new Set(f.round.submitted);
        st.standins = new Set(f.round.standins || []);
        renderStatus();
        refresh('plan', 'proposals', 'audit');
        commons.load();
        break;
      case 'round.opened':
        st.round = { number: f.round, status: 'open', prices: f.prices, deadline: f.deadline };
        st.submitted = new Set();
        st.standins = new Set();
        renderStatus();
        renderCouncils();
        refresh('plan', 'proposals', 'audit');
        break;
      case 'round.submitted':
        st.submitted.add(f.councilId);
        renderCouncils();
        refresh('proposals', 'audit');
        break;
      case 'proposal.received':
        st.submitted.add(f.councilId);
        renderCouncils();
        refresh('proposals', 'audit');
        break;
      case 'round.closed':
        document.dispatchEvent(new CustomEvent('pc:round.closed', { detail: f }));
        st.lastClosed = f;
        commons.onClosed(f);
        st.lastStandIns = { round: f.round, ids: f.standins || [] };
        PC.announce($('action-status'), t('Round {n} closed: largest gap {g}', { n: f.round, g: f.maxGap === null ? t('withheld') : PC.pct(f.maxGap) }) +
          ((f.standins || []).length ? '; ' + t('stand-ins (their model answered): {ids}', { ids: f.standins.join(', ') }) : '') +
          (f.carried.length ? '; ' + t('carried over: {ids}', { ids: f.carried.join(', ') }) : '') + '.', 'ok');
        refresh('plan', 'proposals', 'audit');
        break;
      case 'plan.converged':
        PC.announce($('action-status'), t('The plan converged in round {n}.', { n: f.round }), 'ok');
        refresh('plan', 'audit');
        break;
      case 'settings.changed':
        if (st.round) st.round.deadline = f.deadline;
        if (document.activeElement !== $('deadline-seconds')) $('deadline-seconds').value = f.roundDeadlineSeconds;
        renderStatus();
        refresh('audit');
        break;
      case 'plan.stopped':
        PC.announce($('action-status'), t('The plan was stopped in round {n}: {why}.', { n: f.round, why: PC.humanize(f.reason) }), 'warn');
        refresh('plan', 'audit');
        break;
      case 'good.withdrawn':
        PC.announce($('withdraw-result'), t('Withdrawn: {good} will not join the catalogue.', { good: f.good }), 'ok');
        refresh('audit');
        break;
      case 'error':
        if (f.ref && f.ref.startsWith('wd-')) { PC.announce($('withdraw-result'), t('Not withdrawn: {why}', { why: PC.humanize(f.message) }), 'err'); break; }
        PC.announce(errors, t('The server refused a message: {why}', { why: PC.humanize(f.message) }), 'err');
        break;
      default:
        break;
    }
  }

  $('close-round').addEventListener('click', async () => {
    const btn = $('close-round');
    btn.disabled = true;
    const n = st.round.number;
    PC.announce($('action-status'), t('Closing round {n}…', { n }), 'info');
    try {
      // The round it means: a second click, or another facilitator's,
      // gets 409 instead of closing the next round too.
      await api(base + '/rounds/close', { method: 'POST', token: P.token, body: { round: n } });
      refresh('plan', 'proposals', 'audit');
    } catch (e) {
      PC.announce($('action-status'), (e.status === 409 ? t('Round {n} was already closed or closing: ', { n }) : t('Could not close the round: ')) + e.message, e.status === 409 ? 'warn' : 'err');
      btn.disabled = false;
      refresh('plan');
    }
  });

  $('settings').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const inp = $('deadline-seconds');
    const err = $('deadline-error');
    err.textContent = '';
    inp.removeAttribute('aria-invalid');
    const v = Number(inp.value);
    if (inp.value.trim() === '' || !Number.isInteger(v) || v < 0) {
      inp.setAttribute('aria-invalid', 'true');
      err.textContent = t('Enter a whole number of seconds, 0 or more.');
      inp.focus();
      return;
    }
    try {
      await api(base + '/settings', { method: 'PATCH', token: P.token, body: { roundDeadlineSeconds: v } });
      PC.announce($('action-status'), v ? t('Rounds now close automatically after {v} s.', { v }) : t('Rounds now have no deadline.'), 'ok');
      refresh('plan', 'audit');
    } catch (e) {
      inp.setAttribute('aria-invalid', 'true');
      err.textContent = t('The server refused the deadline: {why}', { why: e.message });
      inp.focus();
    }
  });

  // restart creates a new plan from this one's scenario and shows its
  // links once; the facilitator's own opens this page on the new plan.
  $('restart').addEventListener('click', async () => {
    const btn = $('restart');
    btn.disabled = true;
    try {
      const res = await api(base + '/restart', { method: 'POST', token: P.token });
      const link = (page, tok) => location.origin + '/' + page + '#plan=' + encodeURIComponent(res.id) + '&token=' + encodeURIComponent(tok);
      const items = [[t('Facilitator (this page, on the new plan)'), link('facilitator.html', res.facilitatorToken)], [t('Observer'), link('observer.html', res.observerToken)]];
      for (const [cid, tok] of Object.entries(res.councilTokens || {}).sort()) items.push([t('Council {id}', { id: cid }), link('council.html', tok)]);
      $('restart-links').replaceChildren(...items.map(([who, url]) => h('li', null, h('strong', null, who), ': ', h('a', { href: url, target: '_blank', rel: 'noopener' }, url))));
      $('restarted').hidden = false;
      $('restarted').focus();
      PC.announce($('action-status'), t('A new plan {id} was started from the same scenario; its links are below.', { id: res.id }), 'ok');
    } catch (e) {
      PC.announce($('action-status'), t('Could not start again: {why}', { why: e.message }), 'err');
    } finally {
      btn.disabled = false;
    }
  });

  $('props-pick').addEventListener('change', () => {
    const v = Number($('props-pick').value);
    st.propsRound = v;
    st.followRound = !st.round || v === st.round.number;
    loadProposals();
  });

  setInterval(() => { if (st.round && st.plan && st.plan.status === 'open') $('deadline').textContent = PC.countdown(st.round.deadline); }, 1000);

  $('withdraw').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const good = $('withdraw-good').value.trim();
    const reason = $('withdraw-reason').value.trim();
    if (!good || !reason) { PC.announce($('withdraw-result'), t('Give the good\'s id and the reason.'), 'err'); return; }
    try {
      live.send({ type: 'good.withdraw', ref: 'wd-' + Date.now(), good, reason });
      PC.announce($('withdraw-result'), t('Sent…'), 'info');
    } catch (e) {
      PC.announce($('withdraw-result'), e.message, 'err');
    }
  });

  const live = PC.live({
    plan: P.plan, token: P.token, onFrame,
    onState: (s) => PC.setConn($('conn'), s),
    onGiveUp: async () => {
      try { await api(base, { token: P.token }); return false; } catch (e) {
        if (e.status === 401 || e.status === 403 || e.status === 404) {
          PC.announce(errors, t('The server refused this link ({why}).', { why: e.message }), 'err');
          $('conn').textContent = t('refused');
          return true;
        }
        return false;
      }
    },
  });
  loadPlan();
})();
