// The commons panel of the observer and facilitator pages (docs/commons.md):
// the levy, the fund and each commons good's stock K, output and users,
// round by round, as a chart with its data as a table. It draws nothing in
// a plan without commons goods.
'use strict';
(() => {
  const { api, h, num, t } = PC;
  const COLORS = ['#0b57a4', '#c0392b', '#1e7b34', '#7d3c98', '#b35900', '#117a8b'];

  // commonsPanel renders into the section el (hidden until the plan has a
  // commons good) from the plan at base; call load() on every snapshot and
  // onClosed(frame) on every round.closed.
  function commonsPanel(el, base, token) {
    const st = { goods: [], rows: [], chart: null };
    const $ = (sel) => el.querySelector(sel);
    function commons() { return st.goods.filter((g) => g.rival === false); }
    function add(r) {
      if (!r || typeof r.levy !== 'number') return;
      const i = st.rows.findIndex((x) => x.round === r.round);
      if (i >= 0) st.rows[i] = r; else st.rows.push(r);
      st.rows.sort((a, b) => a.round - b.round);
    }
    function render() {
      const cg = commons();
      el.hidden = !cg.length;
      if (!cg.length) return;
      const last = st.rows[st.rows.length - 1];
      $('.commons-now').textContent = last
        ? t('Round {n}: levy {levy} of the plan\'s income, a fund of {fund}.', { n: last.round, levy: PC.pct(last.levy), fund: num(last.fund) }) + ' ' +
          cg.map((g) => t('{good}: K {k} (stock {stock}), output {output}, used by {users} people', {
            good: PC.goodName(g), k: num((last.commons || {})[g.id]), stock: num(g.stock), output: shown(last, g.id, 'supply'), users: shown(last, g.id, 'users'),
          })).join('; ') + '.'
        : t('No round has closed yet.') + ' ' + t('Stocks at the start: {stocks}.', { stocks: cg.map((g) => PC.goodName(g) + ' ' + num(g.stock)).join(', ') });
      const xs = st.rows.map((r) => r.round);
      const series = [{ label: t('round') }];
      const data = [xs];
      cg.forEach((g, i) => {
        const c = COLORS[i % COLORS.length];
        series.push({ label: t('{good} K', { good: g.id }), stroke: c, width: 2, value: (u, v) => num(v) });
        data.push(st.rows.map((r) => (r.commons || {})[g.id] ?? null));
        series.push({ label: t('{good} output', { good: g.id }), stroke: c, dash: [6, 4], width: 2, value: (u, v) => num(v) });
        data.push(st.rows.map((r) => (r.supply || {})[g.id] ?? null));
      });
      const box = $('.commons-chart');
      if (st.chart) st.chart.destroy();
      st.chart = null;
      box.replaceChildren();
      if (typeof uPlot === 'undefined') box.textContent = t('The chart library did not load; the table has the data.');
      else if (xs.length) {
        st.chart = new uPlot({ width: Math.max(260, box.clientWidth - 8), height: 240, scales: { x: { time: false } },
          axes: [{ label: t('round'), incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], values: (u, vs) => vs.map((v) => (Number.isInteger(v) ? String(v) : '')) }, { label: t('commons K and output'), size: 70, values: (u, vs) => vs.map((v) => num(v)) }], series }, data, box);
      }
      box.dataset.rounds = String(xs.length);
      box.setAttribute('aria-label', t('Chart of each commons good\'s K (solid) and output (dashed) over {n} rounds.', { n: xs.length }) + ' ' + t('The table beside it has the data.'));
      const tbl = $('#commons-table');
      tbl.tHead.replaceChildren(h('tr', null, h('th', { scope: 'col', class: 'num' }, t('Round')), h('th', { scope: 'col', class: 'num' }, t('Levy')),
        h('th', { scope: 'col', class: 'num' }, t('Fund')),
        ...cg.flatMap((g) => [t('{good} K', { good: g.id }), t('{good} output', { good: g.id }), t('{good} users', { good: g.id })].map((w) => h('th', { scope: 'col', class: 'num' }, w)))));
      tbl.tBodies[0].replaceChildren(...st.rows.slice().reverse().map((r) => h('tr', null,
        h('th', { scope: 'row', class: 'num' }, r.round), h('td', { class: 'num' }, PC.pct(r.levy)), h('td', { class: 'num' }, num(r.fund)),
        ...cg.flatMap((g) => [num((r.commons || {})[g.id]), shown(r, g.id, 'supply'), shown(r, g.id, 'users')].map((v) => h('td', { class: 'num' }, v))))));
    }
    // shown is round r's figure of good id's side ("supply" or "users"), or
    // "withheld" where the privacy rules withhold it (fewer than k councils).
    function shown(r, id, side) {
      if ((r.withheld || []).includes(id + '.' + side)) return t('withheld');
      return num((r[side] || {})[id] || 0);
    }
    async function load() {
      try {
        const [plan, rounds] = await Promise.all([api(base, { token }), api(base + '/rounds', { token })]);
        st.goods = plan.goods || [];
        for (const r of rounds.rounds) add(r);
        render();
      } catch (_) { /* the page's own loading reports errors */ }
    }
    return { load, onClosed(f) { add(f); render(); } };
  }
  PC.commonsPanel = commonsPanel;
})();
