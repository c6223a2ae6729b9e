// The observer page: live over the websocket, the largest gap per round on
// a log scale with the tolerance, price paths of chosen goods, and a strip
// of gaps per good per round; each chart with its data as a table.
'use strict';
(() => {
  const { api, h, num, t } = PC;
  const P = PC.params();
  const $ = (id) => document.getElementById(id);
  const errors = $('errors');
  if (!PC.requireParams(P, errors)) { $('conn').textContent = t('no link'); return; }
  const base = '/api/plans/' + encodeURIComponent(P.plan);
  const commons = PC.commonsPanel($('commons'), base, P.token);
  const HEAT_COLS = 60;
  const COLORS = ['#0b57a4', '#c0392b', '#1e7b34', '#7d3c98', '#b35900', '#117a8b', '#5d4037', '#ad1457', '#33691e', '#283593'];
  const DASHES = [[], [8, 4], [2, 3], [10, 3, 2, 3]];

  const st = { plan: null, goods: [], tolerance: 0.01, rows: [], chosen: null, round: null, submitted: [], charts: {} };
  PC.bandLegend($('bands'));

  // addRow keeps one row per closed round: a /rounds row and a
  // round.closed frame have the same shape ({round, prices, supply, demand,
  // gaps, maxGap, ...}).
  function addRow(r) {
    const i = st.rows.findIndex((x) => x.round === r.round);
    if (i >= 0) st.rows[i] = r; else st.rows.push(r);
    st.rows.sort((a, b) => a.round - b.round);
  }

  function width(el) { return Math.max(260, el.clientWidth - 8); }
  // logSplits puts a log axis's ticks on powers of ten, at most about six of
  // them however many decades the data spans (gaps fall to 1e-13 and less).
  function logSplits(u, axisIdx, min, max) {
    if (!(min > 0) || !(max > 0)) return [];
    const lo = Math.floor(Math.log10(min)), hi = Math.ceil(Math.log10(max));
    const step = Math.max(1, Math.ceil((hi - lo) / 6));
    const out = [];
    for (let k = hi; k >= lo; k -= step) out.unshift(Math.pow(10, k));
    return out.filter((v) => v >= min * 0.999 && v <= max * 1.001);
  }
  // rounds are whole numbers: no ticks between them; with one round the
  // axis still spans a round, not uPlot's 0–100
  const ROUND_AXIS = { label: t('round'), incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], values: (u, vs) => vs.map((v) => (Number.isInteger(v) ? String(v) : '')) };
  function roundScale(xs) {
    const lo = xs.length ? Math.min(0, ...xs) : 0, hi = xs.length ? Math.max(1, ...xs) : 1;
    return { time: false, range: () => [lo, hi] };
  }

  // chart replaces the uPlot chart in el; el.dataset.rounds records how
  // many rounds it draws (the browser tests read it).
  function chart(key, el, opts, data) {
    if (st.charts[key]) st.charts[key].destroy();
    el.replaceChildren();
    if (typeof uPlot === 'undefined') { el.textContent = t('The chart library did not load; the table has the data.'); return; }
    // el.dataset.xrange records the rounds axis's span (the tests read it)
    const hooks = { ...(opts.hooks || {}) };
    hooks.setScale = [...(hooks.setScale || []), (u, k) => { if (k === 'x') el.dataset.xrange = u.scales.x.min + '–' + u.scales.x.max; }];
    st.charts[key] = new uPlot({ width: width(el), height: 260, ...opts, hooks }, data, el);
    el.dataset.rounds = String(data[0].length);
  }

  function renderGap() {
    const xs = st.rows.map((r) => r.round);
    const gaps = st.rows.map((r) => { const g = r.maxGap; return g > 0 && isFinite(g) ? g : null; });
    const tol = st.rows.map(() => st.tolerance);
    const el = $('gap-chart');
    $('gap-wait').hidden = xs.length > 0;
    el.dataset.tolerance = String(st.tolerance);
    const tolLine = (u) => {
      // the tolerance across the whole plot, even with a single round
      const y = u.valToPos(st.tolerance, 'y', true);
      const c = u.ctx;
      c.save();
      c.strokeStyle = '#b00020'; c.lineWidth = 2 * devicePixelRatio; c.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
      c.beginPath(); c.moveTo(u.bbox.left, y); c.lineTo(u.bbox.left + u.bbox.width, y); c.stroke();
      c.restore();
    };
    const vals = gaps.filter((g) => g !== null);
    const lo = Math.min(st.tolerance, ...vals), hi = Math.max(st.tolerance, ...vals);
    chart('gap', el, {
      scales: { x: roundScale(xs), y: { distr: 3, range: () => [Math.pow(10, Math.floor(Math.log10(lo)) - (lo === hi ? 1 : 0)), Math.pow(10, Math.ceil(Math.log10(hi)) + (lo === hi ? 1 : 0))] } },
      axes: [ROUND_AXIS, { label: t('largest gap'), size: 80, splits: logSplits, filter: (u, sp) => sp, values: (u, vs) => PC.pctTicks(vs) }],
      series: [
        { label: t('round') },
        { label: t('largest gap'), stroke: COLORS[0], width: 2, points: { show: true, size: 8 }, value: (u, v) => PC.pct(v) },
        { label: t('tolerance {t}', { t: PC.pct(st.tolerance) }), stroke: '#b00020', width: 2, dash: [6, 4], points: { show: false }, value: (u, v) => PC.pct(v) },
      ],
      hooks: { draw: [tolLine] },
    }, [xs, gaps, tol]);
    const n = xs.length;
    el.setAttribute('aria-label', t('Chart of the largest gap per round on a log scale, {n} rounds', { n }) +
      (n ? ', ' + t('latest {g}', { g: PC.pct(st.rows[n - 1].maxGap) }) : '') + ', ' + t('tolerance {t}', { t: PC.pct(st.tolerance) }) + '. ' + t('The table beside it has the data.'));
    $('gap-table').tBodies[0].replaceChildren(...st.rows.slice().reverse().map((r) => {
      const g = r.maxGap;
      // within only if every shown good is and no withheld one is open
      const ok = (g === null || g === undefined || g <= st.tolerance) && !(r.withheldOpen > 0);
      return h('tr', null,
        h('th', { scope: 'row', class: 'num' }, r.round),
        PC.gapCell(h('td'), g),
        h('td', null, h('span', { class: 'chip ' + (ok ? 'yes' : 'no') }, ok ? t('yes') : t('no'))));
    }));
  }

  function renderPick() {
    const box = $('price-pick');
    if (box.dataset.goods === st.goods.map((g) => g.id).join(',')) return;
    box.dataset.goods = st.goods.map((g) => g.id).join(',');
    if (!st.chosen) {
      // the numeraire's price never moves: start with up to 6 other goods
      st.chosen = new Set(st.goods.filter((g) => g.id !== (st.plan && st.plan.numeraire)).slice(0, 6).map((g) => g.id));
    }
    box.replaceChildren(...st.goods.map((g) => {
      const id = 'pick-' + g.id;
      const cb = h('input', { type: 'checkbox', id, value: g.id });
      cb.checked = st.chosen.has(g.id);
      cb.addEventListener('change', () => { if (cb.checked) st.chosen.add(g.id); else st.chosen.delete(g.id); renderPrices(); });
      return h('span', null, cb, ' ', h('label', { for: id }, PC.shortName(g)));
    }));
  }

  function renderPrices() {
    const chosen = st.goods.filter((g) => st.chosen && st.chosen.has(g.id));
    const xs = st.rows.map((r) => r.round);
    const log = $('price-log').checked;
    const series = [{ label: t('round') }];
    const data = [xs];
    chosen.forEach((g, i) => {
      series.push({ label: PC.shortName(g), stroke: COLORS[i % COLORS.length], dash: DASHES[Math.floor(i / COLORS.length) % DASHES.length], width: 2, points: { show: xs.length < 40 }, value: (u, v) => num(v) });
      data.push(st.rows.map((r) => { const p = (r.prices || {})[g.id]; return typeof p === 'number' && (!log || p > 0) ? p : null; }));
    });
    const el = $('price-chart');
    chart('price', el, {
      scales: { x: roundScale(xs), y: log ? { distr: 3 } : {} },
      axes: [ROUND_AXIS, { label: t('price, in {unit}', { unit: PC.unitOf(st.plan).many || (st.plan && st.plan.numeraire) || '' }), size: 70, splits: log ? logSplits : undefined, filter: log ? (u, sp) => sp : undefined, values: (u, vs) => vs.map((v) => num(v)) }],
      series,
    }, data);
    el.setAttribute('aria-label', t('Chart of the prices of {goods} over {n} rounds.', { goods: chosen.map((g) => PC.shortName(g)).join(', ') || t('no goods'), n: xs.length }) + ' ' + t('The table beside it has the data.'));
    const tb = $('price-table');
    tb.tHead.replaceChildren(h('tr', null, h('th', { scope: 'col', class: 'num' }, t('Round')), ...chosen.map((g) => h('th', { scope: 'col', class: 'num' }, PC.shortName(g)))));
    tb.tBodies[0].replaceChildren(...st.rows.slice().reverse().map((r) => h('tr', null,
      h('th', { scope: 'row', class: 'num' }, r.round),
      ...chosen.map((g) => h('td', { class: 'num' }, num((r.prices || {})[g.id]))))));
  }

  function renderHeat() {
    const rows = st.rows.slice(-HEAT_COLS);
    $('heat-note').textContent = t('Each cell is a good\'s gap in a round, as text and coloured by band (the bands follow the plan\'s tolerance)') +
      (st.rows.length > HEAT_COLS ? '; ' + t('the last {k} of {n} rounds (the CSV has them all).', { k: HEAT_COLS, n: st.rows.length }) : '.');
    const tb = $('heat');
    tb.tHead.replaceChildren(h('tr', null, h('th', { scope: 'col' }, t('Good \\ round')), ...rows.map((r) => h('th', { scope: 'col', class: 'num' }, r.round))));
    tb.tBodies[0].replaceChildren(...st.goods.map((g) => h('tr', null,
      h('th', { scope: 'row' }, PC.shortName(g)),
      ...rows.map((r) => heatCell(r, g.id)))));
  }

  // heatCell is a good's gap in round r, or, for a withheld good, says so
  // and whether it is within the tolerance.
  function heatCell(r, id) {
    const within = (r.withinTolerance || {})[id];
    if (within === undefined) return PC.gapCell(h('td'), (r.gaps || {})[id], false);
    const title = within ? t('{good}: withheld (fewer than k councils); within the tolerance', { good: id })
      : t('{good}: withheld (fewer than k councils); not within the tolerance', { good: id });
    return h('td', { class: 'num gap withheld', title },
      t('withheld'), h('span', { class: 'band' }, within ? t('within') : t('open')));
  }

  function renderPrivacy() {
    const p = (st.plan && st.plan.privacy) || {};
    document.querySelectorAll('#privacy-rule .k').forEach((el) => { el.textContent = p.k ?? 'k'; });
    const last = st.rows[st.rows.length - 1];
    if (!last) { $('privacy-now').textContent = t('No round has closed yet.'); return; }
    const goods = Object.keys(last.withinTolerance || {}).sort();
    const k = p.k ?? last.k;
    const open = last.withheldOpen || 0;
    $('privacy-now').textContent = goods.length === 0
      ? t('Round {n}: nothing is withheld (k = {k}).', { n: last.round, k })
      : t('Round {n}: the totals of {goods} are withheld, because fewer than {k} councils contribute to them or changed them since they were last shown. The largest gap is over the other goods', {
        n: last.round, k,
        goods: goods.map((g) => g + ' (' + (last.withinTolerance[g] ? t('within the tolerance') : t('not within the tolerance')) + ')').join(', '),
      }) + (open === 0 ? '.' : '; ' + (open === 1 ? t('1 withheld good is not within the tolerance.') : t('{n} withheld goods are not within the tolerance.', { n: open })));
  }

  function renderStatus() {
    const p = st.plan || {};
    $('plan-name').textContent = p.name || p.id || 'Plan';
    $('round-no').textContent = st.round ?? '—';
    const chip = $('plan-status');
    chip.textContent = p.status ? (p.status === 'open' ? t('round open') : t('plan ' + p.status)) : '—';
    chip.className = 'chip ' + (p.status === 'converged' ? 'yes' : 'no');
    $('plan-line').textContent = t('tolerance {t}', { t: PC.pct(st.tolerance) }) + (p.numeraire ? ' · ' + t('prices in {unit}', { unit: PC.unitOf(p).many || p.numeraire }) : '') +
      ' · ' + t('rounds closed: {n}', { n: st.rows.length });
    const n = (p.councils || []).length;
    $('deadline').textContent = p.status === 'open' || !p.status ? '· ' + PC.countdown(st.deadline) : '';
    $('submitted').textContent = (n ? t('{k} of {n}', { k: st.submitted.length, n }) : String(st.submitted.length)) + (st.submitted.length ? ': ' + st.submitted.join(', ') : '');
  }

  function renderAll() {
    renderStatus();
    renderPick();
    renderGap();
    renderPrices();
    renderHeat();
    renderPrivacy();
  }

  async function load() {
    try {
      const [plan, rounds] = await Promise.all([api(base, { token: P.token }), api(base + '/rounds', { token: P.token })]);
      st.plan = plan;
      st.goods = plan.goods;
      st.tolerance = plan.tolerance;
      PC.setTolerance(st.tolerance);
      PC.bandLegend($('bands'));
      st.round = plan.round; // GET /api/plans/{id}: the round's number
      st.submitted = plan.submitted.slice();
      document.title = 'parecon — ' + t('observer') + ' — ' + (plan.name || plan.id);
      for (const r of rounds.rounds) addRow(r);
      renderAll();
    } catch (e) {
      PC.announce(errors, t('Could not load the plan: {why}', { why: e.message }), 'err');
      if (e.status === 401 || e.status === 403 || e.status === 404) return 'refused';
    }
    return 'ok';
  }

  async function refreshPlan() {
    try {
      const plan = await api(base, { token: P.token });
      st.plan = plan;
      st.submitted = plan.submitted.slice();
      renderStatus();
    } catch (_) { /* the next frame or reconnect catches up */ }
  }

  function onFrame(f) {
    switch (f.type) {
      case 'snapshot':
        // the snapshot's round is an object {number, status, prices, ...}
        st.round = f.round.number;
        st.deadline = f.round.deadline;
        st.submitted = f.round.submitted.slice();
        st.tolerance = f.plan.tolerance;
        PC.setTolerance(st.tolerance);
        load(); // catch up on rounds closed while disconnected
        commons.load();
        break;
      case 'settings.changed':
        st.deadline = f.deadline;
        renderStatus();
        break;
      case 'round.submitted':
        if (!st.submitted.includes(f.councilId)) st.submitted.push(f.councilId);
        renderStatus();
        break;
      case 'round.opened':
        st.round = f.round;
        st.deadline = f.deadline;
        st.submitted = []; // round.opened's round is a number; who submitted comes next
        renderStatus();
        refreshPlan(); // simulated councils submit as the round opens
        break;
      case 'plan.stopped':
        if (st.plan) st.plan.status = 'stopped';
        st.deadline = null;
        PC.announce($('live-status'), t('The plan was stopped in round {n}: {why}.', { n: f.round, why: PC.humanize(f.reason) }), 'warn');
        renderStatus();
        break;
      case 'round.closed':
        document.dispatchEvent(new CustomEvent('pc:round.closed', { detail: f }));
        addRow(f);
        commons.onClosed(f);
        PC.announce($('live-status'), t('Round {n} closed: largest gap {g}', { n: f.round, g: f.maxGap === null ? t('withheld') : PC.pct(f.maxGap) }) +
          (PC.withheldGoods(f) ? ' ' + (PC.withheldGoods(f) === 1 ? t('(1 good withheld)') : t('({n} goods withheld)', { n: PC.withheldGoods(f) })) : '') + '.', 'info');
        renderAll();
        break;
      case 'plan.converged':
        if (st.plan) st.plan.status = 'converged';
        st.deadline = null;
        PC.announce($('live-status'), t('The plan converged in round {n}.', { n: f.round }), 'ok');
        renderStatus();
        break;
      case 'error':
        PC.announce(errors, t('The server refused a message: {why}', { why: PC.humanize(f.message) }), 'err');
        break;
      default:
        break;
    }
  }

  setInterval(() => { if (st.deadline) $('deadline').textContent = '· ' + PC.countdown(st.deadline); }, 1000);
  $('price-log').addEventListener('change', renderPrices);
  $('pick-all').addEventListener('click', () => { st.chosen = new Set(st.goods.map((g) => g.id)); box().forEach((c) => { c.checked = true; }); renderPrices(); });
  $('pick-none').addEventListener('click', () => { st.chosen = new Set(); box().forEach((c) => { c.checked = false; }); renderPrices(); });
  function box() { return [...document.querySelectorAll('#price-pick input')]; }
  $('csv').addEventListener('click', async () => {
    try {
      PC.download('parecon-' + P.plan + '-rounds.csv', await api(base + '/rounds.csv', { token: P.token, raw: true }), 'text/csv');
    } catch (e) { PC.announce(errors, t('Could not download the CSV: {why}', { why: e.message }), 'err'); }
  });
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const [k, c] of Object.entries(st.charts)) c.setSize({ width: width($(k + '-chart')), height: 260 });
    }, 150);
  });

  PC.live({
    plan: P.plan, token: P.token, onFrame,
    onState: (s) => PC.setConn($('conn'), s),
    onGiveUp: async () => (await load()) === 'refused',
  });
})();
